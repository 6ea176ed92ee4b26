"""2-2 ④ ログアウト and 3-1 idle timeout: sessions live on the server and end there."""

from datetime import timedelta

from sqlmodel import select

from nexi import db
from nexi.models import LoginSession


def age_sessions(app, seconds):
    with app.app_context():
        for login_session in db.session().exec(select(LoginSession)).all():
            login_session.last_seen_at -= timedelta(seconds=seconds)
            db.session().add(login_session)
        db.session().commit()


def test_logout_ends_the_session_on_the_server(app, portal):
    portal.login("demo-admin")
    cookie = portal.client.get_cookie("nexi_session").value
    page = portal.post("/logout", {})
    assert page.h1 == "ログアウト"
    assert "ログアウトしました" in page.text("main")
    # The cookie from before the logout is worthless now.
    portal.client.set_cookie("nexi_session", cookie)
    assert portal.get("/").h1 == "ログイン"
    with app.app_context():
        assert db.session().exec(select(LoginSession)).one().ended_reason == "logout"


def test_the_logout_button_is_on_every_screen_after_login(both):
    both.login("demo-admin")
    page = both.get("/")
    assert page.one(".site-header form[action='/logout'] button").get_text() == "ログアウト"


def test_idle_beyond_the_timeout_lands_on_the_login_screen(app, portal):
    portal.login("demo-admin")
    age_sessions(app, 1801)
    page = portal.get("/")
    assert page.h1 == "ログイン"
    assert "一定時間操作が行われなかったため" in page.text(".message")
    with app.app_context():
        assert db.session().exec(select(LoginSession)).one().ended_reason == "timeout"


def test_activity_within_the_timeout_keeps_the_session(app, portal):
    portal.login("demo-admin")
    age_sessions(app, 1700)
    assert portal.go("home.notices").h1 == "掲載中のお知らせ一覧"
    age_sessions(app, 1700)
    assert portal.go("home.home").h1 == "ユーザーページ"


def test_the_timeout_is_a_setting(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_IDLE_TIMEOUT_SECONDS", 60)
    portal.login("demo-admin")
    age_sessions(app, 61)
    assert portal.get("/").h1 == "ログイン"


def test_an_htmx_request_after_the_timeout_is_sent_to_the_login_screen(app, portal):
    portal.login("demo-admin")
    age_sessions(app, 1801)
    response = portal.client.post(
        "/notices", data={"csrf_token": portal.csrf, "_nav_live": portal.token}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/login"
    assert "一定時間操作が行われなかったため" in portal.get("/login").text(".message")


def test_a_timed_out_plain_post_is_sent_to_the_login_screen(app, portal):
    portal.login("demo-admin")
    age_sessions(app, 1801)
    page = portal.go("home.notices")
    assert page.h1 == "ログイン"
