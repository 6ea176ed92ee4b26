"""Reading what NEXI staff registered for a customer (DOMAIN.md §8, 9-4, S.6): 組合 membership, the
企業総合 特約 and its 企総登録, the 簡易通知型 包括保険契約 and its 簡易包括登録. Every query is scoped
by the customer (C.4.1); staff screens write these rows (nexi/blueprints/staff/registrations*.py).
"""

from datetime import date

from flask import g, has_request_context
from sqlalchemy import literal, union_all, update
from sqlmodel import col, select

from nexi import db
from nexi.clock import today
from nexi.models import (
    AssociationMembership,
    BlanketContract,
    BlanketRegistration,
    BlanketState,
    RegistrationState,
    Rider,
    RiderBuyer,
    RiderState,
)

EQUIPMENT, CONSUMER, COMPREHENSIVE, BLANKET = "02", "03", "04", "05"  # 保険種別コード (C.6)
# 9-4: the associations that hold the 設備財 / 消費財 特約 (組合 sel JMC / 鉄道車両 / 船舶)
ASSOCIATIONS = {
    "JMC": "一般社団法人日本機械輸出組合",
    "RAIL": "日本鉄道車両輸出組合",
    "SHIP": "日本船舶輸出組合",
}
ASSOCIATION_LABELS = {"JMC": "JMC", "RAIL": "鉄道車両", "SHIP": "船舶"}
RIDER_LIVE = (RiderState.IN_FORCE, RiderState.RENEWING)  # the old 特約 stays in force while renewing

# what a customer may hold (menus.eligibilities, Procedure.eligible); the menu's reason without it (C.7)
HOLDS_RIDER, HOLDS_BLANKET = "rider", "blanket"
HOLDS_ASSOCIATION = {EQUIPMENT: "association:02", CONSUMER: "association:03"}
REASONS = {
    HOLDS_RIDER: "企業総合保険特約がありません",
    HOLDS_BLANKET: "簡易通知型包括保険契約がありません",
    HOLDS_ASSOCIATION[EQUIPMENT]: "組合員資格がありません",
    HOLDS_ASSOCIATION[CONSUMER]: "組合員資格がありません",
}


def association_name(code: str | None) -> str:
    return ASSOCIATIONS.get(code or "", code or "")


def holdings(customer_id: int, day: date | None = None) -> frozenset[str]:
    """Which of HOLDS_* the customer has on `day`, in one statement (kept per request)."""
    day = day or today()
    key = (customer_id, day)
    store = g.setdefault("registration_holdings", {}) if has_request_context() else {}
    if key in store:
        return store[key]
    rider = select(literal(HOLDS_RIDER).label("kind")).where(
        select(Rider.id)
        .where(col(Rider.customer_id) == customer_id, col(Rider.state).in_(RIDER_LIVE))
        .where(col(Rider.starts_on) <= day, col(Rider.ends_on) >= day)
        .exists()
    )
    blanket = select(literal(HOLDS_BLANKET).label("kind")).where(
        select(BlanketContract.id)
        .where(col(BlanketContract.customer_id) == customer_id, col(BlanketContract.state) == BlanketState.IN_FORCE)
        .where(col(BlanketContract.starts_on) <= day, col(BlanketContract.ends_on) >= day)
        .exists()
    )
    members = select(AssociationMembership.product.label("kind")).where(
        col(AssociationMembership.customer_id) == customer_id
    )
    rows = db.session().execute(union_all(rider, blanket, members)).scalars()
    found = frozenset(HOLDS_ASSOCIATION.get(kind, kind) for kind in rows)
    store[key] = found
    return found


def holds(kind: str):
    """An `eligible(customer)` predicate for a Procedure: the customer holds `kind` today."""

    def eligible(customer) -> bool:
        return kind in holdings(customer.id)

    return eligible


def memberships(customer_id: int, product: str) -> list[str]:
    """The 組合 (ASSOCIATIONS keys) the customer is a member of for 設備財 (02) or 消費財 (03)."""
    rows = db.session().exec(
        select(AssociationMembership.association)
        .where(col(AssociationMembership.customer_id) == customer_id, col(AssociationMembership.product) == product)
        .order_by(col(AssociationMembership.association))
    )
    return list(rows)


def riders_in_force(customer_id: int, day: date | None = None) -> list[Rider]:
    """The customer's 企業総合 特約 whose 特約期間 includes `day` (有効, or 更新手続中)."""
    day = day or today()
    return list(
        db.session().exec(
            select(Rider)
            .where(col(Rider.customer_id) == customer_id, col(Rider.state).in_(RIDER_LIVE))
            .where(col(Rider.starts_on) <= day, col(Rider.ends_on) >= day)
            .order_by(col(Rider.number))
        )
    )


def own_rider(customer_id: int, number: str | None) -> Rider | None:
    if not number:
        return None
    return db.session().exec(select(Rider).where(Rider.customer_id == customer_id, Rider.number == number)).first()


def rider_registration(rider_id: int, buyer_id: int) -> RiderBuyer | None:
    """The 有効 企総登録 of a payer under the 特約 (8)."""
    return (
        db.session()
        .exec(
            select(RiderBuyer).where(
                RiderBuyer.rider_id == rider_id,
                RiderBuyer.buyer_id == buyer_id,
                RiderBuyer.state == RegistrationState.IN_FORCE,
            )
        )
        .first()
    )


def blanket_contracts(customer_id: int, day: date | None = None) -> list[BlanketContract]:
    """The customer's 有効 簡易通知型 包括保険契約 whose 保険期間 includes `day`."""
    day = day or today()
    return list(
        db.session().exec(
            select(BlanketContract)
            .where(col(BlanketContract.customer_id) == customer_id, col(BlanketContract.state) == BlanketState.IN_FORCE)
            .where(col(BlanketContract.starts_on) <= day, col(BlanketContract.ends_on) >= day)
            .order_by(col(BlanketContract.number))
        )
    )


def own_blanket_contract(customer_id: int, number: str | None) -> BlanketContract | None:
    if not number:
        return None
    return (
        db.session()
        .exec(
            select(BlanketContract).where(BlanketContract.customer_id == customer_id, BlanketContract.number == number)
        )
        .first()
    )


def blanket_registration(contract_id: int, buyer_id: int, country: str) -> BlanketRegistration | None:
    """The 有効 簡易包括登録 of a buyer and 仕向国 under the contract (9-3)."""
    return (
        db.session()
        .exec(
            select(BlanketRegistration).where(
                BlanketRegistration.contract_id == contract_id,
                BlanketRegistration.buyer_id == buyer_id,
                BlanketRegistration.country == country,
                BlanketRegistration.state == RegistrationState.IN_FORCE,
            )
        )
        .first()
    )


def expire(day: date) -> int:
    """run-daily: every 特約 whose 満了日 has passed becomes 満了 (idempotent); how many did."""
    result = db.session().execute(
        update(Rider)
        .where(col(Rider.state).in_(RIDER_LIVE), col(Rider.ends_on) < day)
        .values(state=RiderState.EXPIRED, version=Rider.version + 1)
    )
    return result.rowcount
