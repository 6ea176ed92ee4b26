"""3-6 Webユーザー管理: 管理者 only; 一覧; the actions with their confirmation and rules."""

import pytest
from sqlmodel import select

from nexi import db
from nexi.demo import DEMO_PASSWORD
from nexi.models import Application, Status
from tests.http.users.support import audited, failures, live_sessions, lock, user


def open_user(portal, login_id):
    return portal.go("users.detail", {"user": user(portal.app, login_id).id})


def act(portal, login_id, action, confirmed=True):
    data = {"user": user(portal.app, login_id).id, "action": action}
    page = portal.go("users.action", data)
    if confirmed and page.select(".confirm-action"):
        page = portal.go("users.action", data | {"confirmed": "yes"})
    return page


def test_a_general_user_finds_the_entry_without_a_link_and_a_forged_post_is_refused(both, app):
    page = both.login("demo-user")
    entry = [item for item in page.select("#area-users .menu-item") if "Webユーザー管理" in item.get_text()][0]
    assert not entry.select("button") and "管理者のみご利用いただけます" in entry.get_text()
    for endpoint in ("users.manage", "users.add", "users.action", "users.reset", "users.edit"):
        page = both.go(endpoint, {"user": user(app, "demo-otp").id, "action": "disable", "confirmed": "yes"})
        assert page.h1 == "ユーザーページ"
        assert "Webユーザー管理は管理者のみご利用いただけます。" in " ".join(page.messages)
    assert user(app, "demo-otp").active
    assert audited(app, "users.forbidden")


def test_the_list_shows_id_name_role_status_otp_and_last_login(both):
    both.login("demo-admin")
    page = both.go("users.manage")
    rows = {
        row["data-login-id"]: list(both.last.texts(f'[data-login-id="{row["data-login-id"]}"] td'))
        for row in page.select(".user-row")
    }
    assert rows["demo-admin"][:5] == ["demo-admin", "山田 太郎", "管理者", "有効", "利用しない"]
    assert rows["demo-locked"][3] == "ロック中"
    assert rows["demo-disabled"][3] == "無効"
    assert rows["demo-otp"][4] == "利用中"
    assert rows["demo-user"][5] == "—" and rows["demo-admin"][5] != "—"


def test_another_customers_user_posted_by_hand_finds_nothing(both, app):
    both.login("other-admin")
    victim = user(app, "demo-user").id
    for endpoint in ("users.detail", "users.edit", "users.reset", "users.action"):
        page = both.go(endpoint, {"user": victim, "action": "disable", "confirmed": "yes"})
        assert page.h1 == "Webユーザー管理"
        assert "指定されたWebユーザーは見つかりません。" in " ".join(page.messages)
        assert "demo-user" not in page.screen_text
    assert user(app, "demo-user").active


def test_disabling_asks_first_then_ends_the_users_sessions_at_once(both, other_portal, app):
    other_portal.login("demo-user")
    both.login("demo-admin")
    page = act(both, "demo-user", "disable", confirmed=False)
    assert "佐藤 花子（demo-user）を無効化しますか？" in page.text(".confirm-action")
    assert user(app, "demo-user").active
    page = both.go("users.action", {"user": user(app, "demo-user").id, "action": "disable", "confirmed": "yes"})
    assert "demo-user を無効化しました。" in " ".join(page.messages)
    assert page.text(".user-status") == "無効"
    assert live_sessions(app, "demo-user") == 0
    assert other_portal.go("home.home").h1 == "ログイン"
    assert other_portal.login("demo-user").h1 == "ログイン"
    assert audited(app, "users.disabled")


def test_a_disabled_users_drafts_stay_visible_and_deletable_by_the_administrator(portal, app):
    portal.login("demo-admin")
    act(portal, "demo-user", "disable")
    with app.app_context():
        number = (
            db.session()
            .exec(
                select(Application.number).where(
                    Application.user_id == user(app, "demo-user").id,
                    Application.status == Status.DRAFT,
                    Application.procedure == "B01",  # the recent one (B05's is past its expiry)
                )
            )
            .one()
        )
    page = portal.go("status.index")
    assert any(number in row for row in page.texts("tbody tr"))  # still listed for the 管理者
    page = portal.go("status.detail", {"number": number})
    assert "削除" in page.button_names()
    page = portal.go("status.delete", {"number": number, "confirmed": "yes"})
    assert f"Web申込番号 {number} の一時保存を削除しました。" in " ".join(page.messages)


def test_an_administrator_cannot_disable_demote_or_unlock_itself(both, app):
    both.login("demo-admin")
    page = open_user(both, "demo-admin")
    assert "無効化" not in page.button_names() and "ロック解除" not in page.button_names()
    assert "ご自身を無効化することはできません。" in " ".join(act(both, "demo-admin", "disable").messages)
    lock(app, "demo-admin")  # by failed logins elsewhere, while logged in
    assert "ご自身のロックは解除できません。NEXIにお問い合わせください。" in " ".join(
        act(both, "demo-admin", "unlock").messages
    )
    assert failures(app, "demo-admin").locked_at is not None
    both.go("users.edit", {"user": user(app, "demo-admin").id})
    page = both.go(
        "users.edit_submit",
        {
            "user": user(app, "demo-admin").id,
            "name": "山田 太郎",
            "phone": "03-1234-5678",
            "email": "a@example.jp",
            "role": "general",
        },
    )
    page = both.go("users.edit_save", {"action": "next"})
    assert "ご自身の権限は変更できません。" in " ".join(page.messages)
    assert user(app, "demo-admin").is_admin


def test_at_least_one_active_administrator_always_remains(app):
    from types import SimpleNamespace
    from unittest import mock

    from nexi.blueprints.users import service

    with app.test_request_context():
        admin = user(app, "demo-admin")
        acting = SimpleNamespace(
            user=SimpleNamespace(id=-1, customer_id=admin.customer_id), customer=SimpleNamespace(id=admin.customer_id)
        )
        with mock.patch.object(service, "current_user", acting):
            with pytest.raises(service.Refused, match="有効な管理者が1人もいなくなる"):
                service.check_disable(admin)


def test_unlocking_lifts_the_lock_and_keeps_the_password(both, other_portal, app):
    assert other_portal.login("demo-locked").h1 == "パスワードエラー"
    both.login("demo-admin")
    page = open_user(both, "demo-locked")
    assert page.text(".user-status") == "ロック中"
    page = act(both, "demo-locked", "unlock")
    assert "demo-locked のロックを解除しました。" in " ".join(page.messages)
    assert failures(app, "demo-locked") is None
    assert other_portal.login("demo-locked", DEMO_PASSWORD).h1 == "ユーザーページ"
    assert [event.detail["by"] for event in audited(app, "login.unlock")] == ["admin"]


def test_re_enabling_beyond_the_maximum_is_refused(both, app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_MAX_USERS", 5)  # the 5 active users of the demo company
    both.login("demo-admin")
    page = act(both, "demo-disabled", "enable")
    assert "有効なWebユーザーは1つの保険利用者につき5人までです。" in " ".join(page.messages)
    assert not user(app, "demo-disabled").active
    monkeypatch.setitem(app.config, "NEXI_MAX_USERS", 6)
    page = act(both, "demo-disabled", "enable")
    assert "demo-disabled を再有効化しました。" in " ".join(page.messages)
    assert user(app, "demo-disabled").active


@pytest.mark.parametrize(
    ("action", "enabled", "message"),
    [
        ("otp_on", True, "「利用する」に設定しました"),
        ("otp_off", False, "「利用しない」に設定しました"),
        ("otp_reset", True, "登録を取り消しました"),
    ],
)
def test_the_one_time_password_setting_clears_the_enrolment(portal, app, action, enabled, message):
    target = "demo-user" if action == "otp_on" else "demo-otp"
    portal.login("demo-admin")
    page = act(portal, target, action)
    assert message in " ".join(page.messages)
    changed = user(app, target)
    assert changed.otp_enabled is enabled
    assert changed.otp_secret is None and changed.otp_enrolled_at is None
    assert audited(app, f"users.{action}")
