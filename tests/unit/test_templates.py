"""Screen templates keep to what a fragment can render (nexi/rendering.py): a block rendered alone
for htmx does not run the template's top-level code, so screens neither import nor define macros
(components are globals), and every screen extends a layout by a literal name."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "nexi" / "templates"
STANDALONE = {"status/copy.html"}  # a downloaded file, not a screen
# Partials (`_name.html`) are parts a view renders for a screen, e.g. status/_search_fields.html.


def screens():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        partial = path.name.startswith("_")
        if not name.startswith(("components/", "layouts/")) and name not in STANDALONE and not partial:
            yield name, path.read_text(encoding="utf-8")


def test_screens_define_and_import_no_macros():
    for name, source in screens():
        assert not re.search(r"{%-?\s*(macro|import|from)\b", source), name


def test_screens_extend_a_layout_by_its_literal_name():
    for name, source in screens():
        assert re.match(r'{%-?\s*extends\s+"layouts/[a-z0-9]+\.html"', source), name
