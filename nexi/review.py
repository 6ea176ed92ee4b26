"""NEXI's review of Web申込 (DOMAIN.md S.2, S.3, §4-2): the queue across customers, and the
decisions staff take on one application.

Each decision is one conditional UPDATE on the application's id, its status and the version the
deciding screen showed: a double submit, or a second staff member deciding at the same time,
finds no row and changes nothing (`Conflict`). 完了 runs the procedure's hook in the same
savepoint, so a hook that cannot apply (the buyer was deleted meanwhile …) leaves the
application as it was. Customers see the outcome at once: their screens read the same row.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, union_all
from sqlalchemy.orm import aliased
from sqlmodel import col, select, update

from nexi import applications, db
from nexi.audit import audit
from nexi.clock import now, to_jst, today
from nexi.models import Application, ApplicationEvent, ApplicationMemo, Customer, StaffUser, Status, WebUser
from nexi.procedures.engine import Refused

RACED = "他の担当者が先に処理しました。最新の状況を表示しています。"
OPEN = (Status.SUBMITTED, Status.REVIEWING, Status.RETURNED)  # the queue's default (S.2)
COMMENT_MAX = 2000


class Conflict(Exception):
    """The application is no longer in the state the decision was taken on: nothing changed."""


@dataclass(frozen=True)
class Decision:
    """One of S.2's actions: from which status to which, and whether a comment is required."""

    key: str
    label: str
    source: Status
    target: Status
    comment: str | None = None  # the comment's label when one is required (shown to the customer)


DECISIONS = {
    "accept": Decision("accept", "受付", Status.SUBMITTED, Status.REVIEWING),
    "complete": Decision("complete", "完了", Status.REVIEWING, Status.COMPLETED),
    "return": Decision("return", "差戻し", Status.REVIEWING, Status.RETURNED, "差戻しのコメント"),
    "reject": Decision("reject", "不承認", Status.REVIEWING, Status.REJECTED, "不承認の理由"),
    "withdraw": Decision(
        "withdraw", "取下げ", Status.REVIEWING, Status.WITHDRAWN, "取下げのコメント（お客様のご依頼の内容）"
    ),
}


def offered(application: Application) -> list[Decision]:
    """The decisions §4-2 allows on the application now (none on a flow-A record)."""
    if not application.needs_review:
        return []
    return [d for d in DECISIONS.values() if d.source == application.status]


def can_confirm(application: Application) -> bool:
    """A flow-A record (完了 at the customer's 申込む) NEXI has not yet ticked 確認済 (S.2)."""
    return not application.needs_review and application.status == Status.COMPLETED and application.confirmed_at is None


# --- The queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    number: str
    procedure: str
    target: str
    listed_at: datetime
    status: str
    overdue: bool
    needs_review: bool
    confirmed: bool
    customer_code: str
    customer_name: str
    assignee: str | None

    @property
    def elapsed_days(self) -> int:
        """経過日数: business days since 申込日時 (JST calendar days)."""
        return (today() - to_jst(self.listed_at).date()).days


def _filtered(criteria: dict):
    assignee = aliased(StaffUser)
    query = (
        select(
            Application.id,
            Application.number,
            Application.procedure,
            Application.target,
            Application.listed_at,
            Application.status,
            Application.overdue,
            Application.needs_review,
            col(Application.confirmed_at).is_not(None).label("confirmed"),
            Customer.code,
            Customer.name_ja,
            assignee.name,
        )
        .join(Customer, col(Customer.id) == col(Application.customer_id))
        .outerjoin(assignee, col(assignee.id) == col(Application.assignee_id))
    )
    statuses = [s for s in criteria.get("statuses") or [] if s in Status.__members__.values()] or list(OPEN)
    query = query.where(col(Application.status).in_(statuses))
    if Status.DRAFT not in statuses:
        query = query.where(col(Application.status) != Status.DRAFT)
    if criteria.get("procedure"):
        query = query.where(col(Application.procedure) == criteria["procedure"])
    if criteria.get("customer"):
        query = query.where(col(Customer.code) == criteria["customer"])
    if criteria.get("overdue"):
        query = query.where(col(Application.overdue).is_(True))
    if criteria.get("kind") == "review":
        query = query.where(col(Application.needs_review).is_(True))
    elif criteria.get("kind") == "automatic":
        query = query.where(col(Application.needs_review).is_(False))
    if criteria.get("unconfirmed"):
        query = query.where(col(Application.needs_review).is_(False), col(Application.confirmed_at).is_(None))
    return query


def queue(criteria: dict, page: int, size: int) -> tuple[list[Row], int, int]:
    """(rows of the page, total, the page shown): oldest 申込日時 first (S.2). Drafts are the
    customer's own business and never listed."""
    query = _filtered(criteria)
    total = db.session().exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    found = db.session().exec(
        query.order_by(col(Application.listed_at), col(Application.number)).limit(size).offset((page - 1) * size)
    )
    return [Row(*row) for row in found.all()], total, page


def all_rows(criteria: dict) -> list[Row]:
    """Every row the criteria find, in the queue's order (the CSV)."""
    found = db.session().exec(_filtered(criteria).order_by(col(Application.listed_at), col(Application.number)))
    return [Row(*row) for row in found.all()]


def customer_of(application: Application) -> Customer:
    return db.session().get(Customer, application.customer_id)


def owner_of(application: Application) -> tuple[WebUser, Customer]:
    """(its creator, its customer): whose answers the 確認 layout shows."""
    session = db.session()
    return session.get(WebUser, application.user_id), session.get(Customer, application.customer_id)


def result_defaults(application: Application, result_form=None) -> dict:
    """NEXI's result inputs start from what the customer asked (U01's new values, a requested
    date …), today's date for an 適用日, and what the result form proposes from the answers (its
    `defaults`, e.g. L01's 確認額 = the amount applied for)."""
    answers = application.answers()
    proposed = result_form.defaults(answers, application) if hasattr(result_form, "defaults") else {}
    return {**answers, "rated_on": today().isoformat(), **proposed}


def explain(problem: Exception) -> str:
    """A hook's refusal, in words for the staff member (hooks raise ValueError in English for the log)."""
    text = str(problem)
    if isinstance(problem, Refused):
        return text
    if "no longer" in text:
        return "対象の海外商社が名簿から削除または変更されています。内容を確認してください。"
    return "入力内容を確認してください。"


# --- One application ---------------------------------------------------------------------------


def get(number: str | None) -> Application | None:
    """Any customer's application by its Web申込番号: staff see them all (never a draft)."""
    if not number:
        return None
    found = db.session().exec(select(Application).where(col(Application.number) == number)).first()
    return found if found is not None and found.status != Status.DRAFT else None


@dataclass(frozen=True)
class Reviewed:
    """An application with what its review screen shows beside it, read in one statement."""

    application: Application
    customer: Customer
    creator: WebUser
    assignee: str | None


def reviewed(number: str | None) -> Reviewed | None:
    if not number:
        return None
    assignee = aliased(StaffUser)
    row = (
        db.session()
        .exec(
            select(Application, Customer, WebUser, assignee.name)
            .join(Customer, col(Customer.id) == col(Application.customer_id))
            .join(WebUser, col(WebUser.id) == col(Application.user_id))
            .outerjoin(assignee, col(assignee.id) == col(Application.assignee_id))
            .where(col(Application.number) == number, col(Application.status) != Status.DRAFT)
        )
        .first()
    )
    return Reviewed(*row) if row is not None else None


@dataclass(frozen=True)
class Entry:
    """A line of the review screen's 状況履歴 or of its 社内メモ."""

    at: datetime
    status: str | None  # a Status value (状況履歴); None for a memo
    by_nexi: bool
    text: str | None  # the comment, or the memo
    staff_name: str | None  # who at NEXI (shown to staff only)


def timeline(application: Application) -> tuple[list[Entry], list[Entry]]:
    """(状況履歴, 社内メモ) of the application, oldest first, read in one statement."""
    events, memos_ = ApplicationEvent.__table__, ApplicationMemo.__table__
    staff = StaffUser.__table__
    history_rows = (
        select(
            literal("event").label("kind"),
            events.c.at,
            events.c.id,
            events.c.status,
            events.c.by_nexi,
            events.c.comment.label("text"),
            staff.c.name,
        )
        .select_from(events.outerjoin(staff, staff.c.id == events.c.staff_user_id))
        .where(events.c.application_id == application.id)
    )
    memo_rows = (
        select(
            literal("memo").label("kind"),
            memos_.c.at,
            memos_.c.id,
            literal(None).label("status"),
            literal(True).label("by_nexi"),
            memos_.c.body.label("text"),
            staff.c.name,
        )
        .select_from(memos_.join(staff, staff.c.id == memos_.c.staff_user_id))
        .where(memos_.c.application_id == application.id)
    )
    both = union_all(history_rows, memo_rows).subquery()
    rows = db.session().execute(select(both).order_by(both.c.at, both.c.id)).all()
    history_, memos_found = [], []
    for kind, at, _id, status, by_nexi, text, name in rows:
        (history_ if kind == "event" else memos_found).append(Entry(at, status, bool(by_nexi), text, name))
    return history_, memos_found


def _event(application_id: int, status: Status, staff, comment: str | None = None) -> None:
    db.session().add(
        ApplicationEvent(
            application_id=application_id,
            at=now(),
            status=status,
            by_nexi=True,
            staff_user_id=staff.id,
            comment=comment,
        )
    )


def _move(application: Application, version: int, decision: Decision, staff, **values) -> None:
    """The decision's one conditional UPDATE; no row matched: Conflict."""
    changed = db.session().execute(
        update(Application)
        .where(
            col(Application.id) == application.id,
            col(Application.status) == decision.source,
            col(Application.version) == version,
            col(Application.needs_review).is_(True),
        )
        .values(status=decision.target, version=Application.version + 1, updated_at=now(), **values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise Conflict(RACED)


def decide(application: Application, version: int, key: str, staff, *, comment: str = "", procedure=None, inputs=None):
    """受付, 差戻し, 不承認, 取下げ or 完了 (with the procedure's hook and NEXI's result inputs)."""
    decision = DECISIONS[key]
    before = {"status": application.status, "version": version}
    session = db.session()
    with session.begin_nested():
        if key == "accept":
            _move(application, version, decision, staff, assignee_id=staff.id)
        elif key == "complete":
            _move(application, version, decision, staff)
            session.refresh(application)
            if procedure is not None:
                applications.record_result(application, procedure, inputs or {})
        else:
            _move(application, version, decision, staff, comment=comment)
            if key in ("reject", "withdraw") and procedure is not None and procedure.ended is not None:
                procedure.ended(application)  # what its 申込む took goes back (an earmark, 10)
        _event(application.id, decision.target, staff, comment or None)
        session.flush()
    session.refresh(application)
    audit(
        f"staff.review.{key}",
        staff=staff,
        number=application.number,
        before=before,
        after={"status": application.status, "version": application.version, "result": application.result or None},
    )
    return application


def confirm(application: Application, staff) -> None:
    """確認済 on a flow-A record: once (a second tick finds it ticked and changes nothing)."""
    changed = db.session().execute(
        update(Application)
        .where(
            col(Application.id) == application.id,
            col(Application.needs_review).is_(False),
            col(Application.status) == Status.COMPLETED,
            col(Application.confirmed_at).is_(None),
        )
        .values(confirmed_at=now(), confirmed_by_id=staff.id)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise Conflict(RACED)
    audit(
        "staff.review.confirmed",
        staff=staff,
        number=application.number,
        before={"confirmed": False},
        after={"confirmed": True},
    )


def add_memo(application: Application, staff, body: str) -> None:
    db.session().add(ApplicationMemo(application_id=application.id, staff_user_id=staff.id, at=now(), body=body))
    audit("staff.review.memo", staff=staff, number=application.number, before=None, after={"memo": body})
