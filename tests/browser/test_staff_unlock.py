"""S.8 in a browser, JavaScript on and off, one browser context per person: a customer's only 管理者
locks its ID with wrong passwords (nobody in its company can unlock it, 3-1), a 管理担当 finds it in
Webユーザー検索 on the staff console and unlocks it after a confirmation, and the 管理者 logs in with
its unchanged password. axe runs on every staff screen the test visits."""

from playwright.sync_api import expect

from tests.browser.conftest import login, staff_window, text
from tests.browser.test_procedures import click_to

LOCKED_USER = "demo-admin"


def test_a_manager_unlocks_a_customer_locked_by_wrong_passwords(app, ui, browser, live_server, js, check_accessibility):
    for _ in range(5):
        login(ui, LOCKED_USER, "not my password 2026")
    ui.wait_for_selector("h1:text-is('パスワードエラー')")
    login(ui, LOCKED_USER)  # the right password: still locked
    ui.wait_for_selector("h1:text-is('パスワードエラー')")

    context, staff = staff_window(browser, live_server, js, app, "demo-manager")
    try:
        check_accessibility(staff)
        click_to(staff, "button:has-text('Webユーザー検索')", "Webユーザー検索")
        check_accessibility(staff)
        staff.fill("#login_id", LOCKED_USER)
        click_to(staff, ".search-form button:text-is('検索')", "Webユーザー検索")
        # The unfiltered list before the search holds the row too: wait for the search's answer.
        expect(staff.locator(".webuser-row")).to_have_count(1)
        row = staff.locator(f".webuser-row[data-login-id='{LOCKED_USER}']")
        assert text(row.locator(".webuser-status")) == "ロック中"
        click_to(staff, f"button:text-is('{LOCKED_USER}')", "Webユーザー詳細")
        assert text(staff.locator(".webuser-role")) == "管理者"
        check_accessibility(staff)
        click_to(staff, ".staff-actions button:text-is('ロック解除')", "ロック解除（確認）")
        check_accessibility(staff)
        click_to(staff, "button:text-is('実行する')", "ロック解除（完了）")
        assert text(staff.locator(".webuser-status")) == "有効"
        check_accessibility(staff)
        staff.reload()  # a refresh shows the same screen again, and does nothing twice
        staff.wait_for_selector("h1:text-is('ロック解除（完了）')")
    finally:
        context.close()

    login(ui, LOCKED_USER)
    ui.wait_for_selector("h1:text-is('ユーザーページ')")
