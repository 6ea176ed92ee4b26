"""3-1 / 3-3 one-time passwords: a second login step, TOTP ±1 step, never the same code twice."""

from datetime import UTC, datetime

import pyotp
import pytest

from nexi.auth import otp
from nexi.demo import DEMO_OTP_SECRET

TOTP = pyotp.TOTP(DEMO_OTP_SECRET)
# The middle of a 30-second step, so that "one step before/after" is unambiguous.
NOW = datetime(2026, 11, 25, 12, 0, 15, tzinfo=UTC)
T = NOW.timestamp()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(otp, "real_now", lambda: NOW)


def test_an_otp_user_gets_a_second_step_before_anything_else(portal):
    page = portal.login("demo-otp")
    assert page.h1 == "ワンタイムパスワード入力"
    assert portal.get("/").h1 == "ログイン"


def test_a_current_code_completes_the_login(portal):
    page = portal.login("demo-otp", otp=TOTP.at(T))
    assert page.h1 == "ユーザーページ"
    assert "利用中" in page.text("#area-otp")


def test_a_code_one_step_old_or_ahead_is_accepted_two_steps_is_not(portal, other_portal):
    assert portal.login("demo-otp", otp=TOTP.at(T - 60)).h1 == "ワンタイムパスワード入力"
    assert portal.login("demo-otp", otp=TOTP.at(T - 30)).h1 == "ユーザーページ"
    assert other_portal.login("demo-otp", otp=TOTP.at(T + 30)).h1 == "ユーザーページ"


def test_a_code_cannot_be_used_twice(portal, other_portal):
    code = TOTP.at(T + 30)
    assert portal.login("demo-otp", otp=code).h1 == "ユーザーページ"
    page = other_portal.login("demo-otp", otp=code)
    assert page.h1 == "ワンタイムパスワード入力"
    assert "正しくありません" in page.text(".error-summary")


def test_an_older_code_after_a_newer_one_is_refused(portal, other_portal):
    assert portal.login("demo-otp", otp=TOTP.at(T + 30)).h1 == "ユーザーページ"
    assert other_portal.login("demo-otp", otp=TOTP.at(T)).h1 == "ワンタイムパスワード入力"


def test_the_code_field_says_what_is_wrong(portal):
    portal.login("demo-otp")
    page = portal.post("/login/otp", {"code": "12ab"})
    assert page.field_error("code") == "ワンタイムパスワードは半角数字6桁で入力してください"
    assert portal.post("/login/otp", {"code": ""}).field_error("code") == "ワンタイムパスワードを入力してください"


def test_full_width_digits_are_accepted(portal):
    code = TOTP.at(T).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert portal.login("demo-otp", otp=code).h1 == "ユーザーページ"


def test_the_second_step_expires(app, portal, monkeypatch):
    portal.login("demo-otp")
    monkeypatch.setitem(app.config, "NEXI_OTP_PENDING_SECONDS", -1)
    page = portal.post("/login/otp", {"code": TOTP.at(T)})
    assert page.h1 == "ログイン"
    assert "入力時間が過ぎました" in page.text(".message")
