"""What 5-4 事故 reads: the customer's own 事故 (customer-owned, C.4.1). Every statement takes the
customer's id and is scoped by it, so another customer's 事故 is never found, not even by its exact
事故番号. The list is one statement capped at LIMIT rows (§5), by 事故番号 descending; a detail is
one statement.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from nexi import db
from nexi.inquiries import LIMIT
from nexi.losses import CAUSE_LABELS
from nexi.models import Buyer, Loss, LossState, NoticeKind, Policy
from nexi.procedures.limits.own import money

STATES = tuple(state.value for state in LossState)


def loss_criteria(number: str = "", policy: str = "", state: str = "") -> dict:
    """The criteria as the navigation state keeps them (strings)."""
    return {"number": number or "", "policy": policy or "", "state": state or ""}


@dataclass(frozen=True)
class LossRow:
    """A 事故 as 5-4 shows it, with the 証券番号-枝番 of its policy."""

    loss: Loss
    policy_number: str
    policy_branch: str

    @property
    def policy_key(self) -> str:
        return f"{self.policy_number}-{self.policy_branch}"

    @property
    def anchor_label(self) -> str:
        """船積後: the 決済期限 the 事故 belongs to; 船積前 / 増加費用: its 事故確定日 (11)."""
        return "決済期限" if self.loss.kind == NoticeKind.POST else "事故確定日"

    @property
    def anchor(self) -> date | None:
        return self.loss.due_on if self.loss.kind == NoticeKind.POST else self.loss.fixed_on

    def amount(self, value: int | None) -> str:
        """Minor units in the policy currency, 「USD 12,345.67」."""
        return "—" if value is None else money(value, self.loss.currency)

    @property
    def recovered(self) -> bool:
        """未回収残額 0: 「全額回収」 (11-2)."""
        return self.loss.outstanding == 0

    @property
    def extended(self) -> bool:
        return bool(self.loss.extensions)

    @property
    def cause_label(self) -> str:
        return CAUSE_LABELS.get(self.loss.cause, self.loss.cause)


def _losses(customer_id: int, criteria: dict):
    query = (
        select(Loss, col(Policy.number), col(Policy.branch))
        .join(Policy, (col(Policy.id) == col(Loss.policy_id)) & (col(Policy.customer_id) == customer_id))
        .where(col(Loss.customer_id) == customer_id)
    )
    if criteria.get("number"):
        query = query.where(col(Loss.number) == criteria["number"])
    number, _, branch = (criteria.get("policy") or "").partition("-")
    if number:
        query = query.where(col(Policy.number) == number)
    if branch:
        query = query.where(col(Policy.branch) == branch)
    if criteria.get("state"):
        query = query.where(col(Loss.state) == criteria["state"])
    return query


def search_losses(customer_id: int, criteria: dict) -> tuple[list[LossRow], bool]:
    """(the customer's 事故 found, by 事故番号 descending, at most LIMIT; whether more matched):
    one statement."""
    rows = db.session().execute(_losses(customer_id, criteria).order_by(col(Loss.number).desc()).limit(LIMIT + 1)).all()
    return [LossRow(*row) for row in rows[:LIMIT]], len(rows) > LIMIT


@dataclass(frozen=True)
class LossDetail:
    row: LossRow
    payer: str  # 「304-000123 ABC TRADING」: whom the loss is on

    @property
    def loss(self) -> Loss:
        return self.row.loss


def find_loss(customer_id: int, number: str | None) -> LossDetail | None:
    """The customer's own 事故 `number` with its policy's key and 支払人 (None: none of its own), in
    one statement."""
    if not isinstance(number, str) or not number:
        return None
    found = (
        db.session()
        .execute(
            _losses(customer_id, {"number": number})
            .add_columns(col(Buyer.code), col(Buyer.name_en))
            .join(Buyer, col(Buyer.id) == col(Policy.payer_id))
        )
        .first()
    )
    if found is None:
        return None
    loss, policy_number, branch, code, name = found
    return LossDetail(LossRow(loss, policy_number, branch), f"{code} {name}")
