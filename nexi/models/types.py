"""Column types of the models (the model layer imports nothing of the app above it)."""

from datetime import UTC
from decimal import Decimal

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, naive UTC on disk (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class ExactDecimal(TypeDecorator):
    """Decimal in, Decimal out, kept as its canonical text on every database.

    Master factors such as a tariff's 0.000069 %/日 must come back exactly (DOMAIN.md §6 rounds
    once, at the end); SQLite has no decimal type and would store a float.
    """

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return format(Decimal(value), "f")  # as given: 1.10 stays 1.10

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)
