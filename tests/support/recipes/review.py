"""Statement budget recipes of the review queue (S.2): the queue, an application's review and a
decision's screen, rendered in the 審査担当's login, with 1 and 50 rows of each list."""

from datetime import timedelta

from sqlalchemy import delete, select

from nexi import db
from nexi.clock import now
from nexi.models import Application, ApplicationEvent, ApplicationMemo, Attachment, StaffUser, Status, WebUser
from tests.support.contracts import empty_book
from tests.support.recipes import Recipe, Rows

REVIEWER = "demo-reviewer"
OWNER = "demo-admin"


def _submitted(connection):
    applications, users = Application.__table__, WebUser.__table__
    return connection.execute(
        select(applications)
        .join(users, users.c.id == applications.c.user_id)
        .where(users.c.login_id == OWNER, applications.c.status == Status.SUBMITTED)
        .order_by(applications.c.id)
    ).first()


def _queue(connection, n: int) -> None:
    """n open applications (申込済, a minute apart) and nothing else open."""
    applications = Application.__table__
    template = _submitted(connection)
    others = select(applications.c.id).where(applications.c.id != template.id)
    empty_book(connection)  # the demo's 確認 and policies refer to the applications
    for child in (ApplicationEvent, Attachment, ApplicationMemo):
        connection.execute(delete(child.__table__).where(child.__table__.c.application_id.in_(others)))
    connection.execute(delete(applications).where(applications.c.id != template.id))
    values = {key: value for key, value in template._mapping.items() if key != "id"}
    day = template.number[1:9]
    rows = [
        values | {"number": f"W{day}{800000 + index:06d}", "listed_at": now() - timedelta(minutes=index)}
        for index in range(1, n)
    ]
    if rows:
        connection.execute(applications.insert(), rows)


def _events(connection, n: int) -> None:
    """The reviewed application's 状況履歴: n entries, each by a staff member."""
    events = ApplicationEvent.__table__
    template = _submitted(connection)
    staff = connection.execute(
        select(StaffUser.__table__.c.id).where(StaffUser.__table__.c.login_id == REVIEWER)
    ).scalar()
    connection.execute(delete(events).where(events.c.application_id == template.id))
    connection.execute(
        events.insert(),
        [
            {
                "application_id": template.id,
                "at": now() - timedelta(minutes=n - index),
                "status": Status.SUBMITTED,
                "by_nexi": True,
                "staff_user_id": staff,
                "user_id": None,
                "comment": f"履歴{index + 1}",
            }
            for index in range(n)
        ],
    )


def _memos(connection, n: int) -> None:
    memos = ApplicationMemo.__table__
    template = _submitted(connection)
    staff = connection.execute(
        select(StaffUser.__table__.c.id).where(StaffUser.__table__.c.login_id == REVIEWER)
    ).scalar()
    connection.execute(delete(memos).where(memos.c.application_id == template.id))
    connection.execute(
        memos.insert(),
        [
            {"application_id": template.id, "staff_user_id": staff, "at": now(), "body": f"メモ{index + 1}"}
            for index in range(n)
        ],
    )


def _number(app) -> str:
    with app.app_context():
        return _submitted(db.session().connection()).number


def _criteria(app) -> dict:
    from nexi.blueprints.staff.review import default_criteria

    with app.test_request_context():
        return default_criteria()


ROWS = {
    "queue": Rows(_queue, "table.table--queue tbody tr"),
    "review_history": Rows(_events, "section[aria-labelledby=history-title] tbody tr"),
    "memos": Rows(_memos, ".memo-list li"),
}

RECIPES = {
    "staff.queue": Recipe(lambda app: {"criteria": _criteria(app), "page": 1}, ("queue",), staff=REVIEWER),
    "staff.review": Recipe(lambda app: {"number": _number(app)}, ("review_history", "memos"), staff=REVIEWER),
    "staff.decide": Recipe(lambda app: {"number": _number(app), "key": "complete", "version": 1}, staff=REVIEWER),
}
