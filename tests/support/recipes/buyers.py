"""Statement budget recipes of the buyer register (S.4) and the sleeping-buyer cycle (S.5) on the
console, rendered in the 管理担当's login, with 1 and 50 rows of each list they show."""

from datetime import timedelta

from sqlalchemy import delete, select, update

from nexi import db
from nexi.clock import now, today
from nexi.models import Buyer, BuyerRating, BuyerStatus, SleepingBatch
from tests.support.contracts import empty_book
from tests.support.recipes import Recipe, Rows

SHOWN = "304-000101"  # the buyer the detail shows
BATCH_DEADLINE_DAYS = -3  # the demo batch past its 解除申請期限 (nexi/demo/buyers.py)

BUYERS, RATINGS, BATCHES = Buyer.__table__, BuyerRating.__table__, SleepingBatch.__table__


def _template(connection):
    return connection.execute(select(BUYERS).where(BUYERS.c.code == SHOWN)).one()


def _copies(connection, n: int, code: str, **values) -> None:
    """n copies of the shown buyer, coded `code`-8000nn (those of an earlier call replaced)."""
    connection.execute(delete(BUYERS).where(BUYERS.c.code.startswith(f"{code}-")))
    if not n:
        return
    template = {key: value for key, value in _template(connection)._mapping.items() if key != "id"}
    rows = [
        template | {"code": f"{code}-{800000 + index:06d}", "name_en": f"COPY {index}"} | values for index in range(n)
    ]
    connection.execute(BUYERS.insert(), rows)


def _buyers(connection, n: int) -> None:
    """The register: the shown buyer and n - 1 others."""
    keep = _template(connection).id
    empty_book(connection, registrations=True)  # the demo's 確認, policies, 企総登録 … refer to the buyers
    connection.execute(update(BUYERS).values(head_office_id=None))
    connection.execute(delete(RATINGS).where(RATINGS.c.buyer_id != keep))
    connection.execute(delete(BUYERS).where(BUYERS.c.id != keep))
    _copies(connection, n - 1, "999")


def _ratings(connection, n: int) -> None:
    """The shown buyer's rating history: n entries (alternately from an application and by staff)."""
    buyer = _template(connection)
    connection.execute(delete(RATINGS).where(RATINGS.c.buyer_id == buyer.id))
    connection.execute(
        RATINGS.insert(),
        [
            {"buyer_id": buyer.id, "rating": "EA", "rated_on": today(), "recorded_at": now() - timedelta(days=i),
             "staff_user_id": None, "application_id": None, "note": f"記録{i}"}
            for i in range(n)
        ],
    )  # fmt: skip


def _linked(connection, n: int) -> None:
    """The shown buyer's branches: n."""
    buyer = _template(connection)
    connection.execute(update(BUYERS).where(BUYERS.c.head_office_id == buyer.id).values(head_office_id=None))
    _copies(connection, n, "998", head_office_id=buyer.id, relation="支店")


def _dormant(connection, n: int) -> None:
    """n dormant buyers and no other."""
    connection.execute(update(BUYERS).where(BUYERS.c.status == BuyerStatus.REGISTERED).values(last_activity_on=today()))
    _copies(connection, n, "997", last_activity_on=today() - timedelta(days=1000), status=BuyerStatus.REGISTERED)


def _batch_id(connection) -> int:
    """The demo's batch due BATCH_DEADLINE_DAYS from today — the nearest, as the demo data was made
    at the start of the run and the JST day may have turned since."""
    day = today() + timedelta(days=BATCH_DEADLINE_DAYS)
    batches = connection.execute(select(BATCHES.c.id, BATCHES.c.release_deadline)).all()
    return min(batches, key=lambda batch: abs((batch.release_deadline - day).days)).id


def _batches(connection, n: int) -> None:
    """n published batches (the demo's past one kept, its buyers with it)."""
    keep = _batch_id(connection)
    connection.execute(update(BUYERS).where(BUYERS.c.sleeping_batch_id != keep).values(sleeping_batch_id=None))
    connection.execute(delete(BATCHES).where(BATCHES.c.id != keep))
    if n > 1:
        connection.execute(
            BATCHES.insert(),
            [
                {"published_at": now() - timedelta(days=i), "release_deadline": today() + timedelta(days=60 - i),
                 "notice_id": None, "staff_user_id": None, "buyer_count": 1, "removed_at": None,
                 "removed_count": None}
                for i in range(1, n)
            ],
        )  # fmt: skip


def _batch_buyers(connection, n: int) -> None:
    """The shown batch's buyers: n candidates."""
    batch = _batch_id(connection)
    connection.execute(update(BUYERS).where(BUYERS.c.sleeping_batch_id == batch).values(sleeping_batch_id=None))
    _copies(connection, n, "996", status=BuyerStatus.SLEEPING, sleeping_batch_id=batch, release_deadline=today())


def _buyer_id(app) -> int:
    with app.app_context():
        return db.session().execute(select(Buyer.id).where(Buyer.code == SHOWN)).scalar_one()


def _a_batch(app) -> int:
    with app.app_context():
        return _batch_id(db.session().connection())


def _dormant_ids(app) -> list[int]:
    from nexi.blueprints.staff.buyer_queries import dormant_ids

    with app.test_request_context():
        return dormant_ids()


def _criteria() -> dict:
    return {"code": "", "name": "", "country": "", "rating": "", "status": ""}


ADD_VALUES = {
    "name_en": "NORTHWIND TRADERS LTD", "country": "304", "address": "10 Harbor Road", "city": "Seattle",
    "office_type": "head", "industry": "商社", "rating": "EA", "rated_on": "2026-04-15", "limit_amount": "1000",
}  # fmt: skip

ROWS = {
    "buyers": Rows(_buyers, "table.table--buyers tbody tr"),
    "ratings": Rows(_ratings, "table.table--ratings tbody tr"),
    "linked": Rows(_linked, "ul.buyer-linked li"),
    "dormant": Rows(_dormant, "table.table--dormant tbody tr"),
    "chosen": Rows(_dormant, "table.table--publish tbody tr"),
    "batches": Rows(_batches, "table.table--batches tbody tr"),
    "batch_buyers": Rows(_batch_buyers, "table.table--batch-buyers tbody tr"),
}

RECIPES = {
    "staff.buyers": Recipe(lambda app: {"criteria": _criteria(), "page": 1}, ("buyers",)),
    "staff.buyer": Recipe(lambda app: {"buyer_id": _buyer_id(app)}, ("ratings", "linked")),
    "staff.buyer_change": Recipe(
        lambda app: {"buyer_id": _buyer_id(app), "action": "rate", "values": {"rating": "EA", "rated_on": "2026-04-15"}}
    ),
    "staff.buyer_change_confirm": Recipe(
        lambda app: {
            "buyer_id": _buyer_id(app),
            "action": "limit",
            "values": {"limit_amount": "5000"},
        }
    ),
    "staff.buyer_add": Recipe(lambda app: {"values": {"office_type": "head"}}),
    "staff.buyer_add_confirm": Recipe(lambda app: {"values": ADD_VALUES}),
    "staff.sleeping": Recipe(lambda app: {"page": 1, "values": {"scope": "selected"}}, ("dormant",)),
    "staff.sleeping_confirm": Recipe(
        lambda app: {"ids": _dormant_ids(app), "deadline": "2099-01-01", "page": 1, "values": {}}, ("chosen",)
    ),
    "staff.sleeping_batches": Recipe(lambda app: {"page": 1}, ("batches",)),
    "staff.sleeping_batch": Recipe(lambda app: {"batch_id": _a_batch(app), "page": 1}, ("batch_buyers",)),
    "staff.sleeping_remove_confirm": Recipe(lambda app: {"batch_id": _a_batch(app)}),
}
