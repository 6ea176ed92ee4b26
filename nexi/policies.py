"""A policy's 決済期限 and 状態 (DOMAIN.md 9-5, 10-3): what is outstanding on each 決済期限, the
settlements of 決済通知 (L03), the 状態 that follows from them, and the daily job that releases
the 使用額 of a policy nobody reported on (10-3). Amounts in whole minor units of the policy's
currency (nexi/models/contract.py); the yen of the 使用額 move only through nexi/limits.py.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select
from sqlmodel import col

from nexi import db, limits, losses, masters
from nexi.clock import now
from nexi.models import Instalment, Policy, PolicyState


def loss_notice_exists(policy_id: int, instalment_id: int | None = None) -> bool:
    """Whether a loss notice (A01 in 申込済, 審査中 or 完了, 11) exists on the 決済期限
    `instalment_id` — or, without it, on any part of the policy. Every rule a loss notice blocks
    asks this (9-5 変更) or, for many 決済期限 at once, `losses.noticed` (L03, 5-2, the daily job)."""
    return losses.notice_exists(policy_id, instalment_id)


def shipment_loss_notice_exists(shipment_id: int) -> bool:
    """Whether a loss notice exists on the shipment `shipment_id` recorded under a 簡易通知型
    包括保険契約 (one 決済期限 of its schedule, 9-4). IE2 asks this. A01 is filed on the policies of
    the contract book only (nexi/procedures/losses), so none exists on a recorded shipment yet."""
    return False


def outstanding(instalment: Instalment) -> int:
    """What is still unsettled on a 決済期限 (never below 0)."""
    return max(instalment.amount - instalment.settled, 0)


def state_of(policy: Policy, instalments: list[Instalment], has_loss: bool) -> str:
    """9-5, the first that applies: 解約 · 事故 (NEXI accepted a loss notice on it) · 決済済 (every
    決済期限 settled) · 一部決済 (something settled) · 有効."""
    if policy.state == PolicyState.CANCELLED:
        return PolicyState.CANCELLED
    if has_loss:
        return PolicyState.LOSS
    if instalments and all(outstanding(row) == 0 for row in instalments):
        return PolicyState.SETTLED
    if any(row.settled > 0 for row in instalments):
        return PolicyState.PART_SETTLED
    return PolicyState.IN_FORCE


def instalments_of(policy_id: int) -> list[Instalment]:
    """The policy's 決済期限 in due order."""
    return list(
        db.session().scalars(
            select(Instalment)
            .where(col(Instalment.policy_id) == policy_id)
            .order_by(col(Instalment.due_on), col(Instalment.position))
        )
    )


def refresh_state(policy: Policy, instalments: list[Instalment] | None = None) -> str:
    """Set the policy's 状態 from its 決済期限 and 事故 (after L03, A01's 受理, a 変更 …)."""
    rows = instalments_of(policy.id) if instalments is None else instalments
    state = state_of(policy, rows, losses.policy_has_loss(policy.id))
    if state != policy.state:
        policy.state = state
        policy.version += 1
        policy.updated_at = now()
    return state


def open_instalments(policy_id: int, instalments: list[Instalment] | None = None) -> list[Instalment]:
    """The 決済期限 a 決済通知 may settle: unsettled and without a loss notice, in due order."""
    rows = instalments_of(policy_id) if instalments is None else instalments
    noticed = {instalment for _policy, instalment, _kind in losses.noticed([policy_id])}
    return [row for row in rows if outstanding(row) > 0 and row.id not in noticed]


@dataclass(frozen=True)
class Settled:
    instalment: Instalment
    amount: int  # what this 決済通知 settled on it


def settle(policy_id: int, amount: int, on: date, position: int | None = None) -> list[Settled]:
    """L03 (10-3): `amount` settled on the 決済期限 at `position`, or (None) on the open ones in
    due order; the 使用額円 released by floor(amount × the 確認's rate) — all of it once the
    credit-covered outstanding reaches 0 or every 決済期限 is settled — and the 状態 refreshed.

    The policy row is locked first, so two 決済通知 on one policy never both take the last of a
    決済期限. LimitError (nothing changed) when the amount is not > 0 or exceeds what is open."""
    policy = db.session().get(Policy, policy_id, with_for_update=True, populate_existing=True)
    if policy is None:
        raise limits.LimitError("対象が見つかりません")
    rows = instalments_of(policy_id)
    targets = open_instalments(policy_id, rows)
    if position is not None:
        targets = [row for row in targets if row.position == position]
    if not targets or not 0 < amount <= sum(outstanding(row) for row in targets):
        raise limits.LimitError("決済金額が未決済額を超えています")
    left, done = amount, []
    for row in targets:
        part = min(left, outstanding(row))
        if part == 0:
            break
        row.settled += part
        row.settled_on = on if row.settled_on is None else max(row.settled_on, on)
        done.append(Settled(row, part))
        left -= part
    if policy.credit_outstanding or policy.used_jpy:
        everything = all(outstanding(row) == 0 for row in rows)
        released = None if everything else min(amount, policy.credit_outstanding)
        limits.release_use(policy.id, released, masters.decimals(policy.currency) or 0)
    refresh_state(policy, rows)
    return done


def auto_release(on: date) -> int:
    """The daily job (10-3): a policy still holding 使用額 with neither a 決済通知 (nothing settled
    on any 決済期限) nor a loss notice releases all of it once NEXI_AUTO_RELEASE_DAYS have passed
    since its last 決済期限 (from that day on). The number of policies released; idempotent, as a
    released policy holds nothing."""
    cutoff = on - timedelta(days=current_app.config["NEXI_AUTO_RELEASE_DAYS"])
    last_due = (
        select(func.max(Instalment.due_on))
        .where(col(Instalment.policy_id) == Policy.id)
        .correlate(Policy)
        .scalar_subquery()
    )
    reported = exists().where(and_(col(Instalment.policy_id) == Policy.id, col(Instalment.settled) > 0))
    found = db.session().execute(
        select(Policy.id, Policy.currency).where(
            or_(col(Policy.used_jpy) > 0, col(Policy.credit_outstanding) > 0),
            func.coalesce(last_due, Policy.period_to) <= cutoff,
            ~reported,
        )
    )
    rows = found.all()
    noticed = {policy_id for policy_id, _instalment, _kind in losses.noticed(policy_id for policy_id, _ in rows)}
    released = 0
    for policy_id, currency in rows:
        if policy_id in noticed:
            continue
        limits.release_use(policy_id, None, masters.decimals(currency) or 0)
        released += 1
    return released
