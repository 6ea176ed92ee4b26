"""3-1 lockout: per submitted ID string, known or not; only a complete login resets the count."""

import pyotp
from sqlmodel import select

from nexi import db
from nexi.demo import DEMO_OTP_SECRET
from nexi.models import AuditEvent

LOCKED = "パスワードエラー"


def fail(portal, login_id, times):
    return [portal.login(login_id, "wrong password") for _ in range(times)]


def test_the_fifth_consecutive_failure_locks_the_id(portal):
    pages = fail(portal, "demo-user", 5)
    assert [page.h1 for page in pages] == ["ログイン"] * 4 + [LOCKED]
    assert "ロックされています" in pages[-1].text("main")
    assert "管理者" in pages[-1].text("main")


def test_a_locked_id_cannot_log_in_even_with_the_right_password(portal):
    fail(portal, "demo-user", 5)
    assert portal.login("demo-user").h1 == LOCKED


def test_a_complete_login_resets_the_count(portal):
    fail(portal, "demo-user", 4)
    assert portal.login("demo-user").h1 == "ユーザーページ"
    portal.client.post("/logout", data={"csrf_token": portal.csrf})
    pages = fail(portal, "demo-user", 4)
    assert all(page.h1 == "ログイン" for page in pages)
    assert portal.login("demo-user").h1 == "ユーザーページ"


def test_unknown_ids_lock_exactly_like_known_ones(portal, other_portal):
    known = fail(portal, "demo-user", 5)
    unknown = fail(other_portal, "no-such-user", 5)
    assert [p.h1 for p in known] == [p.h1 for p in unknown]
    assert [p.error_summary for p in known] == [p.error_summary for p in unknown]
    assert known[-1].text("main") == unknown[-1].text("main")


def test_the_count_is_kept_per_id_case_insensitively(portal):
    fail(portal, "DEMO-USER", 2)
    fail(portal, "Demo-User", 2)
    assert portal.login("demo-user", "wrong").h1 == LOCKED


def test_the_threshold_is_a_setting(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOCKOUT_THRESHOLD", 3)
    assert [p.h1 for p in fail(portal, "demo-user", 3)] == ["ログイン", "ログイン", LOCKED]


def test_unlock_user_lets_the_id_log_in_again(app, portal):
    fail(portal, "demo-user", 5)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["unlock-user", "Demo-User"])
    assert result.exit_code == 0
    assert portal.login("demo-user").h1 == "ユーザーページ"


def test_a_right_password_without_the_one_time_password_does_not_reset_the_count(portal):
    fail(portal, "demo-otp", 4)
    otp_page = portal.login("demo-otp")
    assert otp_page.h1 == "ワンタイムパスワード入力"
    page = portal.post("/login/otp", {"code": "000000"})
    assert page.h1 == LOCKED


def test_wrong_one_time_passwords_count_as_failures(portal):
    code = pyotp.TOTP(DEMO_OTP_SECRET).now()
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    portal.login("demo-otp")
    pages = [portal.post("/login/otp", {"code": wrong}) for _ in range(5)]
    assert [p.h1 for p in pages] == ["ワンタイムパスワード入力"] * 4 + [LOCKED]


def test_failures_and_locks_are_audited(app, portal):
    fail(portal, "no-such-user", 5)
    with app.app_context():
        kinds = db.session().exec(select(AuditEvent.kind).where(AuditEvent.login_key == "no-such-user")).all()
    assert kinds.count("login.failure") == 5
    assert "login.locked" in kinds
