"""What 5-3 個別保証枠 reads: the buyers on which the customer holds a 確認 or a policy under
個別保証枠, with the customer's OWN 予約額 and 使用額 only — the sums nexi/limits.py `own_amounts`
makes, grouped per buyer in one statement — and of the buyer only its public fields, 枠あり / 枠なし
computed in the query: no buyer-wide amount (設定額, 残高) nor another customer's share ever reaches
this process (C.4.1). The list is one statement capped at LIMIT rows (§5).
"""

from dataclasses import dataclass

from sqlalchemy import BigInteger, case, func, literal_column, select, union_all
from sqlmodel import col

from nexi import db, inquiries
from nexi.inquiries import LIMIT
from nexi.models import Buyer, Confirmation, Earmark, EarmarkState, Policy
from nexi.models.contract import OPEN_CONFIRMATION


def limit_criteria(buyer: str = "") -> dict:
    return {"buyer": buyer or ""}


@dataclass(frozen=True)
class OwnLimit:
    """A buyer as 5-3 shows it: public fields, 枠あり / 枠なし, and the customer's own yen."""

    buyer_id: int
    code: str
    name_en: str
    country_code: str
    rating: str
    has_limit: bool
    reserved_jpy: int  # the customer's own 予約額
    used_jpy: int  # the customer's own 使用額

    @property
    def limit_label(self) -> str:
        return "枠あり" if self.has_limit else "枠なし"


def _own_held(customer_id: int):
    """(buyer_id, reserved, used) of every buyer on which the customer holds a 確認 (in any state)
    or a policy under 個別保証枠 (its credit cover came from one of its 確認): its own 予約額 =
    Σ 予約残円 of its open 確認 + Σ yen of their open earmarks, its own 使用額 = Σ 使用額円 of its
    policies on them — as nexi/limits.py `own_amounts` counts them, for all its buyers at once."""
    zero = literal_column("0", BigInteger)
    buyer, mine = col(Confirmation.buyer_id), col(Confirmation.customer_id) == customer_id
    parts = union_all(
        select(buyer.label("buyer_id"), zero.label("reserved"), zero.label("used")).where(mine),
        select(buyer, col(Confirmation.reserved_jpy), zero).where(mine, col(Confirmation.state).in_(OPEN_CONFIRMATION)),
        select(buyer, col(Earmark.amount_jpy), zero)
        .join(Earmark, col(Earmark.confirmation_id) == col(Confirmation.id))
        .where(mine, col(Earmark.state) == EarmarkState.OPEN),
        select(buyer, zero, col(Policy.used_jpy))
        .join(Policy, col(Policy.confirmation_id) == col(Confirmation.id))
        .where(mine, col(Policy.customer_id) == customer_id),
    ).subquery()
    return (
        select(parts.c.buyer_id, func.sum(parts.c.reserved).label("reserved"), func.sum(parts.c.used).label("used"))
        .group_by(parts.c.buyer_id)
        .subquery()
    )


def _own_limits(customer_id: int):
    sums = _own_held(customer_id)
    return select(
        col(Buyer.id),
        col(Buyer.code),
        col(Buyer.name_en),
        col(Buyer.country_code),
        col(Buyer.rating),
        case((col(Buyer.limit_amount) > 0, True), else_=False).label("has_limit"),
        sums.c.reserved,
        sums.c.used,
    ).join(sums, sums.c.buyer_id == col(Buyer.id))


def _own_limit(row) -> OwnLimit:
    return OwnLimit(row[0], row[1], row[2], row[3], row[4], bool(row[5]), int(row[6] or 0), int(row[7] or 0))


def search_limits(customer_id: int, criteria: dict) -> tuple[list[OwnLimit], bool]:
    """(the customer's buyers under 個別保証枠, by バイヤーコード, at most LIMIT; whether more), one
    statement."""
    query = _own_limits(customer_id)
    if criteria.get("buyer"):
        query = query.where(col(Buyer.id).in_(inquiries.buyer_ids(criteria["buyer"])))
    rows = db.session().execute(query.order_by(col(Buyer.code)).limit(LIMIT + 1)).all()
    return [_own_limit(row) for row in rows[:LIMIT]], len(rows) > LIMIT


@dataclass(frozen=True)
class LimitDetail:
    buyer: OwnLimit
    confirmations: list[Confirmation]  # the customer's own 確認 on the buyer, newest first
    policies: list[Policy]  # the customer's own policies whose credit cover came from them
    capped: bool  # either list had more than LIMIT rows


def find_limit(customer_id: int, code: str | None) -> LimitDetail | None:
    """The buyer `code` with the customer's own 確認 and policies on it (None: the customer holds
    nothing on it). Three statements."""
    if not inquiries.is_code(code or ""):
        return None
    found = db.session().execute(_own_limits(customer_id).where(col(Buyer.code) == code)).first()
    if found is None:
        return None
    buyer = _own_limit(found)
    confirmations = list(
        db.session().scalars(
            select(Confirmation)
            .where(col(Confirmation.customer_id) == customer_id, col(Confirmation.buyer_id) == buyer.buyer_id)
            .order_by(col(Confirmation.number).desc())
            .limit(LIMIT + 1)
        )
    )
    own = select(Confirmation.id).where(
        col(Confirmation.customer_id) == customer_id, col(Confirmation.buyer_id) == buyer.buyer_id
    )
    held = list(
        db.session().scalars(
            select(Policy)
            .where(col(Policy.customer_id) == customer_id, col(Policy.confirmation_id).in_(own))
            .order_by(col(Policy.number).desc(), col(Policy.branch).desc())
            .limit(LIMIT + 1)
        )
    )
    capped = len(confirmations) > LIMIT or len(held) > LIMIT
    return LimitDetail(buyer, confirmations[:LIMIT], held[:LIMIT], capped)
