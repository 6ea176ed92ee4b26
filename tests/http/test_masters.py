"""Master data as versions (DOMAIN.md M, C.8): every rule reads the version valid on its day
through one function, the six masters cost one statement, and each worker keeps them for
NEXI_MASTER_CACHE_SECONDS (0 in the tests)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event
from sqlmodel import col, delete

from nexi import cache, db, masters
from nexi.models import Currency, Rating


@pytest.fixture
def statements(app):
    """The statements run inside the block (a list, filled as they run)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):  # as the X-SQL-Count of the app counts
            seen.append(statement)

    with app.app_context():
        engine = db.engine()
    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_the_values_of_domain_md_are_loaded(app):
    with app.test_request_context():
        tables = masters.tables(date(2026, 4, 15))
        assert tables.currencies["USD"].rate == Decimal("150.00") and tables.currencies["JPY"].decimals == 0
        assert len(tables.currencies) == 11
        assert list(tables.ratings)[:6] == ["GS", "GA", "GE", "SA", "SC", "EE"]  # M.3's order
        assert (tables.ratings["EM"].coefficient, tables.ratings["EM"].cover) == (Decimal("1.5"), "枠要")
        assert tables.ratings["EC"].coefficient is None and tables.ratings["EC"].cover == "不可"
        assert list(tables.commodities) == ["一般", "鋼材", "化学品", "機械設備", "鉄道車両", "船舶", "農林水産物"]
        assert tables.commodities["機械設備"].coefficient == Decimal("1.10")
        assert len(tables.tariff) == 16
        assert (tables.tariff[("pre", "A")].a, tables.tariff[("pre", "A")].b) == (Decimal("0.000069"), Decimal("0.029"))
        assert (tables.tariff[("post", "H")].a, tables.tariff[("post", "H")].b) == (
            Decimal("0.005987"),
            Decimal("0.124"),
        )
        assert (tables.weights.political, tables.weights.commercial) == (Decimal("0.5"), Decimal("0.5"))
        assert tables.countries["105"].category == "C" and tables.countries["124"].max_usance_months == 6


def test_the_version_valid_on_a_day_is_the_latest_that_started(app):
    """The demo data's second USD version (M.2): 150.00 until 2026-06-30, 152.35 from 2026-07-01."""
    with app.test_request_context():
        assert masters.currencies(date(2026, 6, 30))["USD"].rate == Decimal("150.00")
    with app.test_request_context():
        july = masters.currencies(date(2026, 7, 1))["USD"]
        assert (july.rate, july.valid_from) == (Decimal("152.35"), date(2026, 7, 1))
    with app.test_request_context():
        assert "USD" not in masters.currencies(date(2025, 12, 31))  # the sample rates start 2026-01-01


def test_the_business_day_is_the_default(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-07-01T00:30:00+09:00")
    with app.test_request_context():
        assert masters.currencies()["USD"].rate == Decimal("152.35")
        assert masters.decimals("USD") == 2 and masters.decimals("XXX") is None


def test_all_masters_cost_one_statement_per_request(app, statements):
    with app.test_request_context():
        masters.countries()
        masters.ratings()
        masters.tariff()
        masters.currencies()
    assert len(statements) == 1
    with app.test_request_context():
        masters.commodities()
    assert len(statements) == 2  # the tests keep nothing between requests (NEXI_MASTER_CACHE_SECONDS=0)


def test_each_worker_keeps_them_for_the_setting(app, statements, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_MASTER_CACHE_SECONDS", 300)
    cache.clear()
    try:
        for _ in range(3):
            with app.test_request_context():
                masters.ratings()
        assert len(statements) == 1
        with app.test_request_context():
            masters.forget()  # a new version saved on this worker: read again
            masters.ratings()
        assert len(statements) == 2
    finally:
        cache.clear()


def test_decimals_come_back_exactly_on_every_database(app):
    with app.app_context():
        db.session().add(Currency(code="ZZZ", valid_from=date(2030, 1, 1), decimals=2, rate=Decimal("0.000001")))
        db.session().add(Rating(code="ZZ", valid_from=date(2030, 1, 1), position=99, meaning="x", cover="可",
                                coefficient=Decimal("1.10")))  # fmt: skip
        db.session().commit()
    try:
        with app.test_request_context():
            tables = masters.tables(date(2030, 1, 1))
            assert str(tables.currencies["ZZZ"].rate) == "0.000001"
            assert str(tables.ratings["ZZ"].coefficient) == "1.10"
    finally:
        with app.app_context():
            db.session().exec(delete(Currency).where(col(Currency.code) == "ZZZ"))
            db.session().exec(delete(Rating).where(col(Rating.code) == "ZZ"))
            db.session().commit()
