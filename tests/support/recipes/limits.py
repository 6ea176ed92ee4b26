"""Statement budget recipes of the 個別保証枠 screens of the console (S.6), rendered in the 管理担当's
login: the list with 1 and 50 buyers, each holding a 確認, an earmark and a policy; a buyer's detail
with 1 and 50 確認 and policies (of two customers)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, select, update

from nexi import db
from nexi.clock import today
from nexi.models import (
    Application,
    Buyer,
    Confirmation,
    ConfirmationState,
    Customer,
    Earmark,
    Instalment,
    Policy,
    PolicyChange,
    Status,
    WebUser,
)
from tests.support.recipes import Recipe, Rows

SHOWN = "304-000101"  # the buyer the detail shows
BUYERS, CONFIRMATIONS, EARMARKS, POLICIES = (
    Buyer.__table__,
    Confirmation.__table__,
    Earmark.__table__,
    Policy.__table__,
)
APPLIED = "W2026041570"  # the Web申込番号 of the applications holding the earmarks
MOMENT = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)


def _shown(connection):
    return connection.execute(select(BUYERS).where(BUYERS.c.code == SHOWN)).one()


def _customers(connection) -> list[int]:
    return list(connection.execute(select(Customer.__table__.c.id).order_by(Customer.__table__.c.id)).scalars())[:2]


def _clear(connection, buyer_ids=None) -> None:
    """The contract book emptied (of `buyer_ids`' 確認 only, when given)."""
    confirmations = select(CONFIRMATIONS.c.id)
    if buyer_ids is not None:
        confirmations = confirmations.where(CONFIRMATIONS.c.buyer_id.in_(buyer_ids))
    policies = select(POLICIES.c.id).where(POLICIES.c.confirmation_id.in_(confirmations))
    connection.execute(delete(EARMARKS).where(EARMARKS.c.confirmation_id.in_(confirmations)))
    for child in (Instalment, PolicyChange):
        connection.execute(delete(child.__table__).where(child.__table__.c.policy_id.in_(policies)))
    connection.execute(delete(POLICIES).where(POLICIES.c.id.in_(policies)))
    connection.execute(delete(CONFIRMATIONS).where(CONFIRMATIONS.c.id.in_(confirmations)))


def confirmation_row(number: str, customer_id: int, buyer_id: int, **values) -> dict:
    """A 確認 of USD 1,000.00 at ¥150, valid three months from today."""
    return {
        "number": number, "customer_id": customer_id, "buyer_id": buyer_id, "application_id": None, "product": "01",
        "currency": "USD", "amount": 100_000, "rate": Decimal("150"), "amount_jpy": 150_000,
        "reserved_jpy": 150_000, "earmarked": 0, "used": 0, "returned": 0, "approved_on": today(),
        "valid_until": today() + timedelta(days=80), "state": ConfirmationState.CONFIRMED, "updated_at": MOMENT,
        "version": 0,
    } | values  # fmt: skip


def policy_row(number: str, customer_id: int, buyer_id: int, confirmation_id: int) -> dict:
    """A policy holding ¥30,000 of 使用額 (USD 200.00 credit-covered) from the 確認."""
    return {
        "number": number, "branch": "00", "customer_id": customer_id, "application_id": None, "product": "01",
        "state": "有効", "department_id": None, "contract_type": "11", "contract_no": "", "contracted_on": date(2026, 4, 1),
        "effective_on": None, "counterparty_id": buyer_id, "counterparty_name": "", "payer_id": buyer_id,
        "guarantor_id": None, "lc_bank_id": None, "lc_confirmed": False, "destination": "304", "goods": "工作機械",
        "commodity": "一般", "currency": "USD", "contract_amount": 20_000, "advance": 0, "fob": None,
        "first_shipment_on": date(2026, 5, 1), "last_shipment_on": date(2026, 5, 31), "settlement_method": "送金",
        "usance_days": 90, "cover_pre": False, "pre_political": None, "pre_commercial": None,
        "post_political": Decimal("97.5"), "post_commercial": Decimal("90"), "value_pre": None, "value_post": 20_000,
        "premium_jpy": 1000, "premium_reason": "", "liability_from": date(2026, 4, 20), "period_to": date(2026, 8, 29),
        "foreign_currency_rider": False, "confirmation_id": confirmation_id, "used_jpy": 30_000,
        "credit_outstanding": 20_000, "created_at": MOMENT, "updated_at": MOMENT, "version": 0,
    }  # fmt: skip


def _application(connection, customer_id: int, number: str) -> int:
    user = connection.execute(
        select(WebUser.__table__.c.id).where(WebUser.__table__.c.customer_id == customer_id)
    ).scalar()
    return connection.execute(
        Application.__table__.insert().returning(Application.__table__.c.id),
        {"number": number, "customer_id": customer_id, "user_id": user, "procedure": "IA1",
         "status": Status.SUBMITTED, "created_at": MOMENT, "saved_at": MOMENT, "listed_at": MOMENT,
         "updated_at": MOMENT},
    ).scalar_one()  # fmt: skip


def _holding(connection, buyer_ids: list[int]) -> None:
    """For each buyer, a 確認 with an earmark (of a pending application) and a policy using it."""
    customers = _customers(connection)
    for index, buyer_id in enumerate(buyer_ids):
        customer = customers[index % len(customers)]
        confirmation = connection.execute(
            CONFIRMATIONS.insert().returning(CONFIRMATIONS.c.id),
            confirmation_row(f"K2026{700000 + index:06d}", customer, buyer_id, state=ConfirmationState.PART_USED),
        ).scalar_one()
        application = _application(connection, customer, f"{APPLIED}{index:04d}")
        connection.execute(
            EARMARKS.insert(),
            {"confirmation_id": confirmation, "application_id": application, "policy_id": None, "amount": 10_000,
             "amount_jpy": 15_000, "state": "open", "created_at": MOMENT},
        )  # fmt: skip
        connection.execute(POLICIES.insert(), policy_row(f"01202670{index:06d}", customer, buyer_id, confirmation))


def _limit_buyers(connection, n: int) -> None:
    """The buyers with a 個別保証枠: the shown one and n - 1 copies, each holding something."""
    _clear(connection)
    connection.execute(delete(Application.__table__).where(Application.__table__.c.number.startswith(APPLIED)))
    shown = _shown(connection)
    connection.execute(update(BUYERS).where(BUYERS.c.id != shown.id).values(rating="GA", limit_amount=None))
    connection.execute(delete(BUYERS).where(BUYERS.c.code.startswith("995-")))
    template = {key: value for key, value in shown._mapping.items() if key != "id"}
    if n > 1:
        connection.execute(
            BUYERS.insert(),
            [template | {"code": f"995-{800000 + i:06d}", "name_en": f"LIMIT COPY {i}", "head_office_id": None}
             for i in range(n - 1)],
        )  # fmt: skip
    ids = list(connection.execute(select(BUYERS.c.id).where(BUYERS.c.limit_amount.is_not(None))).scalars())
    _holding(connection, ids)


def _limit_confirmations(connection, n: int) -> None:
    """The shown buyer's 確認: n, of two customers alternately (its policies go with the old ones)."""
    shown = _shown(connection)
    _clear(connection, [shown.id])
    customers = _customers(connection)
    connection.execute(
        CONFIRMATIONS.insert(),
        [confirmation_row(f"K2026{600000 + i:06d}", customers[i % len(customers)], shown.id) for i in range(n)],
    )


def _limit_policies(connection, n: int) -> None:
    """The policies holding the shown buyer's 使用額: n, on its first 確認 (one is made if none)."""
    shown = _shown(connection)
    customers = _customers(connection)
    ids = select(CONFIRMATIONS.c.id).where(CONFIRMATIONS.c.buyer_id == shown.id)
    connection.execute(delete(POLICIES).where(POLICIES.c.confirmation_id.in_(ids)))
    first = connection.execute(ids.order_by(CONFIRMATIONS.c.id).limit(1)).scalar()
    if first is None:
        first = connection.execute(
            CONFIRMATIONS.insert().returning(CONFIRMATIONS.c.id),
            confirmation_row("K2026599999", customers[0], shown.id),
        ).scalar_one()
    customer = connection.execute(select(CONFIRMATIONS.c.customer_id).where(CONFIRMATIONS.c.id == first)).scalar()
    connection.execute(POLICIES.insert(), [policy_row(f"01202660{i:06d}", customer, shown.id, first) for i in range(n)])


def _buyer_id(app) -> int:
    with app.app_context():
        return db.session().execute(select(Buyer.id).where(Buyer.code == SHOWN)).scalar_one()


ROWS = {
    "limit_buyers": Rows(_limit_buyers, "table.table--limits tbody tr"),
    "limit_confirmations": Rows(_limit_confirmations, "table.table--limit-confirmations tbody tr"),
    "limit_policies": Rows(_limit_policies, "table.table--limit-policies tbody tr"),
}

RECIPES = {
    "staff.limits": Recipe(
        lambda app: {"criteria": {"code": "", "name": "", "country": ""}, "page": 1}, ("limit_buyers",)
    ),
    "staff.limit": Recipe(
        lambda app: {"buyer_id": _buyer_id(app), "page": 1, "policy_page": 1, "back": {}},
        ("limit_confirmations", "limit_policies"),
    ),
    "staff.limit_expire": Recipe(lambda app: {}),
}
