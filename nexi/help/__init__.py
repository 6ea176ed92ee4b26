"""Help texts (manual 2-4) as data: one Japanese entry per field, one per screen.

Each chapter has a TOML file here. `[topics."<topic>"]` describes a screen or procedure (title
and text, shown by its 「ヘルプ」 link); `[topics."<topic>".fields]` maps each field name to its
label and the text its 「？」 opens (key "<topic>.<field name>"). A test fails when a field of a declared form
has no entry.
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class FieldHelp:
    key: str
    label: str
    text: str


@dataclass
class Topic:
    key: str
    title: str
    text: str
    chapter: str
    fields: dict[str, FieldHelp] = field(default_factory=dict)


@cache
def catalogue() -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for path in sorted(HERE.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, topic in data.get("topics", {}).items():
            if key in topics:
                raise ValueError(f"help topic {key} defined twice")
            fields = {
                f"{key}.{name}": FieldHelp(f"{key}.{name}", entry["label"], entry["text"].strip())
                for name, entry in topic.get("fields", {}).items()
            }
            topics[key] = Topic(key, topic["title"], topic["text"].strip(), data["chapter"], fields)
    return topics


def field_text(key: str) -> str | None:
    topic = catalogue().get(key.rsplit(".", 1)[0])
    found = topic.fields.get(key) if topic else None
    return found.text if found else None


def anchor(key: str) -> str:
    return "help-" + key.replace(".", "-")
