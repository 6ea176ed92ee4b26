"""S.8 Web users on the console: a 管理担当 searches the Web users of every customer and, on the one
shown and after a confirmation, unlocks it, issues a 仮パスワード (shown once), resets its OTP
enrolment, stops or resumes it — 管理者 included, never leaving a customer without an active 管理者;
sessions end where the customers' own 3-6 ends them; each audited with before/after; a 審査担当
cannot."""

import pytest
from sqlmodel import select

from nexi import db
from nexi.demo import DEMO_PASSWORD
from nexi.models import LoginSession, Role, WebUser
from nexi.security import verify_password
from tests.http.users.support import audited, change_user, failures, live_sessions, lock, user
from tests.support.staff import staff_account

LOCKED = "パスワードエラー"
LAST_ADMIN = "有効な管理者が1人もいなくなるため、この操作は行えません。"
MANAGER_ACTIONS = [
    ("staff.webusers", {}),
    ("staff.webuser_search", {"login_id": "demo"}),
    ("staff.webuser_page", {"page": "2"}),
    ("staff.webuser", {"user": "1"}),
    ("staff.webuser_action", {"action": "disable"}),
    ("staff.webuser_apply", {"action": "apply"}),
]


def _open(staff, login_id):
    staff.go("staff.webusers")
    return staff.go("staff.webuser", {"user": str(user(staff.app, login_id).id)})


def _act(staff, login_id, action):
    """The action on the user, confirmed: the result screen."""
    _open(staff, login_id)
    page = staff.go("staff.webuser_action", {"action": action})
    if page.h1.endswith("（確認）"):
        page = staff.go("staff.webuser_apply", {"action": "apply"})
    return page


def _staff_audit(app, kind):
    (event,) = audited(app, f"staff.webusers.{kind}")
    assert event.staff_user_id == staff_account(app, "demo-manager").id
    return event


def test_the_search_finds_users_of_every_customer(staff_both):
    staff_both.login("demo-manager")
    page = staff_both.go("staff.webusers")
    assert page.h1 == "Webユーザー検索"
    ids = page.texts("button[name=user]")
    assert "demo-admin" in ids and "other-admin" in ids
    statuses = {
        row["data-login-id"]: row.select_one(".webuser-status").get_text() for row in page.select(".webuser-row")
    }
    assert (statuses["demo-locked"], statuses["demo-disabled"], statuses["demo-user"]) == ("ロック中", "無効", "有効")
    page = staff_both.go("staff.webuser_search", {"login_id": "ADMIN", "name": "", "customer_code": ""})
    assert page.texts("button[name=user]") == ["demo-admin", "other-admin"]
    page = staff_both.go("staff.webuser_search", {"login_id": "", "name": "花子", "customer_code": ""})
    assert page.texts("button[name=user]") == ["demo-user"]
    page = staff_both.go("staff.webuser_search", {"login_id": "", "name": "", "customer_code": "9876"})
    assert page.texts("button[name=user]") == ["demo-otp-new", "other-admin"]


def test_the_search_is_paged_and_a_bad_code_is_reported(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 3)
    staff.login("demo-manager")
    page = staff.go("staff.webusers")
    assert len(page.select(".webuser-row")) == 3 and "1/3ページ" in page.text(".result-count")
    page = staff.go("staff.webuser_page", {"page": "3"})
    assert page.texts("button[name=user]") == ["demo-otp-new", "other-admin"]
    page = staff.go("staff.webuser_search", {"customer_code": "abc"})
    assert "保険利用者コードは9桁以内の数字で入力してください" in page.field_error("customer_code")
    assert page.one("#customer_code")["value"] == "abc"


def test_the_detail_offers_what_the_users_state_allows(staff):
    staff.login("demo-manager")
    actions = "form.staff-actions button"
    assert _open(staff, "demo-locked").texts(actions) == [
        "ロック解除",
        "パスワード再設定（仮パスワードの発行）",
        "利用停止",
    ]
    assert _open(staff, "demo-otp").texts(actions) == [
        "パスワード再設定（仮パスワードの発行）", "ワンタイムパスワードの再登録", "利用停止",
    ]  # fmt: skip
    page = _open(staff, "demo-disabled")
    assert page.texts(actions) == ["利用再開"]
    assert page.text(".webuser-status") == "無効"


def test_a_user_posted_by_hand_is_checked_and_an_action_is_for_the_user_shown(app, staff):
    staff.login("demo-manager")
    staff.go("staff.webusers")
    for posted in ("999999", "x", "0"):
        page = staff.go("staff.webuser", {"user": posted})
        assert page.h1 == "Webユーザー検索" and "指定されたWebユーザーは見つかりません。" in page.messages
    _open(staff, "demo-user")
    other = str(user(app, "demo-otp").id)
    page = staff.go("staff.webuser_action", {"action": "disable", "user": other})
    assert page.text(".webuser-login-id") == "demo-user"
    staff.go("staff.webuser_apply", {"action": "apply", "user": other})
    assert not user(app, "demo-user").active and user(app, "demo-otp").active


def test_unlocking_lets_a_locked_user_log_in_again(app, staff_both, portal):
    assert portal.login("demo-locked").h1 == LOCKED
    staff_both.login("demo-manager")
    _open(staff_both, "demo-locked")
    page = staff_both.go("staff.webuser_action", {"action": "unlock"})
    assert page.h1 == "ロック解除（確認）"
    assert failures(app, "demo-locked") is not None  # nothing done yet
    page = staff_both.go("staff.webuser_apply", {"action": "apply"})
    assert page.h1 == "ロック解除（完了）"
    assert page.text(".webuser-status") == "有効"
    assert failures(app, "demo-locked") is None
    event = _staff_audit(app, "unlocked")
    assert event.user_id == user(app, "demo-locked").id
    assert (event.detail["before"]["status"], event.detail["after"]["status"]) == ("ロック中", "有効")
    assert portal.login("demo-locked", DEMO_PASSWORD).h1 == "ユーザーページ"  # the password kept


def test_nexi_unlocks_a_customers_only_administrator(app, staff, portal):
    lock(app, "demo-admin")  # a 管理者 cannot unlock itself (3-6): NEXI does
    staff.login("demo-manager")
    assert _act(staff, "demo-admin", "unlock").h1 == "ロック解除（完了）"
    assert portal.login("demo-admin").h1 == "ユーザーページ"


def test_a_password_reset_issues_a_temporary_password_once_and_ends_the_sessions(app, staff_both, portal):
    portal.login("demo-user")
    staff_both.login("demo-manager")
    _open(staff_both, "demo-user")
    page = staff_both.go("staff.webuser_action", {"action": "password"})
    assert page.h1 == "パスワード再設定（仮パスワードの発行）（確認）"
    assert live_sessions(app, "demo-user") == 1
    page = staff_both.go("staff.webuser_apply", {"action": "apply"})
    assert page.h1 == "パスワード再設定（仮パスワードの発行）（完了）"
    password = page.text(".generated-password")
    assert staff_both.current().select(".generated-password") == []  # shown once
    reset = user(app, "demo-user")
    with app.app_context():
        assert reset.temporary_password and verify_password(reset.password_hash, password)
    assert live_sessions(app, "demo-user") == 0
    assert portal.go("home.home").h1 == "ログイン"  # its session ended
    event = _staff_audit(app, "password_reset")
    assert event.detail["before"]["temporary_password"] is False and event.detail["after"]["temporary_password"]
    assert password not in str(event.detail)
    assert portal.login("demo-user", DEMO_PASSWORD).h1 == "ログイン"  # the old password is gone
    assert portal.login("demo-user", password).h1 == "パスワード変更"


def test_an_otp_reset_makes_the_next_login_enrol_again(app, staff, portal):
    staff.login("demo-manager")
    assert _act(staff, "demo-otp", "otp_reset").h1 == "ワンタイムパスワードの再登録（完了）"
    reset = user(app, "demo-otp")
    assert reset.otp_enabled and reset.otp_secret is None and reset.otp_enrolled_at is None
    event = _staff_audit(app, "otp_reset")
    assert event.detail["before"]["otp_enrolled"] and not event.detail["after"]["otp_enrolled"]
    assert portal.login("demo-otp").h1 == "ワンタイムパスワード登録"


def test_the_last_active_administrator_cannot_be_stopped(app, staff_both):
    staff_both.login("demo-manager")
    _open(staff_both, "demo-admin")
    page = staff_both.go("staff.webuser_action", {"action": "disable"})
    assert page.h1 == "Webユーザー詳細"
    assert any(LAST_ADMIN in message and "管理者の追加" in message for message in page.messages)
    assert user(app, "demo-admin").active
    assert audited(app, "staff.webusers.disabled") == []


def test_the_rule_is_checked_again_when_the_stop_is_confirmed(app, staff):
    change_user(app, "demo-user", role=Role.ADMIN)
    staff.login("demo-manager")
    _open(staff, "demo-admin")
    assert staff.go("staff.webuser_action", {"action": "disable"}).h1 == "利用停止（確認）"
    change_user(app, "demo-user", role=Role.GENERAL)  # demoted meanwhile by the customer
    page = staff.go("staff.webuser_apply", {"action": "apply"})
    assert page.h1 == "Webユーザー詳細"
    assert any(LAST_ADMIN in message for message in page.messages)
    assert user(app, "demo-admin").active


def test_an_administrator_is_replaced_by_adding_the_new_one_first(app, staff, portal):
    portal.login("other-admin")
    staff.login("demo-manager")
    staff.go("staff.customers")
    towa = user(app, "other-admin").customer_id
    staff.go("staff.customer", {"customer": str(towa)})
    staff.go("staff.customer_admin_add")
    new = {"login_id": "towa-new", "name": "新 管理者", "phone": "06-6123-0000", "email": "new@towa.example.jp"}
    staff.go("staff.customer_admin_check", new | {"otp": "off", "action": "next"})
    staff.go("staff.customer_admin_submit", {"action": "submit"})
    page = _act(staff, "other-admin", "disable")
    assert page.h1 == "利用停止（完了）"
    assert not user(app, "other-admin").active
    assert portal.go("home.home").h1 == "ログイン"  # its sessions ended at once (3-1)
    event = _staff_audit(app, "disabled")
    assert (event.detail["before"]["status"], event.detail["after"]["status"]) == ("有効", "無効")
    assert event.detail["before"]["role"] == "admin"


def test_stopping_and_resuming_a_user(app, staff, portal):
    portal.login("demo-user")
    staff.login("demo-manager")
    assert _act(staff, "demo-user", "disable").h1 == "利用停止（完了）"
    with app.app_context():
        ended = db.session().exec(select(LoginSession).where(LoginSession.user_id == user(app, "demo-user").id)).all()
        assert {row.ended_reason for row in ended} == {"disabled"}
    assert portal.login("demo-user").h1 == "ログイン"
    assert _act(staff, "demo-user", "enable").h1 == "利用再開（完了）"
    event = _staff_audit(app, "enabled")
    assert (event.detail["before"]["status"], event.detail["after"]["status"]) == ("無効", "有効")
    assert portal.login("demo-user").h1 == "ユーザーページ"


def test_resuming_beyond_the_user_limit_is_refused(app, staff, monkeypatch):
    with app.app_context():
        active = len(
            db.session()
            .exec(select(WebUser).where(WebUser.customer_id == user(app, "demo-disabled").customer_id, WebUser.active))
            .all()
        )
    monkeypatch.setitem(app.config, "NEXI_MAX_USERS", active)
    staff.login("demo-manager")
    _open(staff, "demo-disabled")
    page = staff.go("staff.webuser_action", {"action": "enable"})
    assert page.h1 == "Webユーザー詳細"
    assert any(f"{active}人まで" in message for message in page.messages)
    assert not user(app, "demo-disabled").active


def test_an_action_the_state_does_not_allow_is_refused_with_its_reason(app, staff):
    staff.login("demo-manager")
    _open(staff, "demo-user")
    page = staff.go("staff.webuser_action", {"action": "unlock"})  # not offered: it is not locked
    assert page.h1 == "Webユーザー詳細" and "このWebユーザーはロックされていません。" in page.messages
    page = staff.go("staff.webuser_action", {"action": "otp_reset"})
    assert "ワンタイムパスワードの設定は既にそのとおりです。" in page.messages
    assert staff.go("staff.webuser_action", {"action": "delete"}).h1 == "Webユーザー詳細"
    _open(staff, "demo-disabled")
    page = staff.go("staff.webuser_action", {"action": "password"})
    assert any("無効のWebユーザーのパスワードは再設定できません" in message for message in page.messages)


def test_the_confirmation_can_go_back_without_acting(app, staff):
    staff.login("demo-manager")
    _open(staff, "demo-user")
    staff.go("staff.webuser_action", {"action": "disable"})
    assert staff.go("staff.webuser_apply", {"action": "back"}).h1 == "Webユーザー詳細"
    assert user(app, "demo-user").active
    assert audited(app, "staff.webusers.disabled") == []


def test_a_confirmed_action_repeated_is_done_once(app, staff):
    staff.login("demo-manager")
    _open(staff, "demo-user")
    staff.go("staff.webuser_action", {"action": "password"})
    token = staff.token
    first = staff.go("staff.webuser_apply", {"action": "apply"}).text(".generated-password")
    again = staff.post(staff.url("staff.webuser_apply"), {"action": "apply"}, token=token)  # a double click
    assert again.h1 == "パスワード再設定（仮パスワードの発行）（完了）"
    assert again.select(".generated-password") == []  # the first result: already shown
    assert len(audited(app, "staff.webusers.password_reset")) == 1
    with app.app_context():
        assert verify_password(user(app, "demo-user").password_hash, first)


@pytest.mark.parametrize(("endpoint", "data"), MANAGER_ACTIONS)
def test_a_reviewer_is_refused_every_web_user_action(app, staff, endpoint, data):
    staff.login("demo-reviewer")
    page = staff.go(endpoint, data)
    assert page.h1 == "職員コンソール"
    assert "権限がありません（管理担当のみ）" in page.text(".messages")
    assert [event.detail["endpoint"] for event in audited(app, "staff.denied")] == [endpoint]


@pytest.mark.parametrize("action", ["unlock", "password", "otp_reset", "disable", "enable"])
def test_a_reviewer_is_refused_each_action_even_on_a_confirmation_left_open(app, staff, action):
    """A state pointing at a confirmation (a role taken away meanwhile): neither shown nor applied."""
    staff.login("demo-reviewer")
    target = user(app, "demo-locked").id
    assert staff.show("staff.webuser_confirm", {"user_id": target, "action": action}).h1 == "職員コンソール"
    staff.put_state(screen="staff.webuser_confirm", screen_args={"user_id": target, "action": action})
    assert staff.go("staff.webuser_apply", {"action": "apply"}).h1 == "職員コンソール"
    assert failures(app, "demo-locked") is not None and user(app, "demo-locked").active
    assert not [kind for kind in ("unlocked", "password_reset", "otp_reset", "disabled", "enabled")
                if audited(app, f"staff.webusers.{kind}")]  # fmt: skip


@pytest.mark.parametrize(
    ("screen", "args"),
    [
        ("staff.webusers", {"criteria": {}, "page": 1}),
        ("staff.webuser", {"user_id": 1}),
        ("staff.webuser_confirm", {"user_id": 1, "action": "disable"}),
        ("staff.webuser_done", {"user_id": 1, "action": "unlock"}),
    ],
)
def test_a_reviewer_is_never_shown_a_web_user_screen(staff, screen, args):
    staff.login("demo-reviewer")
    assert staff.show(screen, args).h1 == "職員コンソール"


def test_a_screen_left_with_a_bad_state_falls_back_to_the_console(app, staff):
    staff.login("demo-manager")
    assert staff.show("staff.webuser_confirm", {"user_id": 1, "action": "explode"}).h1 == "職員コンソール"
    assert staff.show("staff.webuser", {"user_id": 10**9}).h1 == "職員コンソール"
