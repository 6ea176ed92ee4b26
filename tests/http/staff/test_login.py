"""S.1 staff login: password then TOTP (mandatory), on the authentication core of chapter 3."""

from datetime import timedelta

import pyotp
from sqlmodel import col, select, update

from nexi import db
from nexi.models import AuditEvent, LoginFailure, LoginSession, StaffUser
from tests.support.staff import SECRETS, code, forget_last_step

WRONG = "ログインIDまたはパスワードが正しくありません"


def _set(app, login_id, **values):
    with app.app_context():
        db.session().exec(update(StaffUser).where(col(StaffUser.login_id) == login_id).values(**values))
        db.session().commit()


def _age(app, column: str, seconds: int):
    with app.app_context():
        for row in db.session().exec(select(LoginSession)).all():
            setattr(row, column, getattr(row, column) - timedelta(seconds=seconds))
            db.session().add(row)
        db.session().commit()


def _staff_sessions(app):
    with app.app_context():
        return db.session().exec(select(LoginSession).where(col(LoginSession.staff_user_id).is_not(None))).all()


def test_a_staff_login_is_the_password_then_the_code_then_the_console(staff_both):
    page = staff_both.password_step("demo-reviewer")
    assert page.h1 == "ワンタイムパスワード入力"
    forget_last_step(staff_both.app, "demo-reviewer")
    page = staff_both.otp_step(code(SECRETS["demo-reviewer"]))
    assert page.h1 == "職員コンソール"
    assert page.text(".staff-name") == "木村 聡"
    assert page.text(".staff-roles") == "審査担当"
    assert page.one(".site-header form[action='/staff/logout'] button").get_text() == "ログアウト"
    assert not page.select("#customer-name") and not page.select("nav.tools")  # no customer header


def test_the_password_alone_opens_nothing(staff):
    staff.password_step("demo-manager")
    page = staff.get(staff.url("staff.current"))
    assert page.h1 == "ワンタイムパスワード入力"  # the login page, at the step it is at
    assert _staff_sessions(staff.app) == []


def test_an_unknown_id_and_a_wrong_password_read_the_same(staff):
    assert WRONG in " ".join(staff.password_step("demo-manager", "wrong password").error_summary)
    assert WRONG in " ".join(staff.password_step("nobody-here", "wrong password").error_summary)


def test_a_customer_id_is_no_staff_id(staff):
    page = staff.password_step("demo-admin")
    assert WRONG in " ".join(page.error_summary)


def test_a_wrong_code_is_refused_and_a_code_is_accepted_once(app, staff, other_staff):
    staff.password_step("demo-manager")
    page = staff.otp_step("000000" if code(SECRETS["demo-manager"]) != "000000" else "111111")
    assert "ワンタイムパスワードが正しくありません" in " ".join(page.error_summary)
    forget_last_step(app, "demo-manager")
    now = code(SECRETS["demo-manager"])
    assert staff.otp_step(now).h1 == "職員コンソール"
    other_staff.password_step("demo-manager")
    assert other_staff.otp_step(now).h1 == "ワンタイムパスワード入力"  # the same code, again


def test_the_first_login_enrols_totp_with_a_qr_code_and_the_secret(app, staff):
    _set(app, "demo-reviewer", otp_secret=None, otp_enrolled_at=None, otp_last_step=None)
    page = staff.password_step("demo-reviewer")
    assert page.h1 == "ワンタイムパスワード登録"
    svg = page.one("figure.otp-qr svg")
    assert svg.get("style") is None
    secret = page.text(".otp-secret").replace(" ", "")
    assert page.h1 == staff.get(staff.url("staff.login")).h1  # a refresh shows the same step
    assert staff.last.text(".otp-secret").replace(" ", "") == secret
    page = staff.otp_step(pyotp.TOTP(secret).now())
    assert page.h1 == "職員コンソール"
    with app.app_context():
        account = db.session().exec(select(StaffUser).where(StaffUser.login_id == "demo-reviewer")).one()
        assert account.otp_enrolled_at is not None and account.otp_secret.reveal() == secret
        assert db.session().exec(select(AuditEvent).where(AuditEvent.kind == "staff.otp.enrolled")).one()


def test_a_temporary_password_holds_the_login_on_the_password_change(app, staff):
    from nexi.auth import passwords
    from nexi.clock import real_now

    _set(app, "demo-manager", temporary_password=True, temporary_password_at=real_now())
    page = staff.login("demo-manager")
    assert page.h1 == "パスワード変更"
    assert page.select(".forced-change")
    assert staff.go("staff.accounts").h1 == "パスワード変更"  # nothing else until it is changed
    assert staff.current().h1 == "パスワード変更"
    page = staff.go(
        "staff.password_submit",
        {"new_password": "a long new password 2026", "new_password_confirm": "a long new password 2026"},
    )
    assert page.h1 == "職員コンソール"
    with app.app_context():
        account = db.session().exec(select(StaffUser).where(StaffUser.login_id == "demo-manager")).one()
        assert not account.temporary_password
        assert passwords.temporary_expires_at(account) is None


def test_an_expired_temporary_password_is_refused_at_login(app, staff):
    from nexi.clock import real_now

    _set(app, "demo-manager", temporary_password=True, temporary_password_at=real_now() - timedelta(days=8))
    page = staff.password_step("demo-manager")
    assert page.h1 == "職員ログイン"
    assert "仮パスワードの有効期限が切れている" in " ".join(page.error_summary)


def test_the_fifth_failure_locks_the_staff_id(app, staff):
    for _ in range(4):
        assert staff.password_step("demo-manager", "wrong password").h1 == "職員ログイン"
    assert staff.password_step("demo-manager", "wrong password").h1 == "パスワードエラー"
    assert staff.password_step("demo-manager").h1 == "パスワードエラー"  # the right password too
    with app.app_context():
        keys = [row.login_key for row in db.session().exec(select(LoginFailure))]
    assert "STAFF:demo-manager" in keys


def test_wrong_codes_count_towards_the_lock(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOCKOUT_THRESHOLD", 2)
    wrong = "000000" if code(SECRETS["demo-manager"]) != "000000" else "111111"
    staff.password_step("demo-manager")
    staff.otp_step(wrong)
    assert staff.otp_step(wrong).h1 == "パスワードエラー"


def test_staff_failure_counts_are_kept_apart_from_customers(app, staff, portal):
    """The same ID string failing at the customer login never locks the staff ID, nor the reverse;
    not even an ID typed with the staff keys' prefix."""
    for _ in range(5):
        portal.login("demo-manager", "wrong password")
        portal.login("STAFF:demo-reviewer", "wrong password")
    assert portal.login("demo-manager").h1 == "パスワードエラー"  # the customer-side key is locked
    assert staff.login("demo-manager").h1 == "職員コンソール"
    assert staff.login("demo-reviewer").h1 == "職員コンソール"
    for _ in range(5):
        staff.password_step("demo-admin", "wrong password")
    assert portal.login("demo-admin").h1 == "ユーザーページ"


def test_a_complete_login_resets_the_count(app, staff):
    for _ in range(4):
        staff.password_step("demo-manager", "wrong password")
    assert staff.login("demo-manager").h1 == "職員コンソール"
    with app.app_context():
        assert db.session().get(LoginFailure, "STAFF:demo-manager") is None


def test_login_attempts_are_throttled_per_address(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOGIN_RATE", 2)
    staff.password_step("someone-1", "wrong password")
    staff.password_step("someone-2", "wrong password")
    page = staff.password_step("demo-manager")
    assert "短時間に多くのログインが試みられたため" in " ".join(page.error_summary)


def test_idle_beyond_the_timeout_ends_the_staff_session(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_IDLE_TIMEOUT_SECONDS", 60)
    staff.login("demo-manager")
    _age(app, "last_seen_at", 61)
    page = staff.current()
    assert page.h1 == "職員ログイン"
    assert "一定時間操作が行われなかったため" in page.text(".message")
    assert [row.ended_reason for row in _staff_sessions(app)] == ["timeout"]


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_SESSION_MAX_SECONDS", 600)
    staff.login("demo-manager")
    _age(app, "created_at", 601)
    assert staff.go("staff.home").h1 == "職員ログイン"
    assert [row.ended_reason for row in _staff_sessions(app)] == ["expired"]


def test_a_new_login_ends_the_older_session(app, staff, other_staff):
    staff.login("demo-manager")
    other_staff.login("demo-manager")
    assert staff.current().h1 == "職員ログイン"
    assert "新たにログインされた" in staff.last.text(".message")


def test_a_code_that_waits_too_long_starts_again(app, staff, monkeypatch):
    staff.password_step("demo-manager")
    monkeypatch.setitem(app.config, "NEXI_OTP_PENDING_SECONDS", 0)
    forget_last_step(app, "demo-manager")
    page = staff.otp_step(code(SECRETS["demo-manager"]))
    assert page.h1 == "職員ログイン"
    assert "入力時間が過ぎました" in page.text(".message")


def test_logout_ends_the_session_on_the_server(app, staff):
    staff.login("demo-manager")
    cookie = staff.client.get_cookie("nexi_staff_session").value
    page = staff.post(staff.url("staff.logout"), {})
    assert page.h1 == "職員ログイン" and "ログアウトしました" in page.text(".message")
    staff.client.set_cookie("nexi_staff_session", cookie)
    assert staff.current().h1 == "職員ログイン"
    assert [row.ended_reason for row in _staff_sessions(app)] == ["logout"]


def test_the_guard_covers_the_staff_area(app, staff):
    staff.login("demo-manager")
    old = staff.token
    staff.go("staff.password")
    page = staff.go("staff.accounts", token=old)  # a page from the history
    assert page.h1 == "パスワード変更"
    assert "以前の画面から操作が行われた" in page.text(".messages")
    page = staff.current()  # the address typed again: the current screen, with a notice
    assert page.h1 == "パスワード変更"
    with app.app_context():
        kinds = [event.kind for event in db.session().exec(select(AuditEvent).where(AuditEvent.kind.like("guard.%")))]
        staff_ids = {
            e.staff_user_id for e in db.session().exec(select(AuditEvent).where(AuditEvent.kind.like("guard.%")))
        }
    assert kinds and None not in staff_ids
