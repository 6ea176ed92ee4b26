"""Help texts (manual 2-4) as data: one Japanese text per field, one per screen.

Each chapter has a TOML file here. `[topics."<topic>"]` describes a screen or procedure (title
and text, shown by its 「ヘルプ」 link); `[topics."<topic>".fields]` maps each field name to the
text its 「？」 opens (key "<topic>.<field name>"). The label is the form's own (a field's label
lives on the field, nowhere else).

A topic may list `shared` groups (topics named "shared.…"): a field it does not describe itself
is looked up there, so questions several procedures ask (e.g. the common fields of 9-1) are
written once. A test fails when a field of a declared form has no text.
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
SHARED = "shared."


@dataclass(frozen=True)
class FieldHelp:
    key: str
    text: str


@dataclass
class Topic:
    key: str
    title: str
    text: str
    chapter: str
    fields: dict[str, FieldHelp] = field(default_factory=dict)
    shared: tuple[str, ...] = ()

    @property
    def is_group(self) -> bool:
        """A shared group of field texts, not a screen (it has no help page of its own)."""
        return self.key.startswith(SHARED)


# Help written elsewhere than in this folder: a test's own procedure brings its topic (add()).
EXTRA: list[str] = []


def add(toml_text: str) -> None:
    """Add the topics of a TOML text written like the files here (a test's own procedure)."""
    EXTRA.append(toml_text)
    catalogue.cache_clear()


def remove(toml_text: str) -> None:
    EXTRA.remove(toml_text)
    catalogue.cache_clear()


@cache
def catalogue() -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    sources = [path.read_text(encoding="utf-8") for path in sorted(HERE.glob("*.toml"))]
    for source in sources + EXTRA:
        data = tomllib.loads(source)
        for key, topic in data.get("topics", {}).items():
            if key in topics:
                raise ValueError(f"help topic {key} defined twice")
            fields = {
                f"{key}.{name}": FieldHelp(f"{key}.{name}", text.strip())
                for name, text in topic.get("fields", {}).items()
            }
            shared = tuple(topic.get("shared", ()))
            topics[key] = Topic(key, topic["title"], topic["text"].strip(), data["chapter"], fields, shared)
    for topic in topics.values():
        for group in topic.shared:
            if group not in topics or not topics[group].is_group:
                raise ValueError(f"help topic {topic.key} names an unknown shared group {group}")
    return topics


def resolve(key: str) -> FieldHelp | None:
    """The help of field `key` ("<topic>.<field>"): the topic's own, else its shared groups'."""
    topic_key, _, name = key.rpartition(".")
    topic = catalogue().get(topic_key)
    if topic is None:
        return None
    found = topic.fields.get(key)
    for group in topic.shared if found is None else ():
        found = catalogue()[group].fields.get(f"{group}.{name}")
        if found is not None:
            break
    return found


def field_text(key: str) -> str | None:
    found = resolve(key)
    return found.text if found else None


def anchor(key: str) -> str:
    return "help-" + key.replace(".", "-")
