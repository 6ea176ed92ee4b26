"""Statement budget recipes of 5章 各種情報照会: the list of inquiries, 5-1 海外商社情報 with 1 and 50
buyers found (branches among them, so that the head office's code is read too), a buyer's
detail, and 5-5 国別引受方針 with 1 and 50 countries (each with an earlier version of another
category) and a country's detail."""

from datetime import date

from sqlalchemy import delete, select

from nexi.clock import now
from nexi.models import Buyer, BuyerStatus, Country
from tests.support.recipes import Recipe, Rows

BUYERS, COUNTRIES = Buyer.__table__, Country.__table__
FOUND = {"code": "", "name": "recipe", "country": ""}  # finds the rows _buyers makes, and nothing else
HEAD = "205-000501"  # a demo buyer: the head office of the rows


def _buyers(connection, n: int) -> None:
    """n buyers the search finds: branches of HEAD, every third a スリーピング候補."""
    connection.execute(delete(BUYERS).where(BUYERS.c.code.startswith("995-")))
    head = connection.execute(select(BUYERS.c.id).where(BUYERS.c.code == HEAD)).scalar_one()
    connection.execute(
        BUYERS.insert(),
        [
            {"code": f"995-{index + 1:06d}", "name_en": f"RECIPE BUYER {index} LTD", "name_key": f"recipebuyer{index}ltd",
             "alias": "", "country_code": "304", "address": "1 Main Street", "city": "Boston", "state": "",
             "postal_code": "", "head_office_id": head, "relation": "支店", "industry": "商社", "rating": "EA",
             "rated_on": date(2026, 1, 5), "limit_amount": 1000 if index % 2 else None,
             "status": BuyerStatus.SLEEPING if index % 3 == 0 else BuyerStatus.REGISTERED,
             "release_deadline": date(2099, 1, 1) if index % 3 == 0 else None, "deleted_reason": "",
             "registered_at": now()}
            for index in range(n)
        ],
    )  # fmt: skip


def _countries(connection, n: int) -> None:
    """n countries, each in effect with an earlier version of another category."""
    connection.execute(delete(COUNTRIES))
    connection.execute(
        COUNTRIES.insert(),
        [
            {"code": f"{100 + index:03d}", "valid_from": day, "name_ja": f"国{index + 1}", "name_en": f"Country {index}",
             "region": "アジア", "category": category, "policy": "条件付引受", "case_limit_oku": 10,
             "max_usance_months": 6, "lc_condition": "確認L/C", "note": ""}
            for index in range(n)
            for day, category in ((date(2010, 4, 1), "H"), (date(2017, 11, 1), "G"))
        ],
    )  # fmt: skip


def _no_filter() -> dict:
    return {"name": "", "region": "", "category": "", "policy": ""}


ROWS = {
    "inquiry_buyers": Rows(_buyers, "table.table--inquiry-buyers tbody tr"),
    "inquiry_countries": Rows(_countries, "table.table--inquiry-countries tbody tr"),
}

RECIPES = {
    "inquiry.index": Recipe(lambda app: {}),
    "inquiry.buyers": Recipe(lambda app: {"criteria": FOUND}, ("inquiry_buyers",)),
    "inquiry.buyer": Recipe(
        lambda app: {"code": "112-000502", "criteria": {"code": "112-000502", "name": "", "country": ""}}
    ),
    "inquiry.countries": Recipe(lambda app: {"criteria": _no_filter()}, ("inquiry_countries",)),
    "inquiry.country": Recipe(lambda app: {"code": "310", "criteria": _no_filter()}),
}
