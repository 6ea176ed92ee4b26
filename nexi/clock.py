"""The portal's two clocks (DESIGN.md data rules, DOMAIN.md C.5).

Business dates, deadlines and notice publication read `now()`, which `NEXI_NOW` can fix for demos
and tests (ISO 8601; JST when it has no offset). Security timing — sessions, idle timeout, lockout,
TOTP — always reads `real_now()`, so a fixed business clock can never keep a session alive.
Times are stored in UTC and shown in JST.
"""

import calendar
from datetime import UTC, date, datetime, timedelta, timezone

from flask import current_app, has_app_context

JST = timezone(timedelta(hours=9), "JST")


def real_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


def parse_fixed(value: str) -> datetime:
    """Parse a NEXI_NOW value; a value without an offset is JST."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=JST)
    return moment.astimezone(UTC)


def now() -> datetime:
    """The business clock, in UTC."""
    fixed = current_app.config.get("NEXI_NOW") if has_app_context() else None
    if fixed:
        return parse_fixed(fixed)
    return real_now()


def today() -> date:
    """The JST calendar date of the business clock."""
    return now().astimezone(JST).date()


def to_jst(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(JST)


def end_of_day_jst(day: date) -> datetime:
    """23:59:59 JST of `day`, in UTC: when a deadline falling on `day` ends (C.5)."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=JST).astimezone(UTC)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of that month (C.5)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
