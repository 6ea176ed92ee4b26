"""3-3 ⑰ on the user page: 利用中, 登録日時, 最終認証日時 and 「再登録」 (a current code, then a new
secret enrolled with one of its codes); listed without a link, with its reason, for other users."""

from datetime import UTC, datetime

import pyotp
import pytest
from sqlmodel import select

from nexi import db
from nexi.auth import otp
from nexi.demo import DEMO_OTP_SECRET
from nexi.models import WebUser

TOTP = pyotp.TOTP(DEMO_OTP_SECRET)
NOW = datetime(2026, 11, 25, 12, 0, 15, tzinfo=UTC)
T = NOW.timestamp()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(otp, "real_now", lambda: NOW)


def stored_secret(app, login_key="demo-otp") -> str:
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == login_key)).one()
        return otp.reveal(user.otp_secret)


def test_the_otp_area_shows_the_status_and_offers_reenrolment(both):
    page = both.login("demo-otp", otp=TOTP.at(T))
    area = page.text("#area-otp")
    assert "利用中" in area and "登録日時" in area and "最終認証日時 2026年11月25日 21:00" in area
    assert page.one("#area-otp form button").get_text() == "再登録"


def test_a_user_without_otp_finds_it_listed_without_a_link_and_a_reason(portal):
    page = portal.login("demo-user")
    assert not page.select("#area-otp form")
    assert "ワンタイムパスワードをご利用の方のみ" in page.text("#area-otp .menu-item__reason")


def test_reenrolment_asks_a_current_code_then_enrols_a_new_secret(app, both):
    both.login("demo-otp", otp=TOTP.at(T))
    page = both.go("auth.otp_reenrol")
    assert page.h1 == "ワンタイムパスワード再登録"
    assert not page.select(".otp-secret")  # no new secret before the current code
    page = both.go("auth.otp_reenrol_check", {"code": TOTP.at(T + 30)})
    assert page.h1 == "ワンタイムパスワード再登録"
    secret = page.text(".otp-secret").replace(" ", "")
    assert secret != DEMO_OTP_SECRET and page.select("figure.otp-qr svg")
    assert stored_secret(app) == DEMO_OTP_SECRET  # not replaced before it is confirmed
    page = both.go("auth.otp_reenrol_confirm", {"code": pyotp.TOTP(secret).at(T)})
    assert page.h1 == "ユーザーページ"
    assert any("再登録しました" in message for message in page.messages)
    assert stored_secret(app) == secret


def test_a_wrong_current_code_shows_no_new_secret_and_counts_as_a_failure(app, portal):
    portal.login("demo-otp", otp=TOTP.at(T))
    portal.go("auth.otp_reenrol")
    page = portal.go("auth.otp_reenrol_check", {"code": TOTP.at(T)})  # used for the login already
    assert page.h1 == "ワンタイムパスワード再登録" and not page.select(".otp-secret")
    assert "正しくありません" in " ".join(page.error_summary)
    with app.app_context():
        from nexi.models import LoginFailure

        assert db.session().get(LoginFailure, "demo-otp").count == 1


def test_enough_wrong_codes_lock_the_id_and_end_the_session(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOCKOUT_THRESHOLD", 2)
    portal.login("demo-otp", otp=TOTP.at(T))
    portal.go("auth.otp_reenrol")
    portal.go("auth.otp_reenrol_check", {"code": "000000"})
    page = portal.go("auth.otp_reenrol_check", {"code": "000000"})
    assert page.h1 == "パスワードエラー"
    assert portal.get("/").h1 == "ログイン"


def test_a_wrong_code_of_the_new_secret_keeps_the_same_new_secret(app, portal):
    portal.login("demo-otp", otp=TOTP.at(T))
    portal.go("auth.otp_reenrol")
    secret = portal.go("auth.otp_reenrol_check", {"code": TOTP.at(T + 30)}).text(".otp-secret")
    page = portal.go("auth.otp_reenrol_confirm", {"code": TOTP.at(T)})  # the old secret's code
    assert "正しくありません" in " ".join(page.error_summary)
    assert page.text(".otp-secret") == secret
    assert stored_secret(app) == DEMO_OTP_SECRET


def test_the_new_secret_waits_in_the_navigation_state_encrypted(app, portal):
    portal.login("demo-otp", otp=TOTP.at(T))
    portal.go("auth.otp_reenrol")
    secret = portal.go("auth.otp_reenrol_check", {"code": TOTP.at(T + 30)}).text(".otp-secret").replace(" ", "")
    state = portal.state()
    assert state["screen"] == "auth.otp_reenrol_new" and secret not in str(state)


def test_the_screens_are_guarded(portal):
    portal.login("demo-otp", otp=TOTP.at(T))
    page = portal.go("auth.otp_reenrol", token="forged")
    assert page.h1 == "ユーザーページ" and page.messages
    page = portal.go("auth.otp_reenrol_confirm", {"code": "123456"})  # not on the new-secret screen
    assert page.h1 == "ワンタイムパスワード再登録" and not page.select(".otp-secret")


def test_a_user_without_otp_cannot_reenrol_by_a_forged_post(portal):
    portal.login("demo-user")
    page = portal.go("auth.otp_reenrol")
    assert page.h1 == "ユーザーページ"
    assert any("登録されていない" in message for message in page.messages)
