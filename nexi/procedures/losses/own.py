"""The customer's own policies and 事故 as A01–A03 offer and read them (C.4: scoped by the
保険利用者, so another customer's row is never offered and a posted number of one is refused).
Read once per request and customer (nexi/procedures/limits/own.py `_cached`)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from nexi import db, losses, masters, policies
from nexi.models import Buyer, Instalment, Loss, Policy, PolicyState
from nexi.procedures.limits.own import _cached, japanese_day, money, policy_key

NOTIFIABLE = (PolicyState.IN_FORCE, PolicyState.PART_SETTLED, PolicyState.LOSS)  # 11-1 証券番号・枝番


@dataclass(frozen=True)
class Notifiable:
    policy: Policy
    payer: str  # 「304-000123 ABC TRADING」
    payer_rating: str
    instalments: tuple[Instalment, ...]  # every 決済期限, in due order
    noticed: frozenset  # (instalment id or None, 通知区分) of the loss notices existing on it

    def open_instalments(self) -> list[Instalment]:
        """The unsettled 決済期限 without a loss notice (11-1 対象決済期限)."""
        taken = {instalment for instalment, _kind in self.noticed}
        return [row for row in self.instalments if policies.outstanding(row) > 0 and row.id not in taken]

    def kind_taken(self, kind: str) -> bool:
        return any(k == kind for _instalment, k in self.noticed)


def notifiable(customer_id: int, *, excluding: int | None = None) -> list[Notifiable]:
    """The customer's policies in 有効, 一部決済 or 事故, with their 決済期限 and loss notices: two
    statements (the policies with their 決済期限; the loss notices on them)."""

    def load():
        rows = (
            db.session()
            .execute(
                select(Policy, Buyer.code, Buyer.name_en, Buyer.rating, Instalment)
                .join(Buyer, col(Buyer.id) == Policy.payer_id)
                .outerjoin(Instalment, col(Instalment.policy_id) == Policy.id)
                .where(col(Policy.customer_id) == customer_id, col(Policy.state).in_(NOTIFIABLE))
                .order_by(col(Policy.number), col(Policy.branch), col(Instalment.due_on), col(Instalment.position))
            )
            .all()
        )
        found: dict[int, list] = {}
        for policy, code, name, rating, instalment in rows:
            entry = found.setdefault(policy.id, [policy, f"{code} {name}", rating, []])
            if instalment is not None:
                entry[3].append(instalment)
        noticed: dict[int, set] = {}
        for policy_id, instalment_id, kind in losses.noticed(found, excluding=excluding):
            noticed.setdefault(policy_id, set()).add((instalment_id, kind))
        return [
            Notifiable(policy, payer, rating, tuple(rows_), frozenset(noticed.get(policy.id, ())))
            for policy, payer, rating, rows_ in found.values()
        ]

    return _cached(("notifiable", customer_id, excluding), load)


def notifiable_policy(customer_id: int, key: str | None, *, excluding: int | None = None) -> Notifiable | None:
    return next((item for item in notifiable(customer_id, excluding=excluding) if policy_key(item.policy) == key), None)


def instalment_label(row: Instalment, currency: str) -> str:
    return f"第{row.position}回 {japanese_day(row.due_on)}（未決済額 {money(policies.outstanding(row), currency)}）"


# --- 事故 --------------------------------------------------------------------------------------------


def own_losses(customer_id: int, states=None) -> list[tuple[Loss, str]]:
    """The customer's 事故 (in `states`, or any), newest first, each with its policy's 証券番号・枝番."""

    def load():
        query = (
            select(Loss, Policy.number, Policy.branch)
            .join(Policy, col(Policy.id) == Loss.policy_id)
            .where(col(Loss.customer_id) == customer_id)
            .order_by(col(Loss.number).desc())
        )
        if states:
            query = query.where(col(Loss.state).in_(states))
        return [(loss, f"{number}-{branch}") for loss, number, branch in db.session().execute(query)]

    return _cached(("losses", customer_id, tuple(states or ())), load)


def own_loss(customer_id: int, number: str | None, *, lock: bool = False) -> Loss | None:
    """The customer's own 事故 by its 事故番号 (locked: read again, for 申込む and 完了)."""
    if lock:
        return losses.own(customer_id, number, lock=True)
    return _cached(("loss", customer_id, number), lambda: losses.own(customer_id, number))


def loss_label(loss: Loss, key: str) -> str:
    left = money(loss.outstanding, loss.currency)
    return f"{loss.number}（証券番号 {key}、{loss.kind}、未回収残額 {left}、{loss.state}）"


def decimals(currency: str) -> int:
    return masters.decimals(currency) or 0
