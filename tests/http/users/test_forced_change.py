"""3-2 forced at the first login with a 仮パスワード: nothing else until it is changed; expiry."""

import pytest

from nexi.demo import DEMO_PASSWORD
from tests.http.users.support import NEW_PASSWORD, audited, issued_days_ago, live_sessions, user


def test_the_first_login_with_a_temporary_password_shows_only_the_change(both):
    page = both.login("demo-temp")
    assert page.h1 == "パスワード変更"
    assert "仮パスワードでログインしています" in page.text(".forced-change")
    assert not page.select("#current_password")  # not asked on the forced change
    assert page.select("#new_password") and page.select("#new_password_confirm")
    assert not page.select("#area-users")  # no menu


@pytest.mark.parametrize(
    ("endpoint", "data"),
    [
        ("home.home", {}),
        ("status.index", {}),
        ("status.detail", {"number": "W20260101000001"}),
        ("users.company", {}),
        ("users.password", {}),
        ("home.notices", {}),
        ("buyers.register", {}),
    ],
)
def test_every_guarded_request_shows_the_change_instead(both, endpoint, data):
    both.login("demo-temp")
    page = both.go(endpoint, data)
    assert page.h1 == "パスワード変更"
    assert not page.select("#current_password")


def test_the_apps_address_and_downloads_show_the_change_instead(portal):
    portal.login("demo-temp")
    assert portal.get(portal.url("home.current")).h1 == "パスワード変更"  # a refresh, a typed URL
    page = portal.go("status.csv")
    assert page.h1 == "パスワード変更"
    assert page.response.mimetype == "text/html"


def test_after_the_change_the_user_page_and_everything_else_open(both, app, other_portal):
    both.login("demo-temp")
    page = both.go("users.password_submit", {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD})
    assert page.h1 == "ユーザーページ"
    assert both.go("status.index").h1 == "Web申込状況一覧"
    assert not user(app, "demo-temp").temporary_password
    [event] = audited(app, "password.changed")
    assert event.detail == {"forced": True}
    assert other_portal.login("demo-temp", NEW_PASSWORD).h1 == "ユーザーページ"


def test_the_temporary_password_itself_is_refused_as_the_new_one(both):
    both.login("demo-temp")
    page = both.go("users.password_submit", {"new_password": DEMO_PASSWORD, "new_password_confirm": DEMO_PASSWORD})
    assert page.field_error("new_password") == "新しいパスワードは現在のパスワードと異なるものを入力してください"


def test_an_expired_temporary_password_cannot_log_in(both, app):
    issued_days_ago(app, "demo-temp", 7.01)
    page = both.login("demo-temp")
    assert page.h1 == "ログイン"  # the login itself is refused (3-2), not a session ended after it
    assert "仮パスワードの有効期限が切れているため、ログインできません。" in page.text("main")
    assert "新しい仮パスワードの発行を依頼してください" in page.text("main")
    assert live_sessions(app, "demo-temp") == 0
    assert audited(app, "login.temporary_expired")
    assert both.get(both.url("home.current")).h1 == "ログイン"


def test_the_validity_follows_the_setting(portal, app, monkeypatch):
    issued_days_ago(app, "demo-temp", 2)
    monkeypatch.setitem(app.config, "NEXI_TEMP_PASSWORD_DAYS", 3)
    assert portal.login("demo-temp").h1 == "パスワード変更"
    monkeypatch.setitem(app.config, "NEXI_TEMP_PASSWORD_DAYS", 1)
    assert "仮パスワードの有効期限が切れている" in portal.login("demo-temp").text("main")
