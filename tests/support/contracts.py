"""Rows of the contract book for tests that exercise its rules below the screens (nexi/limits.py)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Application, Buyer, Customer, Policy, Status, WebUser

_serial = count(1)


def customers(n: int = 2) -> list[tuple[int, int]]:
    """(customer id, one of its user ids) of the first `n` demo customers."""
    found = []
    for customer in db.session().exec(select(Customer).order_by(Customer.id)).all()[:n]:
        user = db.session().exec(select(WebUser).where(WebUser.customer_id == customer.id)).first()
        found.append((customer.id, user.id))
    return found


def buyer_with_limit(limit: int, code: str = "304-000101") -> Buyer:
    buyer = db.session().exec(select(Buyer).where(Buyer.code == code)).one()
    buyer.rating, buyer.limit_amount = "EA", limit
    db.session().flush()
    return buyer


def application(customer_id: int, user_id: int, procedure: str = "IA1") -> Application:
    moment = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)
    serial = next(_serial)
    row = Application(
        number=f"W20260415{900000 + serial:06d}", customer_id=customer_id, user_id=user_id, procedure=procedure,
        status=Status.SUBMITTED, created_at=moment, saved_at=moment, listed_at=moment, updated_at=moment,
    )  # fmt: skip
    db.session().add(row)
    db.session().flush()
    return row


def policy(customer_id: int, buyer: Buyer, currency: str = "USD", amount: int = 10_000_000) -> Policy:
    """A 貿易一般保険（個別） policy of `amount` minor units with no credit cover yet (use() adds it);
    its serial from 50000001 on, clear of the demo policies' (nexi/demo)."""
    serial = next(_serial)
    row = Policy(
        number=f"012026{50_000_000 + serial:08d}", customer_id=customer_id, product="01", contract_type="11",
        contracted_on=date(2026, 4, 1), counterparty_id=buyer.id, payer_id=buyer.id, destination="304",
        goods="工作機械", commodity="一般", currency=currency, contract_amount=amount, first_shipment_on=date(2026, 5, 1),
        last_shipment_on=date(2026, 5, 31), settlement_method="送金", usance_days=90,
        post_political=Decimal("97.5"), post_commercial=Decimal("90"), value_post=amount, premium_jpy=1000,
        liability_from=date(2026, 4, 20), period_to=date(2026, 8, 29),
        created_at=datetime(2026, 4, 15, tzinfo=UTC), updated_at=datetime(2026, 4, 15, tzinfo=UTC),
    )  # fmt: skip
    db.session().add(row)
    db.session().flush()
    return row


def confirmation(
    buyer: Buyer, customer_id: int, amount: int, *, rate: Decimal = Decimal("150.00"), approved_on: date | None = None
):
    """A USD 確認 of `amount` cents approved through limits.approve (number K2026 + a serial)."""
    from nexi import limits
    from nexi.clock import today

    return limits.approve(
        number=f"K2026{800000 + next(_serial):06d}", customer_id=customer_id, buyer_id=buyer.id, application_id=None,
        product="01", currency="USD", decimals=2, amount=amount, rate=rate, approved_on=approved_on or today(),
    )  # fmt: skip


def earmarked(confirmation, customer_id: int, user_id: int, amount: int) -> Application:
    """A pending application of the customer that earmarked `amount` cents of the 確認 (limits.earmark)."""
    from nexi import limits

    filed = application(customer_id, user_id)
    limits.earmark(confirmation.id, filed.id, amount, 2, on=confirmation.approved_on)
    return filed


def used(confirmation, customer_id: int, user_id: int, amount: int, buyer: Buyer) -> Policy:
    """A policy whose 完了 turned an earmark of `amount` cents of the 確認 into 使用額 (limits.use)."""
    from nexi import limits

    filed = earmarked(confirmation, customer_id, user_id, amount)
    row = policy(customer_id, buyer, amount=amount)
    limits.use(filed.id, row)
    db.session().flush()
    return row


def covered_policy(
    customer_id: int, user_id: int, buyer: Buyer, confirmation, instalments: list[tuple[date, int]], *,
    first_shipment_on: date = date(2026, 5, 1), decimals: int = 2,
) -> Policy:  # fmt: skip
    """A policy with its 決済スケジュール whose credit cover came from `confirmation`: an IA1
    earmarked Σ instalments at 申込む and its 完了 made them the policy's 使用額 (10)."""
    from nexi import limits

    total = sum(amount for _due, amount in instalments)
    row = policy(customer_id, buyer, confirmation.currency, total)
    row.first_shipment_on, row.period_to = first_shipment_on, max(due for due, _amount in instalments)
    add_instalments(row, instalments)
    filed = application(customer_id, user_id)
    limits.earmark(confirmation.id, filed.id, total, decimals, on=confirmation.approved_on)
    limits.use(filed.id, row)
    db.session().flush()
    return row


def add_instalments(row: Policy, instalments: list[tuple[date, int]]) -> None:
    from nexi.models import Instalment

    for position, (due, amount) in enumerate(instalments, start=1):
        db.session().add(Instalment(policy_id=row.id, position=position, due_on=due, amount=amount))
    db.session().flush()


def registered_buyer(code: str, country: str, rating: str, *, name: str = "TEST BUYER LTD", **values) -> Buyer:
    """A buyer of the register (not deleted) written directly: e.g. one in a country now 引受停止."""
    from nexi.procedures.buyers.rules import name_key

    row = Buyer(
        code=code, name_en=name, name_key=name_key(name), country_code=country, address="1 Main Street", city="City",
        industry="商社", rating=rating, rated_on=date(2026, 1, 1), registered_at=datetime(2026, 1, 1, tzinfo=UTC),
        **values,
    )  # fmt: skip
    db.session().add(row)
    db.session().flush()
    return row


def bulk_policies(customer_id: int, buyer: Buyer, numbers: list[str], **values) -> None:
    """Policies of the given 証券番号 (branch 00) in one INSERT, as 5-2's cap needs hundreds of them:
    each a copy of what `policy` makes, with `values` changed."""
    template = {
        "branch": "00", "customer_id": customer_id, "product": "01", "state": "有効", "contract_type": "11",
        "contract_no": "", "contracted_on": date(2026, 4, 1), "counterparty_id": buyer.id, "counterparty_name": "",
        "payer_id": buyer.id, "lc_confirmed": False, "destination": "304", "goods": "工作機械", "commodity": "一般",
        "currency": "USD", "contract_amount": 10_000_000, "advance": 0, "first_shipment_on": date(2026, 5, 1),
        "last_shipment_on": date(2026, 5, 31), "settlement_method": "送金", "usance_days": 90, "cover_pre": False,
        "post_political": Decimal("97.5"), "post_commercial": Decimal("90"), "value_post": 10_000_000,
        "premium_jpy": 1000, "premium_reason": "", "liability_reason": "", "liability_from": date(2026, 4, 20),
        "period_to": date(2026, 8, 29), "foreign_currency_rider": False, "used_jpy": 0, "credit_outstanding": 0,
        "created_at": datetime(2026, 4, 15, tzinfo=UTC), "updated_at": datetime(2026, 4, 15, tzinfo=UTC),
        "version": 0,
    }  # fmt: skip
    db.session().execute(Policy.__table__.insert(), [template | values | {"number": number} for number in numbers])
    db.session().flush()


def policy_change(row: Policy, kinds: str, before: dict, after: dict, *, premium_change_jpy: int = 0, **values):
    """A 変更履歴 entry of the policy (what a 完了 of IA2 writes)."""
    from nexi.models import PolicyChange

    change = PolicyChange(
        policy_id=row.id, at=datetime(2026, 6, 1, 3, 0, tzinfo=UTC), kinds=kinds, before=before, after=after,
        premium_change_jpy=premium_change_jpy, **values,
    )  # fmt: skip
    db.session().add(change)
    db.session().flush()
    return change


def empty_book(connection, *, registrations: bool = False) -> None:
    """Delete the whole contract book (the demo's 確認, earmarks, policies and recorded shipments) —
    and with `registrations` what staff registered on buyers (企総登録, 簡易包括登録): for statement
    budget recipes that replace the applications or buyers they refer to."""
    from sqlalchemy import delete

    from nexi.models import (
        BlanketRegistration,
        BlanketShipment,
        Confirmation,
        Earmark,
        Instalment,
        Loss,
        LossNotice,
        PolicyChange,
        RiderBuyer,
    )

    book = (Loss, LossNotice, BlanketShipment, Earmark, Instalment, PolicyChange, Policy, Confirmation)
    for model in ((BlanketRegistration, RiderBuyer) if registrations else ()) + book:
        connection.execute(delete(model.__table__))


def without_demo_book(app) -> None:
    """Take the demo contract book (nexi/demo/contracts.py) out of the database: its 確認, earmarks
    and policies, the L01 / IA1 applications they came from and the numbers they took, so that a
    test that counts and numbers the book from the first row starts from an empty one."""
    from sqlalchemy import delete, or_, union

    from nexi.models import ApplicationEvent, Confirmation, Earmark, Loss, LossNotice, Sequence

    with app.app_context():
        connection = db.session().connection()
        ids = [
            row
            for row in connection.execute(
                union(*(select(model.application_id) for model in (Confirmation, Policy, Earmark, Loss, LossNotice)))
            ).scalars()
            if row is not None
        ]
        empty_book(connection)
        connection.execute(
            delete(ApplicationEvent.__table__).where(ApplicationEvent.__table__.c.application_id.in_(ids))
        )
        connection.execute(delete(Application.__table__).where(Application.__table__.c.id.in_(ids)))
        names = Sequence.__table__.c.name
        connection.execute(
            delete(Sequence.__table__).where(
                or_(names.like("confirmation:%"), names.like("policy:%"), names.like("loss:%"))
            )
        )
        db.session().commit()


@pytest.fixture
def empty_contract_book(app):
    """For tests written against an empty contract book (they count its rows and expect the first
    numbers of the year): the demo data without its contract book."""
    without_demo_book(app)
