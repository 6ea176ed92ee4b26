"""The queries behind Web申込状況一覧 (4-3): scoped to what the user may see (C.4: a 管理者 its
company, a 一般 user its own), filtered, sorted, paged — each a single statement whatever the
number of rows, using the (customer[, user], 最終更新日時 …) and (customer, 申込日時 …) indexes."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

from flask_login import current_user
from sqlalchemy import and_, bindparam, case, func, literal, not_, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import defer
from sqlmodel import col, select

from nexi import applications, db
from nexi.clock import JST, today
from nexi.models import Application, ApplicationEvent, Status, WebUser
from nexi.models.types import UTCDateTime


def _expiring(limit=None):
    """Past the expiry: saved before `limit`, by default the bound `cutoff`."""
    return applications.expiring(bindparam("cutoff", type_=UTCDateTime()) if limit is None else limit)


def effective_status(limit=None):
    """一時保存 past the expiry reads as 期限切れ even before the daily job marks it (4-2)."""
    return case((_expiring(limit), literal(Status.EXPIRED)), else_=col(Application.status))


def status_in(with_expired: bool):
    """The shown 状況 is one of the bound `statuses` (the rule of effective_status), written on
    the stored columns so that the planner can estimate it: a CASE in a WHERE looks
    rare to PostgreSQL, which then sorts every match of the 期間 instead of walking the list's
    order. `with_expired` says whether 期限切れ is among the statuses."""
    stored = and_(col(Application.status).in_(bindparam("statuses", expanding=True)), not_(_expiring()))
    return or_(stored, _expiring()) if with_expired else stored


def status_not_in():
    """The same test as status_in(with_expired=False), for a choice of most 状況 (the default is
    every one but 期限切れ): the shown 状況 is none of the bound `unchosen`, which include 期限切れ.
    One comparison per row instead of a lookup in a list of seven, which counts faster."""
    return and_(col(Application.status).not_in(bindparam("unchosen", expanding=True)), not_(_expiring()))


def _status_filter(chosen) -> tuple[str, dict]:
    """The name of the test for the chosen 状況 (see _statements), and its parameters."""
    if Status.EXPIRED in chosen:
        return "statuses_expired", {"statuses": list(chosen)}
    unchosen = [status for status in Status if status not in chosen]
    if len(unchosen) < len(chosen):
        return "statuses_unchosen", {"unchosen": [status.value for status in unchosen]}
    return "statuses", {"statuses": list(chosen)}


def shown_status(application: Application) -> Status:
    """The status as the user sees it (the same rule as effective_status, for one record)."""
    if application.status == Status.DRAFT and application.saved_at < applications.draft_cutoff():
        return Status.EXPIRED
    return Status(application.status)


def _day_start(day) -> datetime:
    return datetime.combine(day, time(), tzinfo=JST)


FILTERS = ("date_from", "date_to", "procedure", "statuses", "number", "target_key", "applicant")
# A page row: these, then 申込者 (login_id) and the shown 状況; status/index.html unpacks it in this order.
PAGE_COLUMNS = ("number", "procedure", "target", "listed_at", "updated_at", "overdue")
COUNT_LIMIT = 1000  # beyond this the list says 「1,000件以上」 and asks for narrower criteria


@dataclass(frozen=True)
class Search:
    """A search as SQL: statements built once per shape of search (which criteria are used, whose
    list it is, the order) and cached; the criteria themselves are parameters."""

    count: object
    page: object
    everything: object
    params: dict


@cache
def _statements(admin: bool, used: tuple[str, ...], newest_first: bool, walk: bool):
    conditions = applications.scope(admin=admin, bound=True)
    at = {"type_": UTCDateTime()}
    tests = {
        "date_from": lambda: col(Application.listed_at) >= bindparam("date_from", **at),
        "date_to": lambda: col(Application.listed_at) < bindparam("date_to", **at),
        "procedure": lambda: col(Application.procedure) == bindparam("procedure"),
        "statuses": lambda: status_in(with_expired=False),
        "statuses_expired": lambda: status_in(with_expired=True),
        "statuses_unchosen": status_not_in,
        "number": lambda: col(Application.number) == bindparam("number"),
        "target_key": lambda: col(Application.target_key) == bindparam("target_key"),
        "applicant": lambda: col(Application.user_id).in_(
            select(WebUser.id).where(WebUser.login_key == bindparam("applicant")).scalar_subquery()
        ),
    }
    conditions += [tests[name]() for name in used]
    order = (
        (col(Application.updated_at).desc(), col(Application.number).desc())
        if newest_first
        else (col(Application.updated_at), col(Application.number))
    )
    matching = select(Application.id).where(*conditions)
    listed = (
        select(Application, WebUser.login_id, effective_status())
        .join(WebUser, col(WebUser.id) == col(Application.user_id))
        .order_by(*order)
        .options(defer(Application.data), defer(Application.result), defer(Application.comment))
    )
    # A page shows its columns only: plain rows, without the ORM's cost of building entities.
    shown = sa_select(
        *(getattr(Application, name) for name in PAGE_COLUMNS),
        WebUser.login_id,
        effective_status().label("status"),
    ).join(WebUser, col(WebUser.id) == col(Application.user_id))
    # A page: its ids first, found in an index alone, then only those rows read. With `walk`, the
    # ids come from walking an index in the list's order, stopping after the page: about a page
    # of entries for the default search whatever the history, where sorting the period's matches
    # grows with them. A search by 手続種別 walks that procedure's entries only, and counts there.
    # As 最終更新日時 is never before 申込日時, a walk stops at 申込日 From.
    page_ids = select(Application.id).where(*conditions)
    if walk:
        since = [col(Application.updated_at) >= bindparam("date_from", **at)] if "date_from" in used else []
        if "procedure" in used:
            index = "ix_application_procedure"
            matching = matching.where(*since).with_hint(Application, f"INDEXED BY {index}", "sqlite")
        else:
            index = "ix_application_recent" if admin else "ix_application_user_recent"
        page_ids = page_ids.where(*since).with_hint(Application, f"INDEXED BY {index}", "sqlite")
    page_ids = page_ids.order_by(*order).offset(bindparam("offset")).limit(bindparam("limit")).correlate(None)
    count = select(func.count()).select_from(matching.limit(COUNT_LIMIT + 1).subquery())
    # The page carries the count in each row (one statement, one round trip, where the page is
    # not empty); `total` comes last so that page() can cut it off.
    page = shown.add_columns(count.correlate(None).scalar_subquery().label("total"))
    return (
        count,
        page.where(col(Application.id).in_(page_ids.scalar_subquery())).order_by(*order),
        listed.where(*conditions),
    )


def search(criteria: dict) -> Search:
    """The current user's applications narrowed by the criteria (as kept in the screen state)."""
    used = []
    params = {**applications.scope_params(), "cutoff": applications.draft_cutoff()}
    for name in FILTERS:
        value = criteria.get(name)
        if not value:
            continue
        if name == "statuses":
            name, bound = _status_filter(value)
        elif name == "date_from":
            bound = {name: _day_start(value)}
        elif name == "date_to":
            bound = {name: _day_start(value) + timedelta(days=1)}
        elif name == "applicant":
            bound = {name: value.casefold()}
        else:
            bound = {name: value}
        used.append(name)
        params.update(bound)
    newest_first = criteria.get("order", "new") != "old"
    statements = _statements(current_user.user.is_admin, tuple(used), newest_first, _walks(criteria, newest_first))
    return Search(*statements, params)


def _walks(criteria: dict, newest_first: bool) -> bool:
    """Whether a page is best found by walking the list's order (see _statements): not for an
    exact Web申込番号 or 証券番号/バイヤーコード (their own indexes find it at once), nor for a
    newest-first list of a 期間 that ended before today (the walk would pass every later entry)."""
    if criteria.get("number") or criteria.get("target_key"):
        return False
    return not newest_first or not criteria.get("date_to") or criteria["date_to"] >= today()


def last_page(size: int) -> int:
    """The last page that can show rows, whatever the search: the count stops at COUNT_LIMIT."""
    return max(1, -(-COUNT_LIMIT // size))


def page(criteria: dict, number: int, size: int):
    """(rows, total, capped, page) of page `number` of the search. The count stops at
    COUNT_LIMIT, so its cost does not grow with the history (bounded paging)."""
    found = search(criteria)
    # Plain rows: run on the connection, without the ORM session's layer.
    connection = db.session().connection()
    db.plan_each_run(connection)

    def rows_of(number: int):
        offset = (number - 1) * size
        limit = max(0, min(size, COUNT_LIMIT - offset))  # nothing past the first COUNT_LIMIT
        return connection.execute(found.page, {**found.params, "offset": offset, "limit": limit}).all()

    # Clamped before the query: a page number of any size keeps the offset within the count.
    number = min(max(number, 1), last_page(size))
    rows = rows_of(number)
    total = rows[0].total if rows else connection.execute(found.count, found.params).scalar_one()
    capped = total > COUNT_LIMIT
    total = min(total, COUNT_LIMIT)
    last = max(1, -(-total // size))
    if number > last:  # past the end (the list got shorter, or past the first COUNT_LIMIT)
        number = last
        rows = rows_of(number) if total else []
    return [row[:-1] for row in rows], total, capped, number


def all_rows(criteria: dict):
    """Every matching row, in list order (for the CSV)."""
    found = search(criteria)
    return db.session().exec(found.everything, params=found.params).all()


@cache
def _latest_statement(admin: bool):
    scope = applications.scope(admin=admin, bound=True)
    returned = select(func.count()).select_from(Application).where(*scope, col(Application.status) == Status.RETURNED)
    return (
        sa_select(
            Application.number,
            Application.procedure,
            Application.updated_at,
            effective_status().label("status"),
            returned.scalar_subquery().label("returned"),
        )
        .where(*scope)
        .order_by(col(Application.updated_at).desc(), col(Application.number).desc())
        .limit(5)
    )


def latest():
    """⑦ on the user page: the five most recently updated, and how many 差戻し wait. One
    statement: each of the five carries the count (evaluated once); with no application at all,
    none waits."""
    params = {**applications.scope_params(), "cutoff": applications.draft_cutoff()}
    rows = db.session().connection().execute(_latest_statement(current_user.user.is_admin), params).all()
    return rows, rows[0].returned if rows else 0


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
