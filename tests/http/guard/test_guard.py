"""2-5 操作上の注意事項: every browser navigation the manual forbids is detected on the server,
never carried out, reported in plain Japanese, and written to the audit log."""

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Application, AuditEvent, LoginSession


def audit_kinds(app) -> list[str]:
    with app.app_context():
        return db.session().exec(select(AuditEvent.kind).where(AuditEvent.kind.startswith("guard."))).all()


def screen_name(app) -> str:
    with app.app_context():
        return db.session().exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one().screen


def test_the_redirect_after_a_post_shows_the_next_screen_without_a_notice(portal):
    portal.login()
    page = portal.go("home.notices")
    assert page.h1 == "掲載中のお知らせ一覧" and page.messages == []


def test_a_refresh_shows_the_current_screen_with_a_notice(app, portal):
    portal.login()
    portal.go("home.notices")
    page = portal.get("/")
    assert page.h1 == "掲載中のお知らせ一覧"
    assert "「戻る」「進む」「更新」" in page.messages[0]
    assert "guard.history" in audit_kinds(app)


def test_a_typed_address_or_bookmark_says_so(app, portal):
    portal.login()
    portal.go("home.notices")
    page = portal.get("/", headers={"Sec-Fetch-Site": "none", "Sec-Fetch-User": "?1"})
    assert page.h1 == "掲載中のお知らせ一覧"
    assert "URLの直接入力" in page.messages[0]
    assert "guard.typed" in audit_kinds(app)


def test_a_typed_address_of_a_deep_screen_shows_the_current_screen(app, portal):
    portal.login()
    page = portal.get("/buyers/register")
    assert page.h1 == "ユーザーページ"
    assert "URLの直接入力" in page.messages[0]
    assert screen_name(app) == "home.index"


def test_a_page_from_the_history_cannot_act(app, both):
    both.login()
    old = both.token
    both.go("home.notices")
    page = both.go("buyers.register", token=old)
    assert page.h1 == "掲載中のお知らせ一覧"
    assert "「戻る」「進む」ボタン" in " ".join(page.messages)
    assert screen_name(app) == "home.notices"
    assert "guard.stale" in audit_kinds(app)


def test_a_second_tab_makes_the_first_one_stale(app, portal, app_client_sharing_cookies):
    portal.login()
    first_tab_token = portal.token
    second = app_client_sharing_cookies(portal)
    second_page = second.get("/")  # a duplicated tab, or a new window on the same session
    assert second_page.h1 == "ユーザーページ" and second_page.messages
    page = portal.go("home.notices", token=first_tab_token)
    assert page.h1 == "ユーザーページ"
    assert "複数のタブ・ウィンドウ" in page.messages[0]
    assert "guard.other_tab" in audit_kinds(app)
    assert second.go("home.notices").h1 == "掲載中のお知らせ一覧"


@pytest.mark.parametrize("token", [False, "", "forged-token-from-elsewhere"])
def test_a_missing_or_unknown_token_is_refused(app, both, token):
    both.login()
    page = both.go("home.notices", token=token)
    assert page.h1 == "ユーザーページ"
    assert "画面の情報が正しくない" in page.messages[0]
    assert "guard.invalid" in audit_kinds(app)


def test_another_sessions_token_is_refused(app, portal, other_portal):
    portal.login("demo-admin")
    other_portal.login("demo-user")
    page = portal.go("home.notices", token=other_portal.token)
    assert page.h1 == "ユーザーページ" and page.messages


def test_a_repeated_request_is_not_run_again(app, both):
    both.login()
    both.go("buyers.register")  # 手続きの流れ
    token = both.token
    first = both.go("procedure.intro", {"action": "next"}, token=token)
    again = both.go("procedure.intro", {"action": "next"}, token=token)
    assert first.h1 == again.h1 == "海外商社新規登録（名称・所在地）"
    assert "二度押し" in again.messages[0]
    assert "guard.duplicate" in audit_kinds(app)


def test_a_different_request_with_the_previous_token_is_stale_not_a_repeat(app, both):
    both.login()
    token = both.token
    both.go("home.notices", token=token)
    page = both.go("estimate.index", token=token)
    assert page.h1 == "掲載中のお知らせ一覧"
    assert "二度押し" not in " ".join(page.messages)


def test_htmx_gets_the_notice_as_a_whole_page_swap(portal):
    portal.login()
    old = portal.token
    portal.go("home.notices", htmx=True)
    page = portal.go("home.home", htmx=True, token=old)
    assert page.response.status_code == 200
    assert page.response.headers["HX-Retarget"] == "body"
    assert page.h1 == "掲載中のお知らせ一覧" and page.messages


def test_a_misuse_changes_no_data(app, both):
    both.login()
    old = both.token
    both.go("home.notices")
    with app.app_context():
        before = db.session().exec(select(Application.id)).all()
    both.go("buyers.register", token=old)
    both.go("status.index", token=old)
    with app.app_context():
        assert db.session().exec(select(Application.id)).all() == before
    assert screen_name(app) == "home.notices"


def test_every_misuse_is_audited_with_the_user_and_screen(app, portal):
    portal.login("demo-user")
    portal.go("home.notices")
    portal.get("/")
    with app.app_context():
        event = db.session().exec(select(AuditEvent).where(AuditEvent.kind == "guard.history")).one()
        assert event.user_id is not None and event.screen == "home.notices" and event.at is not None


def test_a_refresh_after_htmx_navigation_re_renders_the_current_screen(portal):
    portal.login()
    portal.go("home.notices", htmx=True)
    portal.go("home.notice_detail", {"notice": "1"}, htmx=True)
    page = portal.get("/")
    assert page.h1 in {"お知らせ", "掲載中のお知らせ一覧"}
    assert page.messages


def test_two_simultaneous_submits_with_one_token_submit_once(app, portal, app_client_sharing_cookies):
    """A double click that reaches the server at the same moment: one request runs, the other is
    answered as its repeat, and exactly one application is submitted (on PostgreSQL the second
    one's work is rolled back when its state write finds the token gone)."""
    import threading

    from nexi.models import Status
    from tests.support.procedures import b01, walk

    portal.login()
    number = walk(portal, "buyers.register", b01()).text(".panel .number")
    twin = app_client_sharing_cookies(portal)
    twin.token, twin.csrf = portal.token, portal.csrf
    barrier, pages = threading.Barrier(2), {}

    def submit(name, client):
        barrier.wait()
        pages[name] = client.go("procedure.confirm_submit", {"action": "submit"}, htmx=True, check=False)

    threads = [threading.Thread(target=submit, args=(name, client)) for name, client in (("a", portal), ("b", twin))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(page.h1 for page in pages.values()) == ["海外商社新規登録（申込完了）"] * 2
    assert sum("二度押し" in " ".join(page.messages) for page in pages.values()) == 1
    with app.app_context():
        application = db.session().exec(select(Application).where(Application.number == number)).one()
        assert application.status == Status.SUBMITTED
        from nexi.models import ApplicationEvent

        events = (
            db.session()
            .exec(select(ApplicationEvent.status).where(ApplicationEvent.application_id == application.id))
            .all()
        )
    assert events.count(Status.SUBMITTED) == 1
