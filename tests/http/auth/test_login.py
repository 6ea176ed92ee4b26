"""2-2 ログイン画面 and 3-1 login rules."""

from sqlmodel import select

from nexi import db
from nexi.models import LoginSession, WebUser

WRONG = "WebユーザーIDまたはパスワードが正しくありません。入力内容をご確認ください。"


def test_the_login_screen_asks_for_id_and_password(portal):
    page = portal.get("/login")
    assert page.h1 == "ログイン"
    assert page.text("label[for=login_id]").startswith("WebユーザーID")
    assert page.text("label[for=password]").startswith("パスワード")
    assert page.one("#password")["type"] == "password"
    assert page.texts("form button") == ["ログイン"]


def test_a_correct_login_shows_the_user_page(portal):
    page = portal.login("demo-admin")
    assert page.h1 == "ユーザーページ"
    assert "株式会社サンプル精機" in page.text(".user-info")
    assert "demo-admin" in page.text(".user-info")


def test_login_ids_match_whatever_their_case_or_width(portal):
    assert portal.login("DEMO-ADMIN").h1 == "ユーザーページ"
    assert portal.login("ｄｅｍｏ－ａｄｍｉｎ").h1 == "ユーザーページ"


def test_a_wrong_password_and_an_unknown_id_say_exactly_the_same(portal):
    wrong_password = portal.login("demo-admin", "not the password")
    unknown_id = portal.login("nobody-here", "not the password")
    assert wrong_password.h1 == unknown_id.h1 == "ログイン"
    assert wrong_password.error_summary == unknown_id.error_summary == [WRONG]
    assert wrong_password.title == unknown_id.title


def test_a_failed_login_keeps_the_typed_id_but_never_the_password(portal):
    page = portal.login("demo-admin", "not the password")
    assert page.one("#login_id")["value"] == "demo-admin"
    assert not page.one("#password").get("value")


def test_empty_fields_get_a_message_next_to_each(portal):
    page = portal.login("", "")
    assert page.field_error("login_id") == "WebユーザーIDを入力してください"
    assert page.field_error("password") == "パスワードを入力してください"
    assert page.title.startswith("エラー：")


def test_a_password_is_not_trimmed(portal):
    assert portal.login("demo-admin", " DemoPass#2026 ").h1 == "ログイン"


def test_passwords_are_stored_with_a_slow_modern_hash(app):
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-admin")).one()
    assert user.password_hash.startswith("$argon2id$")
    assert "DemoPass" not in user.password_hash


def test_each_login_gets_a_new_session_id_and_ends_the_older_one(app, portal, other_portal):
    portal.login("demo-admin")
    first_cookie = portal.client.get_cookie("nexi_session").value
    other_portal.login("demo-admin")
    with app.app_context():
        sessions = db.session().exec(select(LoginSession).order_by(LoginSession.created_at)).all()
    assert len(sessions) == 2 and sessions[0].id != sessions[1].id
    assert sessions[0].ended_reason == "superseded" and sessions[1].ended_at is None
    page = portal.get("/")
    assert page.h1 == "ログイン"
    assert "新たにログインされたため" in page.text(".message")
    assert portal.client.get_cookie("nexi_session").value != first_cookie


def test_the_cookie_session_changes_at_login(portal):
    portal.get("/login")
    before = portal.client.get_cookie("nexi_session")
    portal.login("demo-admin")
    after = portal.client.get_cookie("nexi_session")
    assert before is None or before.value != after.value


def test_the_login_screen_while_logged_in_returns_to_the_current_screen(portal):
    portal.login("demo-admin")
    page = portal.get("/login")
    assert page.h1 == "ユーザーページ"
    assert any("URLの直接入力" in message or "戻る" in message for message in page.messages)
