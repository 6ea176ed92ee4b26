"""個別保証枠 accounting (DOMAIN.md §10): 確認, earmarks and the 使用額 of policies, in yen.

A buyer's 予約額 = Σ 予約残円 of its open 確認 + Σ yen of their open earmarks, its 使用額 = Σ 使用額円
of the policies whose credit cover came from its 確認, and 残高 = 設定額 − 使用額 − 予約額: sums of what
the rows store, never a running total kept beside them, so no rounding residue is left behind.

Each change first locks the row it draws on (the buyer for an approval against its 残高, the 確認
for an earmark, the policy for a release) and then checks and writes it, so that of two requests
drawing on the last of something exactly one succeeds: a row lock until commit on PostgreSQL; on
SQLite the request's transaction already holds the write lock (nexi/db.py). A change that does not
fit raises LimitError and changes nothing. Amounts in a currency are whole minor units
(nexi/models/contract.py). Only NEXI staff ever see a buyer-wide figure (C.4.1).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import func, select
from sqlmodel import col

from nexi import db
from nexi.clock import add_months, now
from nexi.models import Buyer, Confirmation, ConfirmationState, Earmark, EarmarkState, Policy, PolicyState
from nexi.models.contract import OPEN_CONFIRMATION


class LimitError(Exception):
    """The change does not fit (残額, 残高, or the 確認 is over): nothing was changed."""


def yen(amount: int, decimals: int, rate: Decimal) -> int:
    """floor(amount × rate) for `amount` in minor units of a currency with `decimals`."""
    return int((Decimal(amount).scaleb(-decimals) * rate).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class Amounts:
    """A buyer's 個別保証枠 as NEXI staff see it (S.6)."""

    limit: int  # 設定額
    used: int  # 使用額
    reserved: int  # 予約額

    @property
    def balance(self) -> int:  # 残高
        return self.limit - self.used - self.reserved


def _sums(buyer_id: int, customer_id: int | None = None) -> tuple[int, int]:
    """(予約額, 使用額) of the buyer's 確認 (one customer's only, if given), in one statement."""
    ids = select(Confirmation.id).where(col(Confirmation.buyer_id) == buyer_id)
    if customer_id is not None:
        ids = ids.where(col(Confirmation.customer_id) == customer_id)
    ids = ids.scalar_subquery()
    reserved = select(func.coalesce(func.sum(Confirmation.reserved_jpy), 0)).where(
        col(Confirmation.id).in_(ids), col(Confirmation.state).in_(OPEN_CONFIRMATION)
    )
    earmarked = select(func.coalesce(func.sum(Earmark.amount_jpy), 0)).where(
        col(Earmark.confirmation_id).in_(ids), col(Earmark.state) == EarmarkState.OPEN
    )
    used = select(func.coalesce(func.sum(Policy.used_jpy), 0)).where(col(Policy.confirmation_id).in_(ids))
    row = (
        db.session()
        .execute(select(reserved.scalar_subquery(), earmarked.scalar_subquery(), used.scalar_subquery()))
        .one()
    )
    return int(row[0]) + int(row[1]), int(row[2])


def amounts(buyer: Buyer) -> Amounts:
    """設定額, 使用額, 予約額 (and 残高) of a buyer — for NEXI staff only (C.4.1)."""
    reserved, used = _sums(buyer.id)
    return Amounts(limit=buyer.limit_amount or 0, used=used, reserved=reserved)


def own_amounts(buyer_id: int, customer_id: int) -> tuple[int, int]:
    """A customer's own 予約額 and 使用額 on a buyer (5-3): never anyone else's, never the 残高."""
    return _sums(buyer_id, customer_id)


def lock_buyer(buyer_id: int) -> None:
    """Lock the buyer's row until commit (PostgreSQL; SQLite: the request holds the write lock),
    as an approval against its 残高 does, without reading the row again."""
    table = Buyer.__table__
    db.session().execute(select(table.c.id).where(table.c.id == buyer_id).with_for_update())


def _locked(model, row_id: int):
    """The row, locked until commit and read afresh (what another request committed meanwhile)."""
    found = db.session().get(model, row_id, with_for_update=True, populate_existing=True)
    if found is None:
        raise LimitError("対象が見つかりません")
    return found


# --- 確認 -----------------------------------------------------------------------------------------


def approve(
    *, number: str, customer_id: int, buyer_id: int, application_id: int | None, product: str,
    currency: str, decimals: int, amount: int, rate: Decimal, approved_on: date,
) -> Confirmation:  # fmt: skip
    """L01 完了 (10-1): a 確認 of `amount` whose 確認額円 fits the buyer's 残高, valid through
    add_months(approved_on, 3) − 1 day, its 確認額円 added to the 予約額 as its 予約残円."""
    buyer = _locked(Buyer, buyer_id)
    amount_jpy = yen(amount, decimals, rate)
    if amount <= 0 or amount_jpy > amounts(buyer).balance:
        raise LimitError("個別保証枠の残高を超えています")
    confirmation = Confirmation(
        number=number, customer_id=customer_id, buyer_id=buyer_id, application_id=application_id,
        product=product, currency=currency, amount=amount, rate=rate, amount_jpy=amount_jpy,
        reserved_jpy=amount_jpy, approved_on=approved_on,
        valid_until=add_months(approved_on, 3) - timedelta(days=1), updated_at=now(),
    )  # fmt: skip
    db.session().add(confirmation)
    db.session().flush()
    return confirmation


def remaining(confirmation: Confirmation) -> int:
    """残額 = 確認額 − earmarked − used − returned (in the 確認's currency)."""
    return confirmation.amount - confirmation.earmarked - confirmation.used - confirmation.returned


def _restate(confirmation: Confirmation) -> None:
    """The 状況 after a change: 使用済 when nothing is left, none pends and some was used; 枠戻し済 when
    all that is left was given back; 一部使用 once something is earmarked or used. A 確認 that is
    over holds no 予約残円 (its rest goes back to the 残高)."""
    if confirmation.state not in OPEN_CONFIRMATION:
        return
    if remaining(confirmation) == 0 and confirmation.earmarked == 0:
        confirmation.state = ConfirmationState.USED if confirmation.used else ConfirmationState.RETURNED
    elif confirmation.earmarked or confirmation.used:
        confirmation.state = ConfirmationState.PART_USED
    else:
        confirmation.state = ConfirmationState.CONFIRMED
    if confirmation.state not in OPEN_CONFIRMATION:
        confirmation.reserved_jpy = 0
    confirmation.version += 1
    confirmation.updated_at = now()


def give_back(confirmation_id: int, amount: int | None, decimals: int) -> Confirmation:
    """L02 予約分 (10-2): `amount` of the 残額 back (None = 全部: the 確認 becomes 枠戻し済 and
    releases what it still holds); its yen, capped at the 予約残円, leave the 予約額."""
    confirmation = _locked(Confirmation, confirmation_id)
    if confirmation.state not in OPEN_CONFIRMATION:
        raise LimitError("この確認は使用できません")
    left = remaining(confirmation)
    amount = left if amount is None else amount
    if not 0 < amount <= left:
        raise LimitError("戻し金額が確認の残額を超えています")
    confirmation.returned += amount
    confirmation.reserved_jpy -= min(yen(amount, decimals, confirmation.rate), confirmation.reserved_jpy)
    if remaining(confirmation) == 0:
        confirmation.state = ConfirmationState.RETURNED
        confirmation.reserved_jpy = 0
    _restate(confirmation)
    return confirmation


def expire(on: date) -> int:
    """The daily job (10-1): open 確認 whose 有効期限 is before `on` become 期限切れ; their 予約残円
    returns to the 残高, earmarks already taken stay with their applications. Idempotent."""
    found = db.session().scalars(
        select(Confirmation)
        .where(col(Confirmation.state).in_(OPEN_CONFIRMATION), col(Confirmation.valid_until) < on)
        .with_for_update()
    )
    expired = 0
    for confirmation in found.all():
        confirmation.state = ConfirmationState.EXPIRED
        confirmation.reserved_jpy = 0
        confirmation.version += 1
        confirmation.updated_at = now()
        expired += 1
    return expired


# --- earmarks ---------------------------------------------------------------------------------------


def earmark(confirmation_id: int, application_id: int, amount: int, decimals: int, *, on: date) -> Earmark:
    """申込む quoting a 確認 (10): take `amount` from its 残額 and floor(amount × rate) yen, capped
    at the 予約残円, for the application. The 確認 must be open and not expired on `on`."""
    confirmation = _locked(Confirmation, confirmation_id)
    if confirmation.state not in OPEN_CONFIRMATION or confirmation.valid_until < on:
        raise LimitError("この確認は使用できません")
    if not 0 < amount <= remaining(confirmation):
        raise LimitError("確認の残額が不足しています")
    taken = min(yen(amount, decimals, confirmation.rate), confirmation.reserved_jpy)
    confirmation.earmarked += amount
    confirmation.reserved_jpy -= taken
    mark = Earmark(
        confirmation_id=confirmation.id,
        application_id=application_id,
        amount=amount,
        amount_jpy=taken,
        created_at=now(),
    )
    db.session().add(mark)
    _restate(confirmation)
    db.session().flush()
    return mark


def _open_mark(application_id: int) -> Earmark | None:
    return (
        db.session()
        .scalars(
            select(Earmark).where(
                col(Earmark.application_id) == application_id, col(Earmark.state) == EarmarkState.OPEN
            )
        )
        .one_or_none()
    )


def release(application_id: int) -> Earmark | None:
    """取下げ or 不承認 of an application: its earmark goes back to its 確認 (or, if the 確認 is over,
    to the 残高: an over 確認 holds no 予約残円). None when the application held none."""
    mark = _open_mark(application_id)
    if mark is None:
        return None
    confirmation = _locked(Confirmation, mark.confirmation_id)
    mark.state = EarmarkState.RELEASED
    confirmation.earmarked -= mark.amount
    if confirmation.state in OPEN_CONFIRMATION:
        confirmation.reserved_jpy += mark.amount_jpy
    _restate(confirmation)
    return mark


def use(application_id: int, policy: Policy) -> Earmark | None:
    """完了 of an application that earmarked: the earmark becomes the policy's 使用額円 and its
    credit-covered outstanding; None when the application held none."""
    mark = _open_mark(application_id)
    if mark is None:
        return None
    confirmation = _locked(Confirmation, mark.confirmation_id)
    mark.state = EarmarkState.USED
    mark.policy_id = policy.id
    confirmation.earmarked -= mark.amount
    confirmation.used += mark.amount
    policy.confirmation_id = confirmation.id
    policy.used_jpy += mark.amount_jpy
    policy.credit_outstanding += mark.amount
    _restate(confirmation)
    return mark


# --- 使用額 of policies --------------------------------------------------------------------------------


def release_use(policy_id: int, amount: int | None, decimals: int) -> Policy:
    """L02 使用分, L03 and 金額減額: `amount` of the credit-covered outstanding settled or given back
    (None = all of it) and floor(amount × rate) of its 使用額円, capped at what it stores; a policy
    left with no credit-covered outstanding, or 解約, releases whatever it still stores."""
    policy = _locked(Policy, policy_id)
    amount = policy.credit_outstanding if amount is None else amount
    if not 0 <= amount <= policy.credit_outstanding:
        raise LimitError("金額が保険の残額を超えています")
    if policy.confirmation_id is not None:
        rate = db.session().get(Confirmation, policy.confirmation_id).rate
        policy.used_jpy -= min(yen(amount, decimals, rate), policy.used_jpy)
    policy.credit_outstanding -= amount
    if policy.credit_outstanding == 0 or policy.state == PolicyState.CANCELLED:
        policy.used_jpy = 0
    policy.version += 1
    policy.updated_at = now()
    return policy
