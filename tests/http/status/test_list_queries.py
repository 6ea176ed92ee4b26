"""4-3 Web申込状況一覧: how the list finds its rows. Every page in update order whichever index
a search walks, each choice of 状況 as the list shows it, and the plans each database is given."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from nexi import db
from nexi.blueprints.status.queries import shown_status
from nexi.blueprints.status.routes import default_criteria
from nexi.clock import JST, now
from nexi.models import Application, Status
from tests.http.status.test_list import listed
from tests.support.procedures import b01, walk


def test_no_application_is_updated_before_it_is_listed(app, both):
    # The list's index walks stop at 申込日 From by 最終更新日時 (status/queries.py): an
    # application updated before its 申込日時 would silently drop out of the list.
    both.login()
    walk(both, "buyers.register", b01())  # saved at 確認 …
    assert both.go("procedure.confirm_submit", {"action": "submit"}).h1.endswith("（申込完了）")  # … submitted
    walk(both, "buyers.register", b01())  # and a draft
    with app.app_context():
        rows = db.session().exec(select(Application.number, Application.listed_at, Application.updated_at)).all()
    assert len(rows) > 2 and all(updated_at >= listed_at for _, listed_at, updated_at in rows)


def _spread(app, count=45):
    """`count` submitted applications of the demo company, one listed every other day, each
    updated some days after it was listed, so update order and 申込日時 order differ."""
    with app.app_context():
        template = (
            db.session()
            .exec(select(Application).where(Application.status == Status.SUBMITTED, Application.customer_id == 1))
            .first()
        )
        for n in range(count):
            listed_at = now() - timedelta(days=2 * n + 1)
            values = template.model_dump(exclude={"id", "number"})
            values |= {"number": f"W20990101{n:06d}", "listed_at": listed_at, "submitted_at": listed_at}
            values["updated_at"] = min(now(), listed_at + timedelta(days=(n * 7) % 30))
            db.session().add(Application(**values))
        db.session().commit()


def _expected(app, start, end, newest, procedure=None):
    with app.app_context():
        query = select(Application.number, Application.updated_at, Application.listed_at).where(
            Application.customer_id == 1, Application.status == Status.SUBMITTED
        )
        if procedure:
            query = query.where(Application.procedure == procedure)
        rows = db.session().exec(query)
        low, high = (datetime.combine(day, time(), tzinfo=JST) for day in (start, end + timedelta(days=1)))
        kept = sorted(((updated, number) for number, updated, listed_at in rows if low <= listed_at < high))
    return [number for _, number in (reversed(kept) if newest else kept)]


def _every_page(portal, criteria) -> list[str]:
    page = portal.go("status.search", criteria)
    found, pages = listed(page), int(page.text(".result-count").split("/")[1].split("ページ")[0])
    for number in range(2, pages + 1):
        found += listed(portal.go("status.page", {"page": str(number)}))
    return found


def test_every_page_is_in_update_order_whether_the_period_reaches_today_or_not(app, portal):
    # A 期間 reaching today walks a (…, 最終更新日時) index (the procedure's one when 手続種別 is
    # given); an older one sorts the period's matches.
    _spread(app)
    with app.app_context():
        spread = select(Application.procedure).where(col(Application.number).startswith("W20990101"))
        spread_procedure = db.session().exec(spread).first()
    portal.login("demo-admin")
    today = now().astimezone(JST).date()
    for start, end, order, procedure in (
        (today - timedelta(days=60), today, "new", None),
        (today - timedelta(days=60), today, "old", None),
        (today - timedelta(days=60), today, "new", spread_procedure),
        (today - timedelta(days=80), today - timedelta(days=20), "new", None),
        (today - timedelta(days=80), today - timedelta(days=20), "new", spread_procedure),
    ):
        criteria = {"date_from": start.isoformat(), "date_to": end.isoformat(), "statuses": ["submitted"]}
        if procedure:
            criteria["procedure"] = procedure
        expected = _expected(app, start, end, newest=order == "new", procedure=procedure)
        assert len(expected) > 20
        assert _every_page(portal, criteria | {"order": order}) == expected


def _expiring_draft(app) -> str:
    """A draft of the demo company saved past the expiry and not yet marked by the daily job."""
    with app.app_context():
        draft = (
            db.session()
            .exec(select(Application).where(Application.customer_id == 1, Application.status == Status.DRAFT))
            .first()
        )
        long_ago = now() - timedelta(days=app.config["NEXI_DRAFT_EXPIRY_DAYS"] + 5)
        draft.saved_at = draft.listed_at = draft.updated_at = long_ago
        db.session().add(draft)
        db.session().commit()
        return draft.number


@pytest.mark.parametrize(
    "chosen",
    [
        [status for status in Status if status != Status.EXPIRED],  # the default
        [status for status in Status if status not in (Status.EXPIRED, Status.RETURNED)],
        [Status.DRAFT, Status.RETURNED],
        [Status.EXPIRED, Status.DRAFT],
        list(Status),
    ],
    ids=["default", "most", "few", "expired", "all"],
)
def test_each_choice_of_status_lists_exactly_the_applications_shown_with_one_of_them(app, portal, chosen):
    # A choice of most 状況 is written as "none of the others", a few as "one of these"; both
    # read a draft past the expiry as 期限切れ, as the list shows it.
    expiring = _expiring_draft(app)
    portal.login("demo-admin")
    today = now().astimezone(JST).date()
    start = today - timedelta(days=300)
    with app.app_context():
        rows = db.session().exec(select(Application).where(Application.customer_id == 1)).all()
        low = datetime.combine(start, time(), tzinfo=JST)
        kept = sorted(
            (row.updated_at, row.number) for row in rows if row.listed_at >= low and shown_status(row) in chosen
        )
    expected = [number for _, number in reversed(kept)]
    assert (expiring in expected) == (Status.EXPIRED in chosen)
    criteria = {"date_from": start.isoformat(), "date_to": today.isoformat(), "order": "new"}
    assert _every_page(portal, criteria | {"statuses": [status.value for status in chosen]}) == expected


def _statements_of(app, action) -> list[str]:
    engine = app.extensions["nexi_engine"]
    seen = []

    def remember(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return seen


def test_on_sqlite_a_period_reaching_today_walks_the_recent_index(app, portal, other_portal):
    if app.extensions["nexi_engine"].dialect.name != "sqlite":
        pytest.skip("the index hint is for SQLite's planner; PostgreSQL plans with statistics")
    portal.login("demo-admin")
    seen = _statements_of(app, lambda: portal.go("status.index"))
    assert any("INDEXED BY ix_application_recent" in statement for statement in seen)
    yesterday = (now().astimezone(JST) - timedelta(days=1)).date()
    criteria = {"date_from": (yesterday - timedelta(days=30)).isoformat(), "date_to": yesterday.isoformat()}
    seen = _statements_of(app, lambda: portal.go("status.search", criteria | {"statuses": ["submitted"]}))
    assert seen and not any("INDEXED BY" in statement for statement in seen)
    by_procedure = default_criteria() | {"procedure": "B02"}
    seen = _statements_of(app, lambda: portal.go("status.search", by_procedure))
    assert sum(statement.count("INDEXED BY ix_application_procedure") for statement in seen) == 2  # count, page
    other_portal.login("demo-user")
    seen = _statements_of(app, lambda: other_portal.go("status.index"))
    assert any("INDEXED BY ix_application_user_recent" in statement for statement in seen)


def test_on_postgresql_the_list_is_planned_with_its_own_period(app, portal):
    if app.extensions["nexi_engine"].dialect.name != "postgresql":
        pytest.skip("SQLite has no plan cache to bypass")
    portal.login("demo-admin")
    seen = _statements_of(app, lambda: portal.go("status.index"))
    planned = [n for n, statement in enumerate(seen) if "plan_cache_mode = force_custom_plan" in statement]
    page = [n for n, statement in enumerate(seen) if "ORDER BY application.updated_at DESC" in statement]
    assert planned and page and planned[0] < page[0]
    # only the list's transaction: the next screen is planned as usual
    seen = _statements_of(app, lambda: portal.go("home.home"))
    assert not any("plan_cache_mode" in statement for statement in seen)
