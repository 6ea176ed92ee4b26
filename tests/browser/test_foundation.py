"""What a person does on the foundation screens (2-1, 2-2): log in, look around, read notices,
log out — with JavaScript on and off, checked for accessibility on every screen."""

import pyotp

from nexi.demo import DEMO_OTP_SECRET
from tests.browser.conftest import login, text

AREAS = [
    "⑥お知らせ",
    "⑦Web申込状況一覧",
    "⑧海外商社登録等のお手続き",
    "⑨保険申込み・変更のお手続き",
    "⑩個別保証枠のお手続き",
    "⑪企業総合保険特約のお手続き",
    "⑫事故に関するお手続き",
    "⑬電子申請のお手続き",
    "⑭保険料試算",
    "⑮各種情報照会",
    "⑯ユーザー管理のお手続き",
    "⑰ワンタイムパスワードの入力",
]


def test_log_in_browse_the_notices_and_log_out(ui, check_accessibility):
    ui.goto("/login")
    check_accessibility(ui)
    login(ui)
    assert text(ui.locator("h1")) == "ユーザーページ"
    headings = [" ".join(h.split()).replace(" ", "") for h in ui.locator("#screen h2").all_inner_texts()]
    for area in AREAS:
        assert area in headings
    assert "株式会社サンプル精機" in text(ui.locator(".customer-name"))
    assert "demo-admin" in text(ui.locator(".user-info"))
    check_accessibility(ui)

    ui.click("button:text-is('掲載中のお知らせ一覧')")
    ui.wait_for_selector("h1:text-is('掲載中のお知らせ一覧')")
    assert "12件中 1〜10件を表示（1/2ページ）" in text(ui.locator(".result-count"))
    check_accessibility(ui)
    first_title = text(ui.locator("#notice-list tbody button").first)

    ui.click("button[aria-label='2ページ']")
    ui.wait_for_selector(".result-count:has-text('（2/2ページ）')")
    assert ui.locator("#notice-list tbody tr").count() == 2
    assert ui.url.endswith("/")  # the address never changes: the app has one address
    if ui.js:  # focus follows the swapped list, so a screen reader announces the new page
        # A CSS :focus wait, not wait_for_function: the portal's CSP refuses the eval it may need.
        ui.wait_for_selector(".result-count:focus")

    ui.locator("#notice-list tbody button").first.click()
    ui.wait_for_selector("h1:text-is('お知らせ')")
    assert text(ui.locator(".notice__title")) != first_title
    assert text(ui.locator(".notice__body"))
    check_accessibility(ui)
    ui.click("button:text-is('お知らせ一覧へ')")
    ui.wait_for_selector(".result-count:has-text('（2/2ページ）')")

    ui.click(".site-header button:text-is('ログアウト')")
    ui.wait_for_selector("h1:text-is('ログアウト')")
    assert "ログアウトしました" in text(ui.locator("main"))
    check_accessibility(ui)
    ui.goto("/")
    assert text(ui.locator("h1")) == "ログイン"


def test_a_wrong_password_shows_the_message_next_to_the_form(ui, check_accessibility):
    login(ui, "demo-admin", "wrong password")
    assert text(ui.locator("h1")) == "ログイン"
    assert "WebユーザーIDまたはパスワードが正しくありません" in text(ui.locator(".error-summary"))
    assert ui.input_value("#login_id") == "demo-admin"
    assert ui.input_value("#password") == ""
    check_accessibility(ui)


def test_log_in_with_a_one_time_password(ui, check_accessibility):
    login(ui, "demo-otp")
    assert text(ui.locator("h1")) == "ワンタイムパスワード入力"
    check_accessibility(ui)
    ui.fill("#code", pyotp.TOTP(DEMO_OTP_SECRET).now())
    ui.click("button:text-is('認証')")
    ui.wait_for_selector("h1:text-is('ユーザーページ')")
    assert "利用中" in text(ui.locator("#area-otp"))


def test_the_help_popup_opens_without_javascript(ui):
    ui.goto("/login")
    popup = ui.locator("#login_id").locator("xpath=..").locator(".help__popup")
    assert not popup.is_visible()
    ui.locator("#login_id").locator("xpath=..").locator("summary").click()
    assert popup.is_visible()
    assert "WebユーザーID" in text(popup)


def test_print_is_a_button_with_javascript_and_a_hint_without(ui):
    login(ui)
    if ui.js:
        assert ui.locator(".js-print").is_visible()
        assert not ui.locator(".js-print-note").is_visible()
    else:
        assert not ui.locator(".js-print").is_visible()
        assert "ブラウザの印刷機能をご利用ください" in text(ui.locator(".js-print-note"))


def test_pattern_two_screens_end_with_the_end_button(ui, check_accessibility):
    login(ui)
    ui.click("button:text-is('保険料試算')")
    ui.wait_for_selector("h1:text-is('保険料試算')")
    assert text(ui.locator(".site-header .button--logout")) == "終了"
    check_accessibility(ui)
    ui.click(".site-header button:text-is('終了')")
    ui.wait_for_selector("h1:text-is('ログアウト')")
