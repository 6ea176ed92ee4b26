"""C.5 dates: add_months and the business clock."""

from datetime import UTC, date, datetime

import pytest

from nexi.clock import add_months, end_of_day_jst, parse_fixed


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 4, 15), 3, date(2026, 7, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 4, 10), -12, date(2025, 4, 10)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_a_fixed_clock_without_offset_is_japan_time():
    assert parse_fixed("2026-04-15T10:00") == datetime(2026, 4, 15, 1, 0, tzinfo=UTC)
    assert parse_fixed("2026-04-15T10:00+00:00") == datetime(2026, 4, 15, 10, 0, tzinfo=UTC)


def test_deadlines_end_at_the_last_second_of_the_day_in_japan():
    assert end_of_day_jst(date(2026, 5, 25)) == datetime(2026, 5, 25, 14, 59, 59, tzinfo=UTC)
