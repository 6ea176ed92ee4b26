"""What 事故の状況 on the console (S.9) reads — the 事故 of every customer, searched and paged; one
事故 with its customer, policy and 支払人 — and the two 状況 it sets (11: 受理 / 請求可能 → 請求済
→ 支払済, both by NEXI staff).

Each change is one conditional UPDATE on the 事故's id, the 状況 and the version its screen showed:
a second staff member acting at the same time (or a double submit) finds no row and changes
nothing (`Conflict`). The list reads its page and its count in one statement (a window count).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, update
from sqlmodel import col, select

from nexi import db
from nexi.audit import audit
from nexi.blueprints.staff.limit_queries import _paged
from nexi.clock import now
from nexi.loss_inquiries import LossRow
from nexi.models import Buyer, Customer, Loss, LossState, Policy
from nexi.review import RACED


class Conflict(Exception):
    """The 事故 is no longer in the 状況 and version the action was taken on: nothing changed."""


@dataclass(frozen=True)
class Action:
    """One of S.9's changes of 状況: from which, to which."""

    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    audit_kind: str  # audit_event.kind (≤ 40 characters)


ACTIONS = {
    "claim": Action(
        "claim", "請求済にする", (LossState.ACCEPTED, LossState.CLAIMABLE), LossState.CLAIMED, "staff.loss.claimed"
    ),
    "pay": Action("pay", "支払済にする", (LossState.CLAIMED,), LossState.PAID, "staff.loss.paid"),
}


def offered(loss: Loss) -> Action | None:
    """The action the 状況 allows now (at most one; none from 支払済 or 請求期限経過)."""
    return next((action for action in ACTIONS.values() if loss.state in action.sources), None)


@dataclass(frozen=True)
class StaffLoss:
    """A 事故 as the console shows it: the customer's row, and whose it is."""

    row: LossRow
    customer: str  # 「123456789 株式会社サンプル精機」
    payer: str = ""

    @property
    def loss(self) -> Loss:
        return self.row.loss


def _query():
    return (
        select(Loss, col(Policy.number), col(Policy.branch), col(Customer.code), col(Customer.name_ja))
        .join(Policy, col(Policy.id) == col(Loss.policy_id))
        .join(Customer, col(Customer.id) == col(Loss.customer_id))
    )


def search(criteria: dict, page: int, size: int):
    """([StaffLoss], total, page, pages), newest 事故番号 first, in one statement."""
    query = _query().add_columns(func.count().over())
    if criteria.get("number"):
        query = query.where(col(Loss.number) == criteria["number"])
    if criteria.get("customer_code"):
        query = query.where(col(Customer.code).startswith(criteria["customer_code"], autoescape=True))
    if criteria.get("state"):
        query = query.where(col(Loss.state) == criteria["state"])

    def read(offset: int):
        return db.session().execute(query.order_by(col(Loss.number).desc()).limit(size).offset(offset)).all()

    rows, total, page, pages = _paged(read, page, size)
    shown = [StaffLoss(LossRow(loss, number, branch), f"{code} {name}") for loss, number, branch, code, name in rows]
    return shown, total, page, pages


def get(loss_id) -> StaffLoss | None:
    """One 事故 with its customer, policy and 支払人, in one statement (None: no such id)."""
    if not isinstance(loss_id, int):
        return None
    found = (
        db.session()
        .execute(
            _query()
            .add_columns(col(Buyer.code), col(Buyer.name_en))
            .join(Buyer, col(Buyer.id) == col(Policy.payer_id))
            .where(col(Loss.id) == loss_id)
        )
        .first()
    )
    if found is None:
        return None
    loss, number, branch, code, name, payer_code, payer_name = found
    return StaffLoss(LossRow(loss, number, branch), f"{code} {name}", f"{payer_code} {payer_name}")


def _before(loss: Loss) -> dict:
    return {
        "state": loss.state,
        "version": loss.version,
        "claimed_on": loss.claimed_on.isoformat() if loss.claimed_on else None,
        "paid_on": loss.paid_on.isoformat() if loss.paid_on else None,
        "paid_jpy": loss.paid_jpy,
    }


def apply(loss: Loss, action: Action, state: str, version: int, staff, *, on: date, paid_jpy: int | None = None):
    """「請求済にする」 (on = 請求日) or 「支払済にする」 (on = 支払日, with the 支払保険金額), on the 事故
    in the 状況 and version the screen showed; audited with the values before and after."""
    if state not in action.sources:
        raise Conflict(RACED)
    values = {"claimed_on": on} if action.key == "claim" else {"paid_on": on, "paid_jpy": paid_jpy}
    table = Loss.__table__
    changed = (
        db.session()
        .execute(
            update(table)
            .where(table.c.id == loss.id, table.c.state == state, table.c.version == version)
            .values(state=action.target, version=table.c.version + 1, updated_at=now(), **values)
        )
        .rowcount
    )
    if changed != 1:
        raise Conflict(RACED)
    before = _before(loss) | {"state": state, "version": version}
    db.session().refresh(loss)  # the screen shown next (in this request, for htmx) reads the new 状況
    audit(action.audit_kind, staff=staff, loss=loss.number, customer_id=loss.customer_id, before=before,
          after=_before(loss))  # fmt: skip
