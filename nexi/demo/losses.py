"""Demo 事故 (DOMAIN.md §11): an A01 on a policy's unpaid 決済期限, accepted by NEXI three days after
it was filed, made through nexi/losses.py as the 受理 makes it."""

from datetime import datetime, time, timedelta

from nexi import db, losses, policies
from nexi.clock import JST
from nexi.models import NoticeKind, Status


def accepted(policy, customer, user, filed_on, application_of) -> datetime:
    """The A01 and its 事故 on the policy's first 決済期限; the moment of the 受理."""
    instalment = policies.instalments_of(policy.id)[0]
    filed = datetime.combine(filed_on, time(10, 30), tzinfo=JST)
    accepted_at = filed + timedelta(days=3, hours=5)
    key = f"{policy.number}-{policy.branch}"
    amount = f"{instalment.amount:,}"
    values = {
        "target": {"policy_number": key, "kind": NoticeKind.POST.value},
        "content": {
            "instalment": str(instalment.position), "fixed_on": "", "cause": "12", "expected_loss": amount,
            "unpaid": amount, "history": "決済期限を過ぎても支払がなく、督促を続けています。",
            "recovery": "支払人は分割での支払を申し出ています。", "storage": "", "dispute": "無", "dispute_detail": "",
        },
    }  # fmt: skip
    application = application_of(
        customer, user, "A01", values, f"証券番号・枝番 {key} {NoticeKind.POST.value}", key, filed - timedelta(minutes=20),
        [(filed, Status.SUBMITTED), (filed + timedelta(days=1), Status.REVIEWING), (accepted_at, Status.COMPLETED)],
    )  # fmt: skip
    losses.record_notice(application, customer.id, policy.id, instalment.id, NoticeKind.POST)
    loss = losses.accept(
        application,
        policy=policy,
        instalment=instalment,
        values=application.answers(),
        amounts={"expected_loss": instalment.amount, "unpaid": instalment.amount, "fixed_on": None},
    )
    loss.created_at = loss.updated_at = accepted_at
    application.result = {"事故番号": loss.number, "証券番号・枝番": key, "通知区分": loss.kind}
    policies.refresh_state(policy)
    db.session().flush()
    return accepted_at
