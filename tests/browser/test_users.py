"""⑯ ユーザー管理 as people use it (3-2, 3-6), JavaScript on and off; one browser context per person."""

import pytest

from tests.browser.conftest import click_to, login, text

NEW_PASSWORD = "川の流れのように 静かに"


@pytest.fixture
def person(browser, live_server, js):
    """Another person's browser (same JavaScript setting as `ui`)."""
    contexts = []

    def open_window():
        context = browser.new_context(base_url=live_server, java_script_enabled=js, locale="ja-JP")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.js = js
        return page

    yield open_window
    for context in contexts:
        context.close()


def change_password(page, new=NEW_PASSWORD):
    page.fill("#new_password", new)
    page.fill("#new_password_confirm", new)
    click_to(page, "button:text-is('変更する')", "ユーザーページ")


def test_first_login_with_a_temporary_password_forces_the_change(ui, check_accessibility):
    login(ui, "demo-temp")
    ui.wait_for_selector("h1:text-is('パスワード変更')")
    assert "仮パスワードでログインしています" in text(ui.locator(".forced-change"))
    assert ui.locator("#current_password").count() == 0
    check_accessibility(ui)
    ui.fill("#new_password", "short")
    ui.fill("#new_password_confirm", "short")
    click_to(ui, "button:text-is('変更する')", "パスワード変更")
    assert "10文字以上64文字以内" in text(ui.locator("#new_password-error"))
    change_password(ui)
    assert "パスワードを変更しました。" in text(ui.locator("#messages"))


def test_an_administrator_adds_a_user_who_then_logs_in(ui, person):
    login(ui, "demo-admin")
    click_to(ui, "button:text-is('Webユーザー管理')", "Webユーザー管理")
    click_to(ui, "button:text-is('Webユーザーを追加')", "Webユーザー追加")
    ui.fill("#login_id", "kato-yui")
    ui.fill("#name", "加藤 結衣")
    ui.fill("#phone", "03-1111-2222")
    ui.fill("#email", "kato@example.jp")
    click_to(ui, ".step-form .button-row .button--primary", "Webユーザー追加（確認）")
    click_to(ui, "button:text-is('登録する')", "Webユーザー追加（完了）")
    password = text(ui.locator(".generated-password"))
    newcomer = person()
    login(newcomer, "kato-yui", password)
    newcomer.wait_for_selector("h1:text-is('パスワード変更')")
    change_password(newcomer)
    click_to(ui, "button:text-is('Webユーザー一覧へ')", "Webユーザー管理")
    assert "kato-yui" in text(ui.locator(".user-table"))


def test_an_administrator_unlocks_a_locked_user(ui, person):
    locked = person()
    login(locked, "demo-locked")
    locked.wait_for_selector("h1:text-is('パスワードエラー')")
    login(ui, "demo-admin")
    click_to(ui, "button:text-is('Webユーザー管理')", "Webユーザー管理")
    click_to(ui, "button:text-is('demo-locked')", "Webユーザー詳細")
    assert text(ui.locator(".user-status")) == "ロック中"
    ui.click("button:text-is('ロック解除')")
    ui.wait_for_selector(".confirm-action")
    click_to(ui, "button:text-is('ロック解除する')", "Webユーザー詳細")
    ui.wait_for_selector(".user-status:text-is('有効')")
    login(locked, "demo-locked")
    locked.wait_for_selector("h1:text-is('ユーザーページ')")


def test_a_general_user_finds_the_entry_without_a_link_and_a_forged_post_is_refused(ui):
    login(ui, "demo-user")
    ui.wait_for_selector("h1:text-is('ユーザーページ')")
    entry = ui.locator("#area-users .menu-item", has_text="Webユーザー管理")
    assert entry.locator("button").count() == 0
    assert "管理者のみご利用いただけます" in text(entry)
    token = ui.locator("#nav-token").get_attribute("value")
    csrf = ui.locator("input[name=csrf_token]").first.get_attribute("value")
    response = ui.request.post("/users/manage", form={"csrf_token": csrf, "_nav": token})
    assert "Webユーザー管理は管理者のみご利用いただけます。" in response.text()
    assert "<h1" in response.text() and "ユーザーページ" in response.text()
