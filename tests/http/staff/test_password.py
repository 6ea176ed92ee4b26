"""S.1 / 3-2: a staff member changes its own password, under the policy of 3-2."""

from sqlmodel import select

from nexi import db
from nexi.models import AuditEvent, LoginSession
from nexi.security import verify_password
from tests.support.staff import staff_account

NEW = "a long new password 2026"


def _change(staff, current="DemoPass#2026", new=NEW, confirm=None):
    staff.go("staff.password")
    return staff.go(
        "staff.password_submit",
        {"current_password": current, "new_password": new, "new_password_confirm": confirm or new},
    )


def test_a_staff_member_changes_its_own_password(app, staff_both):
    staff_both.login("demo-reviewer")
    page = _change(staff_both)
    assert page.h1 == "職員コンソール"
    assert "パスワードを変更しました" in page.text(".messages")
    with app.app_context():
        assert verify_password(staff_account(app, "demo-reviewer").password_hash, NEW)
        (event,) = db.session().exec(select(AuditEvent).where(AuditEvent.kind == "staff.password.changed")).all()
    assert event.staff_user_id == staff_account(app, "demo-reviewer").id
    assert event.detail == {
        "forced": False,
        "before": {"temporary_password": False},
        "after": {"temporary_password": False},
    }
    assert staff_both.current().h1 == "職員コンソール"  # this session lives on


def test_the_policy_of_3_2_applies(staff):
    staff.login("demo-reviewer")
    assert "10文字以上64文字以内" in _change(staff, new="short").field_error("new_password")
    assert "ログインIDを含める" in _change(staff, new="my demo-reviewer pass").field_error("new_password")
    assert "推測されやすい" in _change(staff, new="password1234").field_error("new_password")
    assert "現在のパスワードと異なる" in _change(staff, new="DemoPass#2026").field_error("new_password")
    assert "一致しません" in _change(staff, confirm="something else 2026").field_error("new_password_confirm")


def test_a_wrong_current_password_counts_and_the_lock_ends_the_session(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_LOCKOUT_THRESHOLD", 2)
    staff.login("demo-reviewer")
    assert "現在のパスワードが正しくありません" in _change(staff, current="wrong one").field_error("current_password")
    page = _change(staff, current="wrong one")
    assert page.h1 == "パスワードエラー"
    with app.app_context():
        assert db.session().exec(select(LoginSession)).one().ended_reason == "locked"
