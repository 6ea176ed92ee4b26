"""Loss notices and 事故 (DOMAIN.md §11): whether a loss notice exists, the 事故 an A01's 受理
creates with its claim dates, 入金 (A02), 猶予 (A03), the 状況 NEXI sets (S.9) and the daily job.

"A loss notice exists" on a 決済期限 — for 船積前 / 増加費用 on the policy, per kind — while an A01
about it is 申込済, 審査中 or 完了 (11). Every rule it blocks (a second A01, L03, the 変更 of
9-5) asks `notice_exists` or, for many rows at once, `noticed`: one indexed statement either way.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, delete, select, update
from sqlmodel import col

from nexi import db
from nexi.clock import add_months, now, to_jst, today
from nexi.models import OPEN_LOSS, Application, Instalment, Loss, LossNotice, LossState, NoticeKind, Status
from nexi.sequences import next_value

LIVE = (Status.SUBMITTED, Status.REVIEWING, Status.COMPLETED)  # the A01 statuses a loss notice exists in
POLICY_WIDE = (NoticeKind.PRE, NoticeKind.EXTRA)  # on the policy's pre-shipment cover, at most one each

CAUSES = [
    ("01", "01 輸入制限・禁止"),
    ("02", "02 為替・送金の制限"),
    ("03", "03 戦争・革命・内乱"),
    ("04", "04 テロ・ストライキ等"),
    ("05", "05 輸入許可の取消"),
    ("09", "09 その他非常危険"),
    ("11", "11 破産手続開始等"),
    ("12", "12 3か月以上の履行遅滞"),
    ("13", "13 契約相手方の一方的契約破棄"),
    ("19", "19 その他信用危険"),
]
CAUSE_LABELS = dict(CAUSES)
POLITICAL = ("01", "02", "03", "04", "05", "09")


def _live_notices():
    return (
        select(LossNotice.policy_id, LossNotice.instalment_id, LossNotice.kind)
        .join(Application, col(Application.id) == LossNotice.application_id)
        .where(col(Application.status).in_(LIVE))
    )


def instalment_noticed():
    """SQL: whether a loss notice exists on the outer statement's 決済期限 (a correlated EXISTS)."""
    return (
        select(LossNotice.id)
        .join(Application, col(Application.id) == LossNotice.application_id)
        .where(col(LossNotice.instalment_id) == Instalment.id, col(Application.status).in_(LIVE))
        .correlate(Instalment)
        .exists()
    )


def noticed(policy_ids, *, excluding: int | None = None) -> set[tuple[int, int | None, str]]:
    """(policy id, instalment id or None, 通知区分) of every loss notice existing on these policies."""
    ids = list(policy_ids)
    if not ids:
        return set()
    query = _live_notices().where(col(LossNotice.policy_id).in_(ids))
    if excluding is not None:
        query = query.where(col(LossNotice.application_id) != excluding)
    return {tuple(row) for row in db.session().execute(query)}


def notice_exists(policy_id: int, instalment_id: int | None = None, kind: str | None = None) -> bool:
    """A loss notice on the 決済期限 `instalment_id`; with `kind` (船積前 / 増加費用), that kind's
    notice on the policy; with neither, any loss notice on any part of the policy."""
    found = noticed([policy_id])
    if kind is not None:
        return any(k == kind for _p, _i, k in found)
    if instalment_id is not None:
        return any(i == instalment_id for _p, i, _k in found)
    return bool(found)


def record_notice(application, customer_id: int, policy_id: int, instalment_id: int | None, kind: str) -> None:
    """At 申込む: what the A01 is about (a resubmission after 差戻し may have changed it)."""
    session = db.session()
    session.execute(delete(LossNotice).where(col(LossNotice.application_id) == application.id))
    session.add(
        LossNotice(
            application_id=application.id,
            customer_id=customer_id,
            policy_id=policy_id,
            instalment_id=instalment_id,
            kind=kind,
        )
    )
    session.flush()


def forget_notice(application) -> None:
    """取下げ / 不承認: the loss notice no longer exists (its status says so; the row goes too, so
    that the purge of old applications finds nothing pointing at them)."""
    db.session().execute(delete(LossNotice).where(col(LossNotice.application_id) == application.id))


# --- the 事故 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimDates:
    start: date  # 請求開始日
    until: date  # 請求期限


def claim_dates(kind: str, cause: str, due_on: date | None, fixed_on: date | None) -> ClaimDates:
    """The table of 11-1."""
    if kind in POLICY_WIDE:
        return ClaimDates(fixed_on, add_months(fixed_on, current_app.config["NEXI_PRESHIPMENT_CLAIM_MONTHS"]))
    start = due_on if cause == "11" else add_months(due_on, 3)
    return ClaimDates(start, add_months(due_on, 9))


def notice_deadline(kind: str, due_on: date | None, fixed_on: date | None) -> date | None:
    """11-1: 船積前 / 増加費用 within 45 days of the 事故確定日, 船積後 of the 決済期限."""
    base = fixed_on if kind in POLICY_WIDE else due_on
    return base + timedelta(days=45) if base else None


def accept(application, *, policy, instalment, values: dict, amounts: dict) -> Loss:
    """A01 受理 (S.3): the 事故 with its 事故番号, claim dates and 状況 (請求可能 at once when the
    請求開始日 has come)."""
    kind = values["kind"]
    due_on = instalment.due_on if instalment is not None else None
    fixed_on = None if kind == NoticeKind.POST else amounts["fixed_on"]
    dates = claim_dates(kind, values["cause"], due_on, fixed_on)
    moment = now()
    day = today()
    loss = Loss(
        number=f"A{day.year}{next_value(f'loss:{day.year}'):06d}",
        customer_id=application.customer_id,
        policy_id=policy.id,
        instalment_id=instalment.id if instalment is not None else None,
        application_id=application.id,
        kind=kind,
        cause=values["cause"],
        fixed_on=fixed_on,
        due_on=due_on,
        currency=policy.currency,
        expected_loss=amounts["expected_loss"],
        unpaid=amounts.get("unpaid"),
        claim_from=dates.start,
        claim_until=dates.until,
        late=bool(application.overdue),
        state=LossState.CLAIMABLE if dates.start <= day else LossState.ACCEPTED,
        created_at=moment,
        updated_at=moment,
    )
    db.session().add(loss)
    db.session().flush()
    return loss


def policy_has_loss(policy_id: int) -> bool:
    """Whether a 事故 exists on the policy (its 状態 is then 事故, 9-5)."""
    found = db.session().execute(select(Loss.id).where(col(Loss.policy_id) == policy_id).limit(1)).first()
    return found is not None


def own(customer_id: int, number: str | None, *, lock: bool = False) -> Loss | None:
    """The customer's own 事故 by its 事故番号 (C.4: another's reads like an unknown one)."""
    if not number:
        return None
    query = select(Loss).where(col(Loss.customer_id) == customer_id, col(Loss.number) == number)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session().scalars(query).first()


def notice_filed_on(loss: Loss) -> date | None:
    """The day the 事故's A01 was first filed (申込む), JST."""
    moment = (
        db.session()
        .execute(select(Application.submitted_at).where(col(Application.id) == loss.application_id))
        .scalar()
    )
    return to_jst(moment).date() if moment else None


def receive(loss: Loss, amount: int, principal: bool) -> None:
    """A02 (11-2): 入金累計 up; 元本 lowers the 未回収残額 (the caller checked it fits)."""
    if principal:
        loss.received += amount
    else:
        loss.received_other += amount
    loss.updated_at = now()
    loss.version += 1


def extend(loss: Loss, until: date, number: str) -> None:
    """A03 approved (11-3): the new 請求期限, the old one kept in the history."""
    loss.extensions = [
        *loss.extensions,
        {
            "from": loss.claim_until.isoformat(),
            "to": until.isoformat(),
            "number": number,
            "on": now().date().isoformat(),
        },
    ]
    loss.claim_until = until
    if loss.state == LossState.LAPSED:  # approved although the day passed while it was pending
        loss.state = LossState.ACCEPTED
    loss.updated_at = now()
    loss.version += 1


def advance(on: date) -> tuple[int, int]:
    """The daily job (11): 受理 → 請求可能 on the 請求開始日; 受理 / 請求可能 → 請求期限経過 once the
    請求期限 has passed with no A03 pending. (made claimable, lapsed); idempotent."""
    session = db.session()
    table = Loss.__table__
    claimable = session.execute(
        update(table)
        .where(table.c.state == LossState.ACCEPTED, table.c.claim_from <= on, table.c.claim_until >= on)
        .values(state=LossState.CLAIMABLE, version=table.c.version + 1, updated_at=now())
    ).rowcount
    pending = (
        select(Application.id)
        .where(
            col(Application.procedure) == "A03",
            col(Application.status).in_((Status.SUBMITTED, Status.REVIEWING, Status.RETURNED)),
            col(Application.target_key) == table.c.number,
        )
        .exists()
    )
    lapsed = session.execute(
        update(table)
        .where(and_(table.c.state.in_(OPEN_LOSS), table.c.claim_until < on, ~pending))
        .values(state=LossState.LAPSED, version=table.c.version + 1, updated_at=now())
    ).rowcount
    return claimable, lapsed
