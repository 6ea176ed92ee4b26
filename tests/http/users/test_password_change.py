"""3-2 パスワード変更 from ⑯: the policy, the current password as a login failure, the effects."""

import pytest

from nexi.demo import DEMO_PASSWORD
from tests.http.users.support import NEW_PASSWORD, audited, failures, live_sessions, other_session, session_ended

CHANGE = "users.password_submit"


def change(portal, current=DEMO_PASSWORD, new=NEW_PASSWORD, confirm=None):
    return portal.go(CHANGE, {"current_password": current, "new_password": new, "new_password_confirm": confirm or new})


def test_the_menu_opens_the_screen_with_its_three_fields(both):
    both.login("demo-user")
    page = both.go("users.password")
    assert page.h1 == "パスワード変更"
    assert page.texts(".step-form label.label") == [
        "現在のパスワード 必須",
        "新しいパスワード 必須",
        "新しいパスワード（確認） 必須",
    ]
    assert all(element["type"] == "password" for element in page.select(".step-form input.input"))


def test_a_valid_change_replaces_the_password(both, other_portal):
    both.login("demo-user")
    both.go("users.password")
    page = change(both)
    assert page.h1 == "ユーザーページ"
    assert "パスワードを変更しました。" in " ".join(page.messages)
    assert other_portal.login("demo-user", DEMO_PASSWORD).h1 == "ログイン"
    assert other_portal.login("demo-user", NEW_PASSWORD).h1 == "ユーザーページ"


def test_the_new_password_is_nfkc_normalised_and_never_trimmed(portal, other_portal):
    portal.login("demo-user")
    portal.go("users.password")
    change(portal, new="  ＡＢＣＤ ｅｆｇｈｉｊ  ")
    assert other_portal.login("demo-user", "ABCD efghij").h1 == "ログイン"  # the spaces belong to it
    assert other_portal.login("demo-user", "  ABCD efghij  ").h1 == "ユーザーページ"


@pytest.mark.parametrize(
    ("new", "confirm", "field", "message"),
    [
        ("short pas", None, "new_password", "新しいパスワードは10文字以上64文字以内で入力してください（現在9文字）"),
        ("tiny", None, "new_password", "新しいパスワードは10文字以上64文字以内で入力してください（現在4文字）"),
        ("x" * 65, None, "new_password", "新しいパスワードは10文字以上64文字以内で入力してください（現在65文字）"),
        ("my DEMO-USER pass", None, "new_password", "新しいパスワードにWebユーザーIDを含めることはできません"),
        (
            "Password123",
            None,
            "new_password",
            "この新しいパスワードは推測されやすいため使用できません。別の新しいパスワードを入力してください",
        ),
        (
            "NEXI Webサービス",
            None,
            "new_password",
            "この新しいパスワードは推測されやすいため使用できません。別の新しいパスワードを入力してください",
        ),
        (DEMO_PASSWORD, None, "new_password", "新しいパスワードは現在のパスワードと異なるものを入力してください"),
        (
            NEW_PASSWORD,
            "別のパスワードです！",
            "new_password_confirm",
            "新しいパスワード（確認）が新しいパスワードと一致しません",
        ),
        ("", "", "new_password", "新しいパスワードを入力してください"),
    ],
)
def test_a_password_against_the_policy_is_refused_with_its_message(both, other_portal, new, confirm, field, message):
    both.login("demo-user")
    both.go("users.password")
    page = change(both, new=new, confirm=confirm if confirm is not None else new)
    assert page.h1 == "パスワード変更"
    assert page.field_error(field) == message
    assert message in page.error_summary
    assert all(not element.get("value") for element in page.select("input[type=password]"))  # nothing typed comes back
    assert other_portal.login("demo-user", DEMO_PASSWORD).h1 == "ユーザーページ"


def test_ten_and_sixty_four_characters_are_accepted(portal, other_portal):
    portal.login("demo-user")
    portal.go("users.password")
    assert change(portal, new="short pass").h1 == "ユーザーページ"
    portal.go("users.password")
    assert change(portal, current="short pass", new="k7" * 32).h1 == "ユーザーページ"


def test_the_configured_blocklist_is_applied(portal, app, tmp_path, monkeypatch):
    listed = tmp_path / "ours.txt"
    listed.write_text("Sample Seiki 2026\n", encoding="utf-8")
    monkeypatch.setitem(app.config, "NEXI_PASSWORD_BLOCKLIST", str(listed))
    portal.login("demo-user")
    portal.go("users.password")
    page = change(portal, new="sample seiki 2026")
    assert "推測されやすい" in page.field_error("new_password")


def test_the_current_password_is_required(both):
    both.login("demo-user")
    both.go("users.password")
    page = change(both, current="")
    assert page.field_error("current_password") == "現在のパスワードを入力してください"


def test_a_wrong_current_password_counts_as_a_login_failure(both, app):
    both.login("demo-user")
    both.go("users.password")
    page = change(both, current="not my password")
    assert page.h1 == "パスワード変更"
    assert page.field_error("current_password") == "現在のパスワードが正しくありません"
    assert failures(app, "demo-user").count == 1
    assert audited(app, "password_change.failure")


def test_the_lock_engaged_by_wrong_current_passwords_ends_the_session(both, other_portal, app):
    both.login("demo-user")
    both.go("users.password")
    for _ in range(4):
        assert change(both, current="not my password").h1 == "パスワード変更"
    response = both.client.post(
        both.url(CHANGE),
        data={
            "csrf_token": both.csrf,
            "_nav_live" if both.transport == "htmx" else "_nav": both.token,
            "current_password": "not my password",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
        headers={"HX-Request": "true"} if both.transport == "htmx" else {},
    )
    location = response.headers.get("HX-Redirect") or response.headers["Location"]
    assert location.endswith(both.url("auth.locked"))
    assert both.get(location).h1 == "パスワードエラー"
    assert live_sessions(app, "demo-user") == 0
    assert both.get(both.url("home.current")).h1 == "ログイン"
    assert other_portal.login("demo-user", DEMO_PASSWORD).h1 == "パスワードエラー"


def test_the_users_other_sessions_end_and_the_change_is_audited(portal, app):
    portal.login("demo-user")
    elsewhere = other_session(app, "demo-user")
    portal.go("users.password")
    change(portal)
    assert session_ended(app, elsewhere)
    assert live_sessions(app, "demo-user") == 1  # this one goes on
    assert portal.go("home.home").h1 == "ユーザーページ"
    [event] = audited(app, "password.changed")
    assert event.detail == {"forced": False}
