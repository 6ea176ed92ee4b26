"""What the inquiry tests share: buyers added in bulk (one INSERT, as the bench loads them), and the
searches and downloads as a user makes them."""

import csv
import io
from datetime import date

from sqlalchemy import select

from nexi import db
from nexi.clock import now
from nexi.models import Buyer, BuyerStatus

BUYERS = Buyer.__table__
EMPTY = {"code": "", "name": "", "country": ""}


def add_buyers(app, rows: list[dict]) -> None:
    """Buyers of the given columns (code and name_en at least), in one INSERT without a search key:
    the column's default fills it, as for every INSERT."""
    template = {
        "alias": "", "country_code": "999", "address": "1 Test Street", "city": "Testville", "state": "",
        "postal_code": "", "relation": "", "industry": "商社", "rating": "EA", "rated_on": date(2026, 1, 5),
        "limit_amount": None, "status": BuyerStatus.REGISTERED, "deleted_reason": "", "registered_at": now(),
    }  # fmt: skip
    with app.app_context(), db.engine().begin() as connection:
        connection.execute(BUYERS.insert(), [template | {"name_key": row["name_en"].lower()} | row for row in rows])


def search_key(app, code: str) -> str:
    with app.app_context():
        return db.session().execute(select(Buyer.search_key).where(Buyer.code == code)).scalar_one()


def search(portal, **criteria):
    """5-1 from 各種情報照会, then 検索 with the criteria."""
    portal.go("inquiry.index")
    portal.go("inquiry.buyers")
    return portal.go("inquiry.buyer_search", EMPTY | criteria)


def codes(page) -> list[str]:
    return [button["value"] for button in page.select("table.table--inquiry-buyers tbody button[name=buyer]")]


def download(portal, endpoint: str):
    """A CSV download from the current screen: (the response, its rows as read by csv)."""
    response = portal.client.post(portal.url(endpoint), data={"csrf_token": portal.csrf, "_nav": portal.server_token()})
    assert response.status_code == 200, response.status_code
    text = response.get_data().decode("utf-8")
    return response, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
