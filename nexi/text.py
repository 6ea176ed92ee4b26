"""Text as the portal takes it from a form: NFKC, trimmed, without control characters (C.2), and
whole numbers bounded to what a column holds."""

import re
import unicodedata
from datetime import date
from decimal import Decimal

from werkzeug.datastructures import FileStorage

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What a field refuses: a one-line text takes no control character at all, a text area its line
# breaks and tabs; bidi controls (which can make a text read otherwise than it is stored) neither.
CONTROL_CHARACTERS_ANY = re.compile(r"[\x00-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def normalize_text(value):
    """NFKC (full-width digits and letters → half-width), trimmed (C.2), without control
    characters (which no field accepts and PostgreSQL refuses to store)."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", unicodedata.normalize("NFKC", value)).strip()
    if isinstance(value, FileStorage):  # a file posted in a text field is no text
        return ""
    return value


# Integers stay within a signed 64-bit column (BIGINT; SQLite's INTEGER): a number typed in a
# field may have 18 digits, an id or page number posted by a form is refused (or clamped) beyond.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INTEGER_DIGITS = 18


def bounded_int(text, minimum: int = INT64_MIN, maximum: int = INT64_MAX, *, clamp: bool = False) -> int | None:
    """The whole number `text` spells (full-width digits accepted), or None when it spells none
    or one outside minimum … maximum; with `clamp`, the nearest bound instead. Ids and page
    numbers parsed from form data go through this before they reach SQL."""
    text = normalize_text(text) if isinstance(text, str) else ""
    if not re.fullmatch(r"[-+]?\d+", text):
        return None
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > 19:  # beyond any 64-bit value: only its sign matters, no need to convert it
        value = minimum - 1 if text.startswith("-") else maximum + 1
    else:
        value = int(text)
    if minimum <= value <= maximum:
        return value
    return min(max(value, minimum), maximum) if clamp else None


def amount_of(text) -> Decimal | None:
    """An amount as the answers keep it (as typed: full-width digits, commas), or None when it is
    not one (a 完了 hook reads answers validated earlier, but never trusts them)."""
    cleaned = normalize_text(text if isinstance(text, str) else str(text or "")).replace(",", "")
    if not re.fullmatch(r"\d{1,16}(\.\d{1,6})?", cleaned):
        return None
    return Decimal(cleaned)


def iso_day(text) -> date | None:
    """A date answer as stored (ISO 8601, 「2026-04-15」); None when blank or not a date."""
    try:
        return date.fromisoformat(text) if isinstance(text, str) and text else None
    except ValueError:
        return None
