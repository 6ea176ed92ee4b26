"""Statement budget recipes of 国・地域マスタ (S.9, M.1): the list with 1 and 50 countries (each with
a version in effect and one scheduled), a country's screens, rendered in the 管理担当's login.
The countries' rows are the migrations' (tests/conftest.py puts them back after each test)."""

from datetime import date, timedelta

from sqlalchemy import delete, select

from nexi import db
from nexi.clock import today
from nexi.models import Country
from tests.support.recipes import Recipe, Rows

_VERSION = {
    "name_ja": "パキスタン",
    "name_en": "Pakistan",
    "region": "アジア",
    "category": "H",
    "policy": "条件付引受",
    "case_limit_oku": 10,
    "max_usance_months": 6,
    "lc_condition": "確認L/C",
    "note": "",
}
_VALUES = {key: "" if value is None else str(value) for key, value in _VERSION.items()} | {"valid_from": ""}


def _countries(connection, n: int) -> None:
    """n countries, each with a version in effect and one from next month."""
    countries = Country.__table__
    connection.execute(delete(countries))
    scheduled = today() + timedelta(days=30)
    connection.execute(
        countries.insert(),
        [
            _VERSION | {"code": f"{100 + index:03d}", "name_ja": f"国{index + 1}", "valid_from": day}
            for index in range(n)
            for day in (date(2017, 11, 1), scheduled)
        ],
    )


def _a_version(app, code: str = "124") -> int:
    with app.app_context():
        return db.session().execute(select(Country.id).where(Country.code == code).order_by(Country.id)).scalar()


def _shown(app) -> dict:
    from nexi import masters

    with app.app_context():
        return masters.country_snapshot(db.session().get(Country, _a_version(app)))


ROWS = {"staff_countries": Rows(_countries, "table.table--countries tr.country-row")}

RECIPES = {
    "staff.countries": Recipe(lambda app: {"keyword": "", "page": 1}, ("staff_countries",)),
    "staff.country": Recipe(lambda app: {"code": "124"}),
    "staff.country_input": Recipe(
        lambda app: {"code": "124", "version_id": None, "shown": None, "values": _VALUES, "errors": {"note": ["x"]}}
    ),
    "staff.country_confirm": Recipe(
        lambda app: {
            "code": "124",
            "version_id": _a_version(app),
            "shown": _shown(app),
            "values": _VALUES | {"valid_from": "2099-01-01"},
        }
    ),
    "staff.country_delete": Recipe(lambda app: {"code": "124", "version_id": _a_version(app), "shown": _shown(app)}),
}
