"""The statement budget (issue 13): every screen renders within BUDGET SQL statements, counted by
the app itself (NEXI_SQL_COUNT: the X-SQL-Count header), and no count grows with the rows a
screen shows — each list is rendered with 1 row and with 50 of each kind it shows, and both
counts must be the same. An action that writes declares its own budget (申込む: SUBMIT_BUDGET).

Each screen is rendered the way the redirect after a POST renders it: its state written into the
login session (screen, its arguments, the procedure; a ticket for the GET that follows), then
`GET /`. The procedure screens get their state from the public flow (B01 started from its menu
entry and answered step by step), as the procedure engine owns its shape. A screen without a
recipe below fails the budget, so a new screen must add one. The per-process caches (countries,
notices) are emptied before each render: the count is the one of a cold process.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from nexi import cache, db
from nexi.clock import now
from nexi.models import Application, ApplicationEvent, Attachment, Customer, Notice, StaffUser, Status, WebUser
from nexi.navigation import SCREENS
from tests.support.contracts import empty_book
from tests.support.procedures import b01, start
from tests.support.recipes import STAFF_OWNER, Recipe, Rows, contributed
from tests.support.staff import StaffPortal

BUDGET = 6
# 申込む of B01, the POST alone (its redirect renders 申込完了 within BUDGET): the login, the
# rules run again on the saved input (the register's same-name check), the application's
# conditional UPDATE, the guard's state, the 状況履歴 entry and the audit row. That is 6 today;
# a change that needs more raises this, in review.
SUBMIT_BUDGET = 7
MANY = 50
OWNER = "demo-admin"
VICTIM_CUSTOMER = "株式会社サンプル精機"


# --- Rows of each kind, 1 or MANY -----------------------------------------------------------------


def _table(model):
    return model.__table__


def _customer(connection) -> int:
    return connection.execute(
        select(_table(Customer).c.id).where(_table(Customer).c.name_ja == VICTIM_CUSTOMER)
    ).scalar_one()


def _detailed(connection):
    """The application status.detail shows: demo-admin's 申込済 one."""
    applications, users = _table(Application), _table(WebUser)
    return connection.execute(
        select(applications)
        .join(users, users.c.id == applications.c.user_id)
        .where(users.c.login_id == OWNER, applications.c.status == Status.SUBMITTED)
    ).first()


def _copies(row, n: int, change: Callable[[dict, int], dict]) -> list[dict]:
    values = {key: value for key, value in row._mapping.items() if key != "id"}
    return [change(dict(values), index) for index in range(n)]


def _applications(connection, n: int) -> None:
    """The customer's applications: n of demo-admin's, all 申込済, updated a minute apart."""
    applications = _table(Application)
    customer = _customer(connection)
    template = _detailed(connection)
    mine = select(applications.c.id).where(applications.c.customer_id == customer)
    empty_book(connection)  # the demo's 確認 and policies refer to the applications
    for child in (ApplicationEvent, Attachment):
        connection.execute(delete(_table(child)).where(_table(child).c.application_id.in_(mine)))
    connection.execute(delete(applications).where(applications.c.customer_id == customer))
    day = template.number[1:9]

    def change(values, index):
        moment = now() - timedelta(minutes=index)
        return values | {"number": f"W{day}{900000 + index:06d}", "updated_at": moment, "listed_at": moment}

    connection.execute(applications.insert(), _copies(template, n, change))


def _notices(connection, n: int) -> None:
    """The notices: n published, an hour apart."""
    notices = _table(Notice)
    connection.execute(delete(notices))
    connection.execute(
        notices.insert(),
        [
            {
                "title": f"お知らせ{index + 1}",
                "body": "本文です。",
                "category": "システム",
                "publish_at": now() - timedelta(hours=index + 1),
                "expire_at": None,
            }
            for index in range(n)
        ],
    )


def _history(connection, n: int) -> None:
    """The detailed application's 状況履歴: n entries."""
    events = _table(ApplicationEvent)
    detailed = _detailed(connection)
    template = connection.execute(select(events).where(events.c.application_id == detailed.id)).first()
    connection.execute(delete(events).where(events.c.application_id == detailed.id))
    start_at = template.at

    def change(values, index):
        return values | {"at": start_at + timedelta(minutes=index), "comment": f"履歴{index + 1}"}

    connection.execute(events.insert(), _copies(template, n, change))


def _attachments(connection, n: int) -> None:
    """The detailed application's attachments: n small PDFs."""
    detailed = _detailed(connection)
    attachments = _table(Attachment)
    connection.execute(delete(attachments).where(attachments.c.application_id == detailed.id))
    content = b"%PDF-1.4\n%%EOF\n"
    connection.execute(
        attachments.insert(),
        [
            {
                "customer_id": detailed.customer_id,
                "user_id": detailed.user_id,
                "application_id": detailed.id,
                "field": "report_files",
                "filename": f"file-{index + 1}.pdf",
                "size": len(content),
                "sha256": f"{index:064d}",
                "content": content,
                "uploaded_at": now(),
            }
            for index in range(n)
        ],
    )


def _staff(connection, n: int) -> None:
    """The staff accounts: the logged-in 管理担当 and n - 1 others."""
    staff = _table(StaffUser)
    connection.execute(delete(staff).where(staff.c.login_id != STAFF_OWNER))
    owner = connection.execute(select(staff).where(staff.c.login_id == STAFF_OWNER)).one()._asdict()
    rows = [
        owner | {"id": None, "login_id": f"staff-{index:03d}", "login_key": f"staff-{index:03d}", "last_login_at": None}
        for index in range(1, n)
    ]
    if rows:
        connection.execute(staff.insert(), [{k: v for k, v in row.items() if k != "id"} for row in rows])


def _a_staff(app) -> int:
    with app.app_context():
        return db.session().execute(select(StaffUser.id).where(StaffUser.login_key == "demo-reviewer")).scalar()


ROWS = {
    "applications": Rows(_applications, "button[name=number]"),
    "notices": Rows(_notices, "button[name=notice]"),
    "history": Rows(_history, "section[aria-labelledby=history-title] tbody tr"),
    "attachments": Rows(_attachments, "button[name=attachment]"),
    "staff": Rows(_staff, "button[name=staff]"),
}


def make_rows(app, kinds, n: int) -> None:
    with app.app_context():
        with db.engine().begin() as connection:
            for kind in kinds:
                ROWS[kind].make(connection, n)


# --- How each screen is reached -----------------------------------------------------------------


def _default_criteria(app) -> dict:
    from nexi.blueprints.status.routes import default_criteria

    with app.test_request_context():
        return default_criteria()


def _a_notice(app) -> int:
    with app.app_context():
        return db.session().execute(select(Notice.id).where(Notice.publish_at <= now()).order_by(Notice.id)).scalar()


def _detailed_number(app) -> str:
    with app.app_context():
        return _detailed(db.session().connection()).number


def _a_sealed_secret(app) -> str:
    from nexi.auth import otp

    with app.app_context():
        return otp.seal(otp.new_secret())


_USER_VALUES = {"name": "佐藤 花子", "phone": "03-1234-5678", "email": "hanako@example.jp", "role": "general"}


def _a_user(app) -> int:
    from nexi.models import WebUser

    with app.app_context():
        return db.session().execute(select(WebUser.id).where(WebUser.login_key == "demo-user")).scalar()


RECIPES = {
    "home.index": Recipe(lambda app: {}, ("applications", "notices", "deadlines")),
    "home.notices": Recipe(lambda app: {"page": 1}, ("notices",)),
    "home.notice_detail": Recipe(lambda app: {"notice_id": _a_notice(app), "back_page": 1}),
    "status.index": Recipe(lambda app: {"criteria": _default_criteria(app), "page": 1}, ("applications",)),
    "status.detail": Recipe(lambda app: {"number": _detailed_number(app)}, ("history", "attachments")),
    "inquiry.index": Recipe(lambda app: {}),
    "auth.otp_reenrol": Recipe(lambda app: {}),
    "auth.otp_reenrol_new": Recipe(lambda app: {"sealed": _a_sealed_secret(app)}),
    "users.password": Recipe(lambda app: {}),
    "users.company": Recipe(lambda app: {}),
    "users.manage": Recipe(lambda app: {}),
    "users.detail": Recipe(lambda app: {"user_id": _a_user(app)}),
    "users.add": Recipe(lambda app: {"values": {"otp": "off", "password_mode": "generate", "role": "general"}}),
    "users.add_confirm": Recipe(lambda app: {"values": _USER_VALUES | {"login_id": "kato-yui", "otp": "off"}}),
    "users.added": Recipe(lambda app: {"user_id": _a_user(app), "generated": True, "password": "Abcd-Efgh-Jkmn-Pqrs"}),
    "users.edit": Recipe(lambda app: {"user_id": _a_user(app), "values": _USER_VALUES}),
    "users.edit_confirm": Recipe(lambda app: {"user_id": _a_user(app), "values": _USER_VALUES}),
    "users.reset": Recipe(lambda app: {"user_id": _a_user(app)}),
    "users.reset_done": Recipe(
        lambda app: {"user_id": _a_user(app), "generated": True, "password": "Abcd-Efgh-Jkmn-Pqrs"}
    ),
    "staff.home": Recipe(lambda app: {}),
    "staff.password": Recipe(lambda app: {}),
    "staff.accounts": Recipe(lambda app: {}, ("staff",)),
    "staff.account": Recipe(lambda app: {"staff_id": _a_staff(app)}),
    "staff.account_confirm": Recipe(lambda app: {"staff_id": _a_staff(app), "action": "password"}),
    "staff.account_done": Recipe(
        lambda app: {"staff_id": _a_staff(app), "action": "password", "sealed": _a_sealed_secret(app)}
    ),
    "staff.account_add": Recipe(lambda app: {"values": {}}),
    "staff.account_add_confirm": Recipe(
        lambda app: {"values": {"login_id": "kato-yui", "name": "加藤 結衣", "roles": ["審査担当"]}}
    ),
    "procedure.intro": Recipe(),
    "procedure.input": Recipe(),
    "procedure.confirm": Recipe(),
    "procedure.complete": Recipe(),
}
_RECIPES, _ROWS = contributed()
RECIPES.update(_RECIPES)
ROWS.update(_ROWS)


def walk_b01(portal) -> dict[str, list[dict]]:
    """Walk B01 through the public flow, from its menu entry to 申込完了: screen → the states
    it was shown in (each step of 入力 is one)."""
    states: dict[str, list[dict]] = {}

    def note():
        state = portal.state()
        states.setdefault(state["screen"], []).append(state)

    page = portal.go("buyers.register")
    note()
    if "手続きの流れ" in page.h1:
        portal.go("procedure.intro", {"action": "next"})
        note()
    for values in b01().values():
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
        note()
    assert portal.state()["screen"] == "procedure.confirm"
    portal.go("procedure.confirm_submit", {"action": "submit"})
    note()
    return states


def statements(portal, state: dict) -> tuple[int, object]:
    """(statements counted, the page) of rendering `state` as the redirect after a POST does."""
    cache.clear()
    page = portal.show(state["screen"], state["screen_args"], state["procedure"])
    assert portal.state()["screen"] == state["screen"], f"{state['screen']} fell back to {portal.state()['screen']}"
    return int(page.response.headers["X-SQL-Count"]), page


def test_every_screen_has_a_recipe(app):
    missing = sorted(set(SCREENS) - RECIPES.keys())
    assert not missing, f"screens without a statement budget recipe in {__name__}: {missing}"


@pytest.mark.parametrize("screen", sorted(name for name, recipe in RECIPES.items() if recipe.args))
def test_each_screen_renders_within_the_budget_whatever_the_rows(app, portal, screen):
    recipe = RECIPES[screen]
    if screen.startswith("staff."):  # the staff area's screens, in a staff login (S.1)
        portal = StaffPortal(app, app.test_client())
        portal.login(recipe.staff)
    else:
        portal.login(OWNER)
    counts, shown = {}, {}
    for n in (1, MANY) if recipe.rows else (None,):
        if n is not None:
            make_rows(app, recipe.rows, n)
        state = {"screen": screen, "screen_args": recipe.args(app), "procedure": None}
        counts[n], page = statements(portal, state)
        shown[n] = {kind: len(page.select(ROWS[kind].shown)) for kind in recipe.rows}
        assert counts[n] <= BUDGET, f"{screen} with {n} rows: {counts[n]} statements (budget {BUDGET})"
    if recipe.rows:
        assert counts[1] == counts[MANY], f"{screen}: {counts[1]} statements with 1 row, {counts[MANY]} with {MANY}"
        for kind in recipe.rows:
            assert shown[1][kind] == 1 < shown[MANY][kind], f"{screen} does not show the {kind}: {shown}"


def test_each_procedure_screen_renders_within_the_budget(app, portal):
    portal.login(OWNER)
    walked = walk_b01(portal)
    procedure_screens = sorted(name for name, recipe in RECIPES.items() if recipe.args is None)
    assert sorted(walked) == procedure_screens, f"B01's flow showed {sorted(walked)}"
    for screen, states in walked.items():
        for state in states:
            count, page = statements(portal, state)
            assert count <= BUDGET, f"{screen} ({page.h1}): {count} statements (budget {BUDGET})"


def test_submitting_keeps_to_its_own_budget(app, portal):
    portal.login(OWNER)
    walk_b01_to_confirm(portal)
    response = portal.send("procedure.confirm_submit", {"action": "submit"}, follow=False)
    assert response.status_code == 303
    count = int(response.headers["X-SQL-Count"])
    assert count <= SUBMIT_BUDGET, f"申込む of B01: {count} statements (budget {SUBMIT_BUDGET})"
    assert portal.get(response.headers["Location"]).h1 == "海外商社新規登録（申込完了）"


def walk_b01_to_confirm(portal) -> None:
    page = start(portal, "buyers.register")
    for values in b01().values():
        page = portal.go("procedure.input_submit", {"action": "next", **values})
    assert "申込内容確認" in page.h1, page.h1
