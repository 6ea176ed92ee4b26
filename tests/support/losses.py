"""Loss notices and 事故 for tests below the A01 screens (5-4, S.9, L03, the daily job, the
reminders), written through nexi/losses.py as A01's 申込む and NEXI's 受理 write them."""

from datetime import date

from sqlmodel import select

from nexi import db, losses
from nexi.clock import now
from nexi.models import Instalment, Loss, NoticeKind, Policy, Status, WebUser
from tests.support import contracts


def notice_on(policy_id: int, instalment_id: int | None = None, kind: str = NoticeKind.POST):
    """A loss notice existing on the policy's 決済期限 (or its pre-shipment cover): an A01 of the
    policy's customer, 申込済. Returns the A01."""
    policy = db.session().get(Policy, policy_id)
    user = db.session().exec(select(WebUser.id).where(WebUser.customer_id == policy.customer_id)).first()
    application = contracts.application(policy.customer_id, user, "A01")
    application.submitted_at = now()
    losses.record_notice(application, policy.customer_id, policy_id, instalment_id, kind)
    return application


def loss_on(policy_id: int, instalment_id: int | None = None, *, kind: str = NoticeKind.POST, cause: str = "12",
            fixed_on: date | None = None, expected_loss: int | None = None) -> Loss:  # fmt: skip
    """An A01 on the 決済期限 accepted by NEXI: its 事故 (claim dates by 11-1, 状況 受理 or 請求可能 as
    of the business day); 損失見込額 and 未回収額 default to the 決済期限's amount."""
    application = notice_on(policy_id, instalment_id, kind)
    application.status = Status.COMPLETED
    policy = db.session().get(Policy, policy_id)
    instalment = db.session().get(Instalment, instalment_id) if instalment_id else None
    whole = instalment.amount if instalment else (policy.value_pre or policy.value_post)
    loss = losses.accept(
        application,
        policy=policy,
        instalment=instalment,
        values={"kind": kind, "cause": cause},
        amounts={
            "expected_loss": whole if expected_loss is None else expected_loss,
            "unpaid": whole if kind == NoticeKind.POST else None,
            "fixed_on": fixed_on,
        },
    )
    db.session().flush()
    return loss


def accepted_loss(customer_id: int, user_id: int, buyer, *, due_on: date = date(2026, 8, 29),
                  amount: int = 10_000_000, **values) -> Loss:  # fmt: skip
    """A USD policy of `amount` cents with one 決済期限 on `due_on`, and a 事故 on it (`loss_on`)."""
    policy = contracts.policy(customer_id, buyer, amount=amount)
    if values.get("kind", NoticeKind.POST) != NoticeKind.POST:
        policy.cover_pre, policy.value_pre = True, amount
    instalment = Instalment(policy_id=policy.id, position=1, due_on=due_on, amount=amount)
    db.session().add(instalment)
    db.session().flush()
    target = instalment.id if values.get("kind", NoticeKind.POST) == NoticeKind.POST else None
    return loss_on(policy.id, target, **values)
