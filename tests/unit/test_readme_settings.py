"""The README's settings tables list exactly the NEXI_* variables that nexi/config.py (the app) and
gunicorn.conf.py (the server) read, and the app's table gives each one's default."""

import ast
import re
from pathlib import Path

import pytest

from nexi import config

ROOT = Path(__file__).resolve().parents[2]


def tables() -> list[dict[str, str]]:
    """The tables of the README's Settings section, in order: variable → default column."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    found: list[dict[str, str]] = []
    previous_was_row = False
    for line in section.splitlines():
        is_row = line.startswith("|")
        if is_row:
            if not previous_was_row:
                found.append({})
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            for name in re.findall(r"`(NEXI_[A-Z0-9_]+)`", cells[0]):
                found[-1][name] = cells[1]
        previous_was_row = is_row
    return found


def names_read_by(path: Path) -> set[str]:
    """Every string in the module that is a NEXI_* name and nothing else: the keys it reads (so a
    docstring or a comment that mentions a name does not count)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"NEXI_[A-Z0-9_]+", node.value)
    }


def test_the_readme_has_the_apps_table_and_the_servers():
    assert len(tables()) == 2


def test_the_apps_table_lists_exactly_what_nexi_config_reads():
    listed = set(tables()[0])
    read = names_read_by(Path("nexi/config.py"))
    assert not read - listed, f"read by nexi/config.py, missing from the README: {sorted(read - listed)}"
    assert not listed - read, f"in the README, not read by nexi/config.py: {sorted(listed - read)}"


def test_the_servers_table_lists_exactly_what_gunicorn_conf_reads():
    listed = set(tables()[1])
    read = names_read_by(Path("gunicorn.conf.py"))
    assert listed == read, f"missing: {sorted(read - listed)}, not read: {sorted(listed - read)}"


@pytest.mark.parametrize("name", sorted(config._SETTINGS))
def test_the_readme_gives_each_apps_default(name):
    kind, default = config._SETTINGS[name]
    shown = tables()[0][name]
    if kind is bool:
        assert shown == ("on" if default else "off")
    elif kind is int:
        assert int(re.match(r"[\d,]+", shown)[0].replace(",", "")) == default
    elif default and not default.startswith("sqlite:"):  # the database's default is an absolute path
        assert default in shown
    elif default:
        assert shown == "`sqlite:///instance/nexi.sqlite3`" and default.endswith("/instance/nexi.sqlite3")
    elif name == "NEXI_NOW":
        assert shown == "real clock"
    else:
        assert shown == "none"  # no default: the feature it names is off
