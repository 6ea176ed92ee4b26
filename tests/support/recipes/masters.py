"""Statement budget recipes of マスタ管理 (S.9: M.2–M.4, the §6 tariff and weights): the home, a
master's list with 1 and 50 currencies (each with a version in effect and one scheduled), and a
key's screens, rendered in the 管理担当's login. The masters' rows are the migrations'
(tests/conftest.py puts them back after each test)."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, select

from nexi import db
from nexi.clock import today
from nexi.models import Currency
from tests.support.recipes import Recipe, Rows


def _currencies(connection, n: int) -> None:
    """n currencies, each with a version in effect and one from next month."""
    currencies = Currency.__table__
    connection.execute(delete(currencies))
    scheduled = today() + timedelta(days=30)
    connection.execute(
        currencies.insert(),
        [
            {"code": f"X{index // 26 % 26 + 65:c}{index % 26 + 65:c}", "valid_from": day, "decimals": 2, "rate": rate}
            for index in range(n)
            for day, rate in ((date(2026, 1, 1), Decimal("100.00")), (scheduled, Decimal("101.25")))
        ],
    )


def _usd(app) -> int:
    """USD's latest version (the migration's second one)."""
    with app.app_context():
        statement = select(Currency.id).where(Currency.code == "USD").order_by(Currency.valid_from.desc())
        return db.session().execute(statement).scalars().first()


def _shown(app) -> dict:
    from nexi import master_versions

    with app.app_context():
        return master_versions.snapshot(master_versions.CURRENCY, db.session().get(Currency, _usd(app)))


_VALUES = {"valid_from": "2099-01-01", "rate": "160.00"}
_USD = {"master": "currency", "key": ["USD"]}

ROWS = {"staff_master_currencies": Rows(_currencies, "table.table--master-keys tr.master-row")}

RECIPES = {
    "staff.masters": Recipe(lambda app: {}),
    "staff.master_list": Recipe(lambda app: {"master": "currency", "page": 1}, ("staff_master_currencies",)),
    "staff.master_detail": Recipe(lambda app: _USD),
    "staff.master_input": Recipe(
        lambda app: _USD | {"version_id": None, "shown": None, "values": _VALUES, "errors": {"rate": ["x"]}}
    ),
    "staff.master_confirm": Recipe(
        lambda app: _USD | {"version_id": _usd(app), "shown": _shown(app), "values": _VALUES}
    ),
    "staff.master_delete": Recipe(lambda app: _USD | {"version_id": _usd(app), "shown": _shown(app)}),
}
