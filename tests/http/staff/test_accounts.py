"""S.1 職員アカウント管理: a 管理担当 lists, adds, unlocks, resets the password or the TOTP of another
staff member, each confirmed and audited with before/after; nobody else can (role checks)."""

import pytest
from sqlmodel import col, select

from nexi import db
from nexi.models import AuditEvent, LoginFailure, LoginSession, StaffUser
from nexi.security import verify_password
from tests.support.staff import StaffPortal, staff_account

MANAGER_ACTIONS = [
    ("staff.accounts", {}),
    ("staff.account", {"staff": "1"}),
    ("staff.account_action", {"action": "unlock"}),
    ("staff.account_apply", {"action": "apply"}),
    ("staff.account_add", {}),
    ("staff.account_add_check", {"login_id": "new-staff", "name": "新 職員", "roles": ["審査担当"]}),
    ("staff.account_add_submit", {"action": "submit"}),
]


def _audits(app, kind):
    with app.app_context():
        return db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all()


def _lock(app, login_id):
    from nexi.clock import real_now

    with app.app_context():
        now = real_now()
        db.session().add(LoginFailure(login_key=f"STAFF:{login_id}", count=5, last_failed_at=now, locked_at=now))
        db.session().commit()


def _open(staff, login_id):
    page = staff.go("staff.accounts")
    return staff.go("staff.account", {"staff": str(staff_account(staff.app, login_id).id)}) if page else page


def test_the_manager_sees_the_staff_list(staff_both):
    staff_both.login("demo-manager")
    page = staff_both.go("staff.accounts")
    assert page.h1 == "職員アカウント管理"
    assert page.texts("button[name=staff]") == ["demo-manager", "demo-reviewer"]


def test_adding_a_staff_member_shows_its_temporary_password_once(app, staff_both):
    staff_both.login("demo-manager")
    staff_both.go("staff.accounts")
    staff_both.go("staff.account_add")
    values = {"login_id": "Kato.Yui", "name": "加藤 結衣", "roles": ["審査担当", "管理担当"], "action": "next"}
    page = staff_both.go("staff.account_add_check", values)
    assert page.h1 == "職員の追加（確認）"
    assert "審査担当・管理担当" in page.screen_text
    page = staff_both.go("staff.account_add_submit", {"action": "submit"})
    assert page.h1 == "職員の追加（完了）"
    password = page.text(".generated-password")
    assert staff_both.current().select(".generated-password") == []  # shown once
    added = staff_account(app, "Kato.Yui")
    assert added.login_key == "kato.yui" and added.reviewer and added.manager
    with app.app_context():
        assert added.temporary_password and verify_password(added.password_hash, password)
    assert added.otp_secret is None  # enrolled at the first login
    (event,) = _audits(app, "staff.account.created")
    assert event.detail["before"] is None
    assert event.detail["after"]["roles"] == ["審査担当", "管理担当"]
    assert event.staff_user_id == staff_account(app, "demo-manager").id

    newcomer = StaffPortal(app, app.test_client())
    assert newcomer.password_step("kato.yui", password).h1 == "ワンタイムパスワード登録"


def test_an_id_is_checked_and_never_taken_twice(staff):
    staff.login("demo-manager")
    staff.go("staff.account_add")
    page = staff.go("staff.account_add_check", {"login_id": "ab", "name": "", "action": "next"})
    assert page.h1 == "職員の追加"
    assert len(page.error_summary) == 3
    page = staff.go("staff.account_add_check", {"login_id": "DEMO-reviewer", "name": "誰か", "roles": ["審査担当"]})
    assert "すでに使われています" in page.field_error("login_id")


def test_the_manager_unlocks_a_locked_staff_member(app, staff, other_staff):
    _lock(app, "demo-reviewer")
    assert other_staff.password_step("demo-reviewer").h1 == "パスワードエラー"
    staff.login("demo-manager")
    assert staff.go("staff.accounts").text("tbody tr:nth-child(2) .staff-status") == "ロック中"
    page = _open(staff, "demo-reviewer")
    page = staff.go("staff.account_action", {"action": "unlock"})
    assert page.h1 == "ロック解除（確認）"
    with app.app_context():
        assert db.session().get(LoginFailure, "STAFF:demo-reviewer") is not None  # nothing yet
    page = staff.go("staff.account_apply", {"action": "apply"})
    assert page.h1 == "ロック解除（完了）"
    (event,) = _audits(app, "staff.account.unlocked")
    assert event.detail["before"]["locked"] is True and event.detail["after"]["locked"] is False
    assert other_staff.login("demo-reviewer").h1 == "職員コンソール"


def test_the_confirmation_can_go_back_without_acting(app, staff):
    _lock(app, "demo-reviewer")
    staff.login("demo-manager")
    _open(staff, "demo-reviewer")
    staff.go("staff.account_action", {"action": "unlock"})
    assert staff.go("staff.account_apply", {"action": "back"}).h1 == "職員アカウント詳細"
    assert _audits(app, "staff.account.unlocked") == []


def test_a_password_reset_issues_a_temporary_password_and_ends_the_sessions(app, staff, other_staff):
    other_staff.login("demo-reviewer")
    staff.login("demo-manager")
    _open(staff, "demo-reviewer")
    staff.go("staff.account_action", {"action": "password"})
    page = staff.go("staff.account_apply", {"action": "apply"})
    password = page.text(".generated-password")
    account = staff_account(app, "demo-reviewer")
    with app.app_context():
        assert account.temporary_password and verify_password(account.password_hash, password)
    assert other_staff.current().h1 == "職員ログイン"  # its session ended
    (event,) = _audits(app, "staff.account.password_reset")
    assert event.detail["before"]["temporary_password"] is False and event.detail["after"]["temporary_password"]
    assert password not in str(event.detail)
    assert other_staff.login("demo-reviewer", password).h1 == "パスワード変更"


def test_a_totp_reset_makes_the_next_login_enrol_again(app, staff, other_staff):
    staff.login("demo-manager")
    _open(staff, "demo-reviewer")
    staff.go("staff.account_action", {"action": "otp"})
    assert staff.go("staff.account_apply", {"action": "apply"}).h1 == "ワンタイムパスワードの再登録（完了）"
    assert staff_account(app, "demo-reviewer").otp_secret is None
    (event,) = _audits(app, "staff.account.otp_reset")
    assert event.detail["before"]["otp_enrolled"] and not event.detail["after"]["otp_enrolled"]
    assert other_staff.password_step("demo-reviewer").h1 == "ワンタイムパスワード登録"


def test_a_manager_does_not_act_on_its_own_account_here(app, staff):
    staff.login("demo-manager")
    page = _open(staff, "demo-manager")
    assert page.select(".staff-actions") == []
    page = staff.go("staff.account_action", {"action": "password"})  # posted all the same
    assert page.h1 == "職員アカウント詳細"
    assert "ご自身のアカウントにはこの操作はできません" in page.text(".messages")


@pytest.mark.parametrize(("endpoint", "data"), MANAGER_ACTIONS)
def test_a_reviewer_cannot_use_any_manager_function(app, staff, endpoint, data):
    staff.login("demo-reviewer")
    assert staff.current().select("form[action='/staff/accounts']") == []  # not offered either
    page = staff.go(endpoint, data)
    assert page.h1 == "職員コンソール"
    assert "権限がありません" in page.text(".messages")
    assert [event.detail["endpoint"] for event in _audits(app, "staff.denied")] == [endpoint]
    with app.app_context():
        assert len(db.session().exec(select(StaffUser)).all()) == 2


@pytest.mark.parametrize(
    ("screen", "args"),
    [
        ("staff.accounts", {}),
        ("staff.account", {"staff_id": 1}),
        ("staff.account_confirm", {"staff_id": 1, "action": "unlock"}),
        ("staff.account_add", {"values": {}}),
        ("staff.account_add_confirm", {"values": {"login_id": "x", "name": "x", "roles": []}}),
        ("staff.account_done", {"staff_id": 1, "action": "unlock"}),
    ],
)
def test_a_reviewer_is_never_shown_a_manager_screen(app, staff, screen, args):
    """A state left pointing at such a screen (a role taken away meanwhile) shows the home."""
    staff.login("demo-reviewer")
    assert staff.show(screen, args).h1 == "職員コンソール"


def test_a_role_taken_away_applies_at_the_next_request(app, staff):
    staff.login("demo-manager")
    staff.go("staff.accounts")
    with app.app_context():
        account = db.session().exec(select(StaffUser).where(col(StaffUser.login_id) == "demo-manager")).one()
        account.manager, account.reviewer = False, True
        db.session().add(account)
        db.session().commit()
    assert staff.go("staff.account_add").h1 == "職員コンソール"
    with app.app_context():
        assert db.session().exec(select(LoginSession).where(col(LoginSession.ended_at).is_(None))).all()


def test_a_staff_screen_that_cannot_render_falls_back_to_the_console(app, staff):
    staff.login("demo-manager")
    reviewer = staff_account(app, "demo-reviewer").id
    page = staff.show("staff.account_done", {"staff_id": reviewer, "action": "password", "sealed": "not a token"})
    assert page.h1 == "職員コンソール"
    assert "職員コンソールを表示しています" in page.text(".messages")
