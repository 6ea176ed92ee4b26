"""The queries behind Web申込状況一覧 (4-3): filtered, scoped, sorted, paged — each a single
statement whatever the number of rows, using the (customer, updated_at, number) indexes."""

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, case, func, literal
from sqlalchemy.orm import defer
from sqlmodel import col, select

from nexi import applications, db
from nexi.clock import JST, now
from nexi.models import Application, ApplicationEvent, Status, WebUser


def effective_status():
    """一時保存 past NEXI_DRAFT_EXPIRY_DAYS reads as 期限切れ even before the daily job marks it."""
    cutoff = now() - timedelta(days=current_app.config["NEXI_DRAFT_EXPIRY_DAYS"])
    return case(
        (and_(col(Application.status) == Status.DRAFT, col(Application.saved_at) < cutoff), literal(Status.EXPIRED)),
        else_=col(Application.status),
    )


def shown_status(application: Application) -> Status:
    """The status as the user sees it (the same rule as effective_status, for one record)."""
    cutoff = now() - timedelta(days=current_app.config["NEXI_DRAFT_EXPIRY_DAYS"])
    if application.status == Status.DRAFT and application.saved_at < cutoff:
        return Status.EXPIRED
    return Status(application.status)


def _day_start(day) -> datetime:
    return datetime.combine(day, time(), tzinfo=JST)


def filtered(criteria: dict) -> list:
    """The scope of the current user narrowed by the search criteria, as query conditions."""
    conditions = applications.scope()
    if criteria.get("date_from"):
        conditions.append(col(Application.listed_at) >= _day_start(criteria["date_from"]))
    if criteria.get("date_to"):
        conditions.append(col(Application.listed_at) < _day_start(criteria["date_to"]) + timedelta(days=1))
    if criteria.get("procedure"):
        conditions.append(col(Application.procedure) == criteria["procedure"])
    if criteria.get("statuses"):
        conditions.append(effective_status().in_(criteria["statuses"]))
    if criteria.get("number"):
        conditions.append(col(Application.number) == criteria["number"])
    if criteria.get("target_key"):
        conditions.append(col(Application.target_key) == criteria["target_key"])
    if criteria.get("applicant"):
        applicant = select(WebUser.id).where(WebUser.login_key == criteria["applicant"].casefold())
        conditions.append(col(Application.user_id).in_(applicant.scalar_subquery()))
    return conditions


def rows(conditions: list, *, newest_first: bool = True):
    """(Application, 申込者 ID, status as shown) for these conditions, in list order; the input
    (JSON) of each application is not loaded, the list never shows it."""
    order = (
        (col(Application.updated_at).desc(), col(Application.number).desc())
        if newest_first
        else (col(Application.updated_at), col(Application.number))
    )
    return (
        select(Application, WebUser.login_id, effective_status())
        .join(WebUser, col(WebUser.id) == col(Application.user_id))
        .where(*conditions)
        .order_by(*order)
        .options(defer(Application.data), defer(Application.result), defer(Application.comment))
    )


COUNT_LIMIT = 1000  # beyond this the list says 「1,000件以上」 and asks for narrower criteria


def page(criteria: dict, number: int, size: int):
    """(rows, total, capped) of page `number` of the search. The count stops at COUNT_LIMIT, so
    its cost does not grow with the history (bounded paging)."""
    conditions = filtered(criteria)
    matching = select(Application.id).where(*conditions).limit(COUNT_LIMIT + 1).subquery()
    total = db.session().exec(select(func.count()).select_from(matching)).one()
    capped = total > COUNT_LIMIT
    total = min(total, COUNT_LIMIT)
    number = min(max(number, 1), max(1, -(-total // size)))
    query = rows(conditions, newest_first=criteria.get("order", "new") != "old")
    offset = (number - 1) * size
    shown = db.session().exec(query.offset(offset).limit(max(0, min(size, total - offset)))).all()
    return shown, total, capped, number


def latest(limit: int = 5):
    """⑦ on the user page: the most recently updated, and how many 差戻し wait for the user."""
    recent = (
        db.session()
        .exec(
            select(Application, effective_status())
            .where(*applications.scope())
            .order_by(col(Application.updated_at).desc(), col(Application.number).desc())
            .limit(limit)
        )
        .all()
    )
    returned = (
        db.session()
        .exec(
            select(func.count())
            .select_from(Application)
            .where(*applications.scope(), col(Application.status) == Status.RETURNED)
        )
        .one()
    )
    return recent, returned


def history(application: Application):
    return (
        db.session()
        .exec(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(col(ApplicationEvent.at), col(ApplicationEvent.id))
        )
        .all()
    )
