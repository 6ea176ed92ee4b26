"""Per-process copies of what every customer sees alike (C.4's global data: masters, notices).

Each gunicorn worker keeps a value for a few seconds and for as long as its stamp (the business
day, the business minute) stays the same, so the screens that show it read no rows most of the
time. A change made by NEXI staff shows within those seconds; nothing customer-owned is cached.
"""

import time
from collections.abc import Callable
from typing import Any

_entries: dict[str, tuple[Any, float, Any]] = {}


def shared(key: str, stamp: Any, seconds: float, load: Callable[[], Any]) -> Any:
    """`load()`, or the copy of it this process made less than `seconds` ago for the same stamp.
    With `seconds` 0 nothing is kept (the tests change notices between requests)."""
    entry = _entries.get(key)
    if seconds > 0 and entry is not None and entry[0] == stamp and time.monotonic() - entry[1] < seconds:
        return entry[2]
    value = load()
    if seconds > 0:
        _entries[key] = (stamp, time.monotonic(), value)
    return value


def clear() -> None:
    _entries.clear()


def forget(prefix: str) -> None:
    """Drop this process's copies whose key starts with `prefix` (after a change saved here, so
    that this worker shows it at once; the other workers within their seconds)."""
    for key in list(_entries):  # a copy: another thread of this worker may add meanwhile
        if key.startswith(prefix):
            _entries.pop(key, None)
