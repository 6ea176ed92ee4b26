"""Web申込 records: who may see them, numbering, saving, submitting and the status changes a
customer makes (DOMAIN.md §4, C.2, C.4).

Every query of applications is limited by `scope()` (through `visible()`, `find()` or the
list's statements): a 管理者 sees its whole company's, a 一般 user only its own, and nobody
another 保険利用者's — an id or number typed or posted from elsewhere simply finds nothing.
"""

from datetime import datetime, time, timedelta

from flask import current_app
from flask_login import current_user
from sqlalchemy import and_, bindparam, case, func
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col, delete, select, update

from nexi import db
from nexi.audit import audit
from nexi.clock import JST, now, today
from nexi.models import Application, ApplicationEvent, Attachment, Customer, LossNotice, Status
from nexi.sequences import next_value


class Conflict(Exception):
    """The record changed meanwhile (deleted or withdrawn by the company's 管理者), or another
    application for the same target won: nothing was saved; the message says what happened and,
    for a target, at which `step` and `field` to show it."""

    def __init__(self, message: str, *, step: str | None = None, field: str | None = None):
        super().__init__(message)
        self.step, self.field = step, field


def scope(*, admin: bool | None = None, bound: bool = False) -> list:
    """The conditions that limit applications to those the current user may see (C.4).

    With `bound`, the conditions take the user as parameters (customer_id, user_id), for
    statements that are built once and reused (nexi/blueprints/status/queries.py).
    """
    admin = current_user.user.is_admin if admin is None else admin
    customer = bindparam("customer_id") if bound else current_user.customer.id
    user = bindparam("user_id") if bound else current_user.user.id
    conditions = [col(Application.customer_id) == customer]
    if not admin:
        conditions.append(col(Application.user_id) == user)
    return conditions


def scope_params() -> dict:
    return {"customer_id": current_user.customer.id, "user_id": current_user.user.id}


def visible():
    return select(Application).where(*scope())


def find(application_id: int | None = None, *, number: str | None = None) -> Application | None:
    query = visible()
    if application_id is not None:
        query = query.where(Application.id == application_id)
    elif number is not None:
        query = query.where(Application.number == number)
    else:
        return None
    return db.session().exec(query).first()


def is_creator(application: Application) -> bool:
    return application.user_id == current_user.user.id


def new_number() -> str:
    """W + yyyymmdd (JST) + a 6-digit serial of one portal-wide daily sequence (C.6)."""
    day = today().strftime("%Y%m%d")
    return f"W{day}{next_value(f'web:{day}'):06d}"


def _event(application: Application, status: Status, comment: str | None = None, *, by_nexi: bool = False) -> None:
    """A 状況履歴 entry: by the customer's user, or by NEXI (staff, or flow A's completion)."""
    db.session().add(
        ApplicationEvent(
            application_id=application.id,
            at=now(),
            status=status,
            by_nexi=by_nexi,
            user_id=None if by_nexi else current_user.user.id,
            comment=comment,
        )
    )


def _link_attachments(application: Application, files: dict[str, list[int]]) -> None:
    """Make the application hold exactly the files its input refers to."""
    wanted = {attachment_id for ids in files.values() for attachment_id in ids}
    session = db.session()
    held = session.exec(
        select(Attachment.id).where(
            Attachment.customer_id == application.customer_id,
            (col(Attachment.application_id) == application.id) | col(Attachment.id).in_(wanted or {0}),
        )
    ).all()
    for attachment_id in held:
        session.execute(
            update(Attachment)
            .where(col(Attachment.id) == attachment_id)
            .values(application_id=application.id if attachment_id in wanted else None)
        )


def save_draft(flow, target: tuple[str, str | None]) -> Application:
    """First arrival at 確認: number and save; later arrivals: save again under the same number.

    A draft (一時保存) and a returned application being corrected (差戻し) keep their status.
    """
    moment = now()
    data = {"values": flow.values, "files": flow.files}
    application_id = flow.get("application_id")
    if application_id is None:
        application = Application(
            number=new_number(),
            customer_id=current_user.customer.id,
            user_id=current_user.user.id,
            procedure=flow.code,
            status=Status.DRAFT,
            data=data,
            target=target[0][:200],
            target_key=target[1],
            created_at=moment,
            saved_at=moment,
            listed_at=moment,
            updated_at=moment,
            needs_review=flow.procedure.needs_review(flow.all_values),
        )
        db.session().add(application)
        db.session().flush()
        _event(application, Status.DRAFT)
    else:
        application = find(application_id)
        editable = {Status.DRAFT, Status.RETURNED}
        if application is None or application.status not in editable or not is_creator(application):
            raise Conflict("この申込みは削除または取下げされたため、保存できませんでした。")
        application.data = data
        flag_modified(application, "data")
        application.target, application.target_key = target[0][:200], target[1]
        application.saved_at = application.updated_at = moment
        if application.status == Status.DRAFT:
            application.listed_at = moment
        db.session().add(application)
    if any(flow.files.values()) or application_id is not None:
        _link_attachments(application, flow.files)
    return application


def pending_for(procedures, key: str, statuses, context) -> Application | None:
    """The customer's application of one of `procedures` about `key` in one of `statuses`, other
    than the one being filled in: what a "one pending per target" rule looks for. Scoped by the
    保険利用者, not the user: a 一般 user's application counts for the whole company (C.4)."""
    query = select(Application).where(
        Application.customer_id == context.customer.id,
        col(Application.procedure).in_(list(procedures)),
        Application.target_key == key,
        col(Application.status).in_(list(statuses)),
    )
    if context.application_id is not None:
        query = query.where(Application.id != context.application_id)
    return db.session().exec(query.limit(1)).first()


def _lock_customer(customer_id: int) -> None:
    """Serialise the customer's 申込む, so that of two simultaneous applications for one target
    exactly one passes its exclusivity check (PostgreSQL: a row lock until commit; SQLite: every
    request's transaction already holds the write lock, nexi/db.py)."""
    table = Customer.__table__
    db.session().execute(select(table.c.id).where(table.c.id == customer_id).with_for_update())


def submit(application_id: int, procedure, context) -> Application:
    """申込む: 一時保存 or 差戻し → 申込済 (flow R), or straight on to 完了 (flow A), exactly once.

    One conditional UPDATE finds the application (in the user's scope, in a state that may be
    submitted) and changes it; anything else — deleted, withdrawn, submitted already — is a
    Conflict and changes nothing. The procedure's "one pending per target" rules are checked
    again under the customer's lock, and its deadline sets 期限超過 at the first 申込む (C.2).
    """
    moment = now()
    if procedure.exclusive:
        _lock_customer(context.customer.id)
        for rule in procedure.exclusive:
            key = rule.key(context.values)
            if key and pending_for(rule.procedures or (procedure.code,), key, rule.statuses, context):
                raise Conflict(rule.message.format(key=key), step=rule.step, field=rule.field)
    due = procedure.deadline.due_for(context) if procedure.deadline else None
    late = due is not None and today() > due
    table = Application.__table__
    first_time = func.coalesce(table.c.submitted_at, moment)

    def run() -> Application:
        application = _submit(table, application_id, procedure, context, moment, first_time, late)
        if not procedure.needs_review(context.values):
            return complete(find(application.id), procedure, {}, by_nexi=False)
        return application

    if procedure.submitted is None:
        return run()
    with db.session().begin_nested():  # the procedure's own effect (or flow A's 完了) may stop it all
        return run()


def _submit(table, application_id, procedure, context, moment, first_time, late) -> Application:
    row = (
        db.session()
        .execute(
            table.update()
            .where(
                table.c.id == application_id,
                *scope(),
                table.c.status.in_([Status.DRAFT, Status.RETURNED]),
            )
            .values(
                status=Status.SUBMITTED,
                submitted_at=first_time,
                listed_at=first_time,
                updated_at=moment,
                # judged at the first 申込む only: a resubmission keeps what the first one found
                overdue=case((table.c.submitted_at.is_(None), late), else_=table.c.overdue),
                needs_review=procedure.needs_review(context.values),
                version=table.c.version + 1,
            )
            .returning(table.c.id, table.c.number, table.c.submitted_at)
        )
        .first()
    )
    if row is None:
        raise Conflict("この申込みは削除または取下げされたため、申し込めませんでした。")
    resubmitted = row.submitted_at != moment
    if procedure.submitted is not None:
        procedure.submitted(find(row.id), context, not resubmitted)
    application = Application(id=row.id, number=row.number, status=Status.SUBMITTED)
    _event(application, Status.SUBMITTED, "修正して再申込" if resubmitted else None)
    audit("application.submit", user=current_user.user, number=row.number)
    return application


def record_result(application: Application, procedure, inputs: dict) -> None:
    """The procedure's 完了 hook applies the effect (with NEXI's result inputs, S.3) and says what
    it produced, which the record keeps (numbers, rating …). The staff console's 完了
    (nexi/review.py) and flow A's completion both go through here."""
    result = procedure.complete(application, inputs) if procedure.complete else None
    application.result = {**(application.result or {}), **(result or {})}
    flag_modified(application, "result")
    db.session().add(application)


def complete(application: Application, procedure, inputs: dict, *, by_nexi: bool = True) -> Application:
    """完了 of flow A, at the customer's 申込む (C.3: in the same transaction)."""
    application.status = Status.COMPLETED
    application.version += 1
    application.updated_at = now()
    record_result(application, procedure, inputs)
    _event(application, Status.COMPLETED, by_nexi=by_nexi)
    return application


def delete_draft(application: Application) -> None:
    """削除 of a 一時保存 (its creator, or its company's 管理者)."""
    if application.status != Status.DRAFT:
        raise Conflict("一時保存の申込みだけが削除できます。")
    session = db.session()
    for table in (Attachment, ApplicationEvent):
        session.execute(delete(table).where(col(table.application_id) == application.id))
    audit("application.delete", user=current_user.user, number=application.number)
    session.execute(delete(Application).where(col(Application.id) == application.id))
    session.expunge(application)


def withdraw(application: Application, comment: str | None = None, procedure=None) -> None:
    """取下げ of a 申込済 (not yet taken up by NEXI) or 差戻し application; what its 申込む took
    is given back (`procedure.ended`)."""
    changed = db.session().execute(
        update(Application)
        .where(
            col(Application.id) == application.id,
            col(Application.status).in_([Status.SUBMITTED, Status.RETURNED]),
        )
        .values(status=Status.WITHDRAWN, updated_at=now(), version=Application.version + 1)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise Conflict("この申込みはNEXIで審査が始まったため、取り下げられませんでした。")
    db.session().refresh(application)
    if procedure is not None and procedure.ended is not None:
        procedure.ended(application)
    _event(application, Status.WITHDRAWN, comment)
    audit("application.withdraw", user=current_user.user, number=application.number)


def draft_cutoff() -> datetime:
    """Drafts saved before this are past the expiry (NEXI_DRAFT_EXPIRY_DAYS, 4-1)."""
    return now() - timedelta(days=current_app.config["NEXI_DRAFT_EXPIRY_DAYS"])


def expiring(limit):
    """The 一時保存 saved before `limit` (a time, or a bound parameter): past the expiry."""
    return and_(col(Application.status) == Status.DRAFT, col(Application.saved_at) < limit)


def expire_drafts(customer_id: int | None = None) -> int:
    """一時保存 not saved for NEXI_DRAFT_EXPIRY_DAYS → 期限切れ (daily job, and on read).

    An expiry is no update by anyone: 最終更新日時 stays the last save, so the list keeps its
    order and the purge its 12 months from that save. The 状況履歴 records 期限切れ by the system
    (no user) at the moment the draft expired, its last save + the expiry days: the list has
    shown it as 期限切れ since then (effective_status), whenever the job marks it.
    """
    days = current_app.config["NEXI_DRAFT_EXPIRY_DAYS"]
    statement = update(Application).where(expiring(draft_cutoff()))
    if customer_id is not None:
        statement = statement.where(col(Application.customer_id) == customer_id)
    session = db.session()
    expired = session.execute(
        statement.values(status=Status.EXPIRED)
        .returning(col(Application.id), col(Application.saved_at))
        .execution_options(synchronize_session=False)
    ).all()
    session.add_all(
        ApplicationEvent(
            application_id=application_id,
            at=saved_at + timedelta(days=days),
            status=Status.EXPIRED,
            by_nexi=True,  # the portal's doing, not the customer's (4-2: by the system)
            user_id=None,
            comment=f"最後の一時保存から{days}日が経過したため、期限切れになりました。",
        )
        for application_id, saved_at in expired
    )
    return len(expired)


def purge_old() -> int:
    """Delete 期限切れ, 取下げ and 不承認 applications, and drafts, last updated more than
    NEXI_PURGE_MONTHS ago (4-2); 完了 records and the audit log are never purged.

    最終更新日時 is the last real update (a save, 申込む, a decision, 取下げ): expiring a draft
    leaves it as it was, so a draft is purged NEXI_PURGE_MONTHS after its last save."""
    from nexi.clock import add_months

    cutoff_day = add_months(today(), -current_app.config["NEXI_PURGE_MONTHS"])
    cutoff = datetime.combine(cutoff_day, time(), tzinfo=JST)
    session = db.session()
    old = select(Application.id).where(
        col(Application.status).in_([Status.EXPIRED, Status.WITHDRAWN, Status.REJECTED, Status.DRAFT]),
        col(Application.updated_at) < cutoff,
    )
    ids = session.exec(old).all()
    if ids:
        for table in (Attachment, ApplicationEvent, LossNotice):  # a withdrawn A01's notice is gone already
            session.execute(delete(table).where(col(table.application_id).in_(ids)))
        session.execute(delete(Application).where(col(Application.id).in_(ids)))
    return len(ids)
