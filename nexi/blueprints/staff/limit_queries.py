"""What the 個別保証枠 screens of the console read (S.6): the buyers with a 個別保証枠 and their
設定額, 使用額, 予約額 and 残高; one buyer's 確認 and the policies holding its 使用額, across customers.

The amounts are the sums nexi/limits.py `amounts` makes for one buyer, grouped here per buyer in one
statement for a whole page (`held`), so that a page costs the same whatever its rows. Each list
counts its rows with a window function in the statement that reads its page. Staff only (C.4.1).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, exists, func, literal_column, or_, select, union_all
from sqlmodel import col

from nexi import db, limits, masters
from nexi.blueprints.staff.buyer_queries import _filtered
from nexi.models import Buyer, Confirmation, Customer, Earmark, EarmarkState, Policy
from nexi.models.contract import OPEN_CONFIRMATION


def held(buyer_ids):
    """(buyer_id, reserved, used) of each buyer among `buyer_ids` (ids or a select of them) that
    holds anything: 予約額 = Σ 予約残円 of its open 確認 + Σ yen of their open earmarks, 使用額 = Σ
    使用額円 of the policies whose credit cover came from its 確認 — as nexi/limits.py counts them."""
    zero = literal_column("0", BigInteger)
    buyer = col(Confirmation.buyer_id)
    parts = union_all(
        select(buyer.label("buyer_id"), col(Confirmation.reserved_jpy).label("reserved"), zero.label("used")).where(
            buyer.in_(buyer_ids), col(Confirmation.state).in_(OPEN_CONFIRMATION)
        ),
        select(buyer, col(Earmark.amount_jpy), zero)
        .join(Earmark, col(Earmark.confirmation_id) == col(Confirmation.id))
        .where(buyer.in_(buyer_ids), col(Earmark.state) == EarmarkState.OPEN),
        select(buyer, zero, col(Policy.used_jpy))
        .join(Policy, col(Policy.confirmation_id) == col(Confirmation.id))
        .where(buyer.in_(buyer_ids)),
    ).subquery()
    return (
        select(parts.c.buyer_id, func.sum(parts.c.reserved).label("reserved"), func.sum(parts.c.used).label("used"))
        .group_by(parts.c.buyer_id)
        .subquery()
    )


def _amounts(buyer: Buyer, reserved, used) -> limits.Amounts:
    return limits.Amounts(limit=buyer.limit_amount or 0, used=int(used or 0), reserved=int(reserved or 0))


def _paged(read, page: int, size: int):
    """(rows, total, page, pages) of `read(offset)`, whose rows end with the total (a window
    count). A page past the end (the rows shrank since it was shown) gives the last page."""
    page = max(page, 1)
    rows = read((page - 1) * size)
    if not rows and page > 1:
        total = read(0)[:1]
        if not total:
            return [], 0, 1, 1
        page = max(1, -(-total[0][-1] // size))
        rows = read((page - 1) * size)
    total = rows[0][-1] if rows else 0
    return [tuple(row)[:-1] for row in rows], total, page, max(1, -(-total // size))


# --- 個別保証枠の状況 -------------------------------------------------------------------------------


def _with_limit(criteria: dict):
    """Buyers of the criteria (バイヤーコード, 名称, 国) that have a 個別保証枠: a rating that needs one,
    a 設定額, or a 確認 (a buyer re-rated since still holds what its 確認 and policies hold)."""
    found = exists().where(col(Confirmation.buyer_id) == col(Buyer.id))
    return _filtered(criteria).where(
        or_(col(Buyer.rating).in_(masters.LIMIT_RATINGS), col(Buyer.limit_amount).is_not(None), found)
    )


def search(criteria: dict, page: int, size: int):
    """([(buyer, Amounts)], total, page, pages) by バイヤーコード, in one statement."""

    def read(offset: int):
        ids = (
            _with_limit(criteria)
            .with_only_columns(col(Buyer.id).label("id"), func.count().over().label("total"))
            .order_by(col(Buyer.code))
            .limit(size)
            .offset(offset)
            .subquery()
        )
        sums = held(select(ids.c.id))
        query = (
            select(Buyer, sums.c.reserved, sums.c.used, ids.c.total)
            .join(ids, ids.c.id == col(Buyer.id))
            .outerjoin(sums, sums.c.buyer_id == col(Buyer.id))
            .order_by(col(Buyer.code))
        )
        return db.session().execute(query).all()

    rows, total, page, pages = _paged(read, page, size)
    return [(buyer, _amounts(buyer, reserved, used)) for buyer, reserved, used in rows], total, page, pages


# --- 個別保証枠の詳細 -------------------------------------------------------------------------------


def buyer(buyer_id) -> tuple[Buyer, limits.Amounts] | None:
    """A buyer with its amounts, in one statement (None for an id that finds none)."""
    if not isinstance(buyer_id, int):
        return None
    sums = held([buyer_id])
    found = (
        db.session()
        .execute(
            select(Buyer, sums.c.reserved, sums.c.used)
            .outerjoin(sums, sums.c.buyer_id == col(Buyer.id))
            .where(col(Buyer.id) == buyer_id)
        )
        .first()
    )
    return (found[0], _amounts(*found)) if found else None


def _shown(amount: int, decimals: int) -> str:
    """Minor units of a currency as the currency's amount, with commas."""
    return f"{Decimal(amount).scaleb(-decimals):,.{decimals}f}"


@dataclass(frozen=True)
class ConfirmationRow:
    number: str  # 確認管理番号
    customer: str  # 保険利用者 (code + name)
    currency: str
    amount: str  # 確認額, in the currency
    amount_jpy: int  # 確認額円
    earmarked: str
    remaining: str  # 残額
    reserved_jpy: int  # 予約残円
    valid_until: date
    state: str
    open: bool


def confirmations(buyer_id: int, page: int, size: int):
    """Every customer's 確認 on the buyer, newest 確認管理番号 first: (rows, total, page, pages)."""

    def read(offset: int):
        return (
            db.session()
            .execute(
                select(Confirmation, col(Customer.code), col(Customer.name_ja), func.count().over())
                .join(Customer, col(Customer.id) == col(Confirmation.customer_id))
                .where(col(Confirmation.buyer_id) == buyer_id)
                .order_by(col(Confirmation.number).desc())
                .limit(size)
                .offset(offset)
            )
            .all()
        )

    rows, total, page, pages = _paged(read, page, size)
    shown = []
    for found, code, name in rows:
        places = masters.decimals(found.currency) or 0
        shown.append(
            ConfirmationRow(
                number=found.number, customer=f"{code} {name}", currency=found.currency,
                amount=_shown(found.amount, places), amount_jpy=found.amount_jpy,
                earmarked=_shown(found.earmarked, places), remaining=_shown(limits.remaining(found), places),
                reserved_jpy=found.reserved_jpy, valid_until=found.valid_until, state=found.state,
                open=found.state in OPEN_CONFIRMATION,
            )
        )  # fmt: skip
    return shown, total, page, pages


@dataclass(frozen=True)
class PolicyRow:
    number: str  # 証券番号-枝番
    customer: str
    used_jpy: int  # 使用額円
    currency: str
    outstanding: str  # the credit-covered outstanding, in the currency
    state: str


def policies(buyer_id: int, page: int, size: int):
    """The policies holding 使用額 of the buyer's 個別保証枠 (through its 確認), newest 証券番号
    first: (rows, total, page, pages)."""

    def read(offset: int):
        return (
            db.session()
            .execute(
                select(Policy, col(Customer.code), col(Customer.name_ja), func.count().over())
                .join(Confirmation, col(Confirmation.id) == col(Policy.confirmation_id))
                .join(Customer, col(Customer.id) == col(Policy.customer_id))
                .where(col(Confirmation.buyer_id) == buyer_id, col(Policy.used_jpy) > 0)
                .order_by(col(Policy.number).desc(), col(Policy.branch).desc())
                .limit(size)
                .offset(offset)
            )
            .all()
        )

    rows, total, page, pages = _paged(read, page, size)
    shown = [
        PolicyRow(
            number=f"{found.number}-{found.branch}",
            customer=f"{code} {name}",
            used_jpy=found.used_jpy,
            currency=found.currency,
            outstanding=_shown(found.credit_outstanding, masters.decimals(found.currency) or 0),
            state=found.state,
        )  # fmt: skip
        for found, code, name in rows
    ]
    return shown, total, page, pages


# --- 予約の期限切れ処理 -----------------------------------------------------------------------------


def expirable(on: date) -> int:
    """How many open 確認 `limits.expire(on)` would make 期限切れ (有効期限 before `on`)."""
    return (
        db.session()
        .execute(
            select(func.count())
            .select_from(Confirmation)
            .where(col(Confirmation.state).in_(OPEN_CONFIRMATION), col(Confirmation.valid_until) < on)
        )
        .scalar_one()
    )
