"""The console home's menu (S.1): each area of the console adds its own entries where it is
defined, so that adding a screen touches no shared template; an entry is shown only to the
role it serves."""

from dataclasses import dataclass

from nexi.models.staff import MANAGER, REVIEWER

SECTIONS = (REVIEWER, MANAGER, "ご自身のアカウント")


@dataclass(frozen=True)
class Entry:
    section: str  # one of SECTIONS
    endpoint: str
    label: str
    role: str | None  # None: every staff member
    order: int = 50


ENTRIES: list[Entry] = []


def add(section: str, endpoint: str, label: str, *, role: str | None = None, order: int = 50) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown console section {section!r}")
    ENTRIES.append(Entry(section, endpoint, label, role, order))


def visible(staff) -> list[tuple[str, list[Entry]]]:
    """(section, its entries) for what this staff member may open, in the sections' order."""
    held = {REVIEWER: staff.reviewer, MANAGER: staff.manager, None: True}
    shown = [entry for entry in ENTRIES if held[entry.role]]
    return [
        (section, sorted((e for e in shown if e.section == section), key=lambda e: (e.order, e.label)))
        for section in SECTIONS
        if any(e.section == section for e in shown)
    ]
