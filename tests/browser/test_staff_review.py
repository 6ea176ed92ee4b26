"""S.2 in a browser, JavaScript on and off, one browser context per person: a customer submits B01,
a 審査担当 takes it up and returns it with a comment, the customer corrects and resubmits it under
the same number, the 審査担当 completes it with a rating, and the customer sees 完了 and the
buyer's new code. axe runs on each staff screen."""

from tests.browser.conftest import login, staff_window, text
from tests.browser.test_procedures import B01, click_to, reach_confirm, title

COMMENT = "会社の所在地を登記の表記に合わせてください。"


def _open(staff, number):
    click_to(staff, ".site-header button:text-is('コンソール')", "職員コンソール")
    click_to(staff, "button:text-is('審査一覧')", "審査一覧")
    click_to(staff, f"table.table--queue button[value='{number}']", "申込内容の審査")


def _decide(staff, label, h1, fill=None):
    click_to(staff, f".review-actions button:text-is('{label}')", h1)
    if fill:
        fill()
        click_to(staff, f".step-form button:text-is('{label}する')", "申込内容の審査")


def test_return_resubmit_and_complete_between_a_customer_and_nexi(
    app, ui, browser, live_server, js, check_accessibility
):
    login(ui)
    number = reach_confirm(ui)
    click_to(ui, ".confirm-form .button-row button:text-is('申込む')", title("申込完了"))

    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        _open(staff, number)
        check_accessibility(staff)
        _decide(staff, "受付", "申込内容の審査")  # the same screen again: wait for its message
        staff.wait_for_selector("#messages .message:has-text('受け付けました')")
        _decide(staff, "差戻し", "差戻し", lambda: staff.fill("#comment", COMMENT))
        check_accessibility(staff)
        assert "差し戻しました" in text(staff.locator("#messages"))

        ui.goto("/")  # the customer's one address: the current screen (申込完了) again
        click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
        click_to(ui, f"#application-list button[value='{number}']", "申込内容照会")
        assert COMMENT in text(ui.locator(".message--warning"))
        click_to(ui, "button:text-is('修正して再申込')", title("名称・所在地"))
        assert COMMENT in text(ui.locator(".message--warning"))
        for step in ("本店・支店と企業情報", "名簿区分と信用調査報告書", "取引予定", "申込内容確認"):
            click_to(ui, ".step-form .button-row .button--primary", title(step))
        assert text(ui.locator(".panel__lead .number")) == number
        click_to(ui, ".confirm-form .button-row button:text-is('申込む')", title("申込完了"))

        _open(staff, number)
        _decide(staff, "受付", "申込内容の審査")
        staff.wait_for_selector(".review-actions button:text-is('完了')")

        def rating():
            staff.select_option("#rating", "SA")

        _decide(staff, "完了", "完了", rating)
        assert "完了しました" in text(staff.locator("#messages"))
        buyer_code = text(staff.locator("#result-title + dl div:first-child dd"))
    finally:
        context.close()

    ui.goto("/")
    click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
    row = ui.locator("#application-list tbody tr", has_text=number)
    assert text(row.locator(".tag--status")) == "完了" and B01 in text(row)
    click_to(ui, f"#application-list button[value='{number}']", "申込内容照会")
    assert buyer_code in text(ui.locator("#result-title + dl"))
    history = ui.locator("section[aria-labelledby=history-title] tbody tr").all_text_contents()
    assert any(COMMENT in line and "NEXI" in line for line in history)
