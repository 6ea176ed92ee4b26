"""IA1 in a browser, JavaScript on and off (DOMAIN.md 10-1, 9-1, S.3, 5-2, 5-3), in one piece: the
customer obtains a 確認 (L01) and NEXI completes it; the customer applies for 貿易一般保険（個別）
quoting that 確認 and NEXI completes it; Web申込状況一覧 shows the application 完了 with its
保険証券番号, 5-2 the policy and 5-3 the 確認's amount as the customer's 使用額 on that policy."""

from datetime import timedelta

from nexi.clock import today
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_procedures import click_to

L01, IA1 = "個別保証枠取得（確認申請）", "貿易一般保険（個別） 申込"


def day(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


def primary(ui, h1: str) -> None:
    click_to(ui, ".step-form .button-row .button--primary", h1)


def submit(ui, name: str) -> str:
    ui.wait_for_selector("form.confirm-form")
    number = text(ui.locator(".panel__lead .number"))
    click_to(ui, ".confirm-form .button-row button:text-is('申込む')", f"{name}（申込完了）")
    return number


def complete(staff, number: str, fill=None) -> str:
    """NEXI takes the application up and completes it (the result inputs as proposed): the first result."""
    click_to(staff, ".site-header button:text-is('コンソール')", "職員コンソール")
    click_to(staff, "button:text-is('審査一覧')", "審査一覧")
    click_to(staff, f"table.table--queue button[value='{number}']", "申込内容の審査")
    click_to(staff, ".review-actions button:text-is('受付')", "申込内容の審査")
    staff.wait_for_selector(".review-actions button:text-is('完了')")
    click_to(staff, ".review-actions button:text-is('完了')", "完了")
    if fill:
        fill()
    click_to(staff, ".step-form button:text-is('完了する')", "申込内容の審査")
    assert "完了しました" in text(staff.locator("#messages"))
    return text(staff.locator("#result-title + dl div:first-child dd"))


def apply_for_confirmation(ui) -> str:
    click_to(ui, f"button:text-is('{L01}')", f"{L01}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{L01}（確認申請の内容）")
    ui.fill("#buyer_code", "304-000101")
    ui.select_option("#product", "01")
    ui.select_option("#currency", "USD")
    ui.fill("#amount", "100,000.00")
    ui.fill("#planned_on", today().isoformat())
    ui.fill("#usance_days", "90")
    ui.select_option("#settlement_method", "送金")
    ui.select_option("#destination", "304")
    primary(ui, f"{L01}（申込内容確認）")
    return submit(ui, L01)


def apply_for_cover(ui, confirmation: str) -> str:
    ui.goto("/")  # the customer's one address: the current screen (L01's 申込完了) again
    click_to(ui, "button:text-is('ユーザーページへ')", "ユーザーページ")
    click_to(ui, f"button:text-is('{IA1}')", f"{IA1}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{IA1}（契約・当事者）")
    assert ui.input_value("#insured") == "123456789"
    ui.get_by_label("11 輸出").check()
    ui.fill("#contracted_on", today().isoformat())
    ui.fill("#counterparty_code", "304-000101")
    ui.select_option("#destination", "304")
    primary(ui, f"{IA1}（貨物・金額・決済）")
    ui.fill("#goods", "工作機械")
    ui.select_option("#currency", "USD")
    ui.fill("#contract_amount", "100,000.00")
    ui.fill("#first_shipment_on", day(10))
    ui.fill("#last_shipment_on", day(20))
    ui.select_option("#settlement_method", "送金")
    ui.get_by_label("1 均等").check()
    ui.fill("#settlement_count", "2")
    ui.fill("#usance_days", "90")
    click_to(ui, "button:text-is('行数を反映')", f"{IA1}（貨物・金額・決済）")
    ui.wait_for_selector("#schedule-1-amount")
    assert ui.input_value("#schedule-1-amount") == "50,000.00"  # 1 均等: prefilled
    ui.fill("#schedule-0-due_on", day(60))
    ui.fill("#schedule-1-due_on", day(90))
    primary(ui, f"{IA1}（付保・確認）")
    ui.select_option("#post_political", "97.5")
    ui.select_option("#post_commercial", "90")
    ui.fill("#confirmation_number", confirmation)
    primary(ui, f"{IA1}（申込内容確認）")
    assert "参考保険料（NEXIの審査により変わることがあります）" in text(ui.locator("#screen"))
    return submit(ui, IA1)


def test_a_confirmation_then_an_individual_policy_quoting_it(app, ui, browser, live_server, js):
    login(ui)
    l01 = apply_for_confirmation(ui)
    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        confirmation = complete(staff, l01)
        assert confirmation.startswith(f"K{today().year}")
        ia1 = apply_for_cover(ui, confirmation)
        policy = complete(staff, ia1)
        assert policy.startswith(f"01{today().year}") and len(policy) == 14
    finally:
        context.close()
    ui.goto("/")
    click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
    row = ui.locator("#application-list tbody tr", has_text=ia1)
    assert text(row.locator(".tag--status")) == "完了" and IA1 in text(row)
    click_to(ui, f"#application-list button[value='{ia1}']", "申込内容照会")
    result = text(ui.locator("#result-title + dl"))
    assert policy in result and "保険料" in result and "保険責任開始日" in result
    click_to(ui, "button:text-is('ユーザーページへ戻る')", "ユーザーページ")
    click_to(ui, "button:text-is('各種情報照会')", "各種情報照会")
    click_to(ui, ".inquiry-list button:text-is('保険契約')", "保険契約")
    ui.fill("#number", policy)
    ui.click("button:text-is('検索')")
    ui.wait_for_selector("table.table--inquiry-policies")
    row = text(ui.locator("table.table--inquiry-policies tbody tr"))
    assert row.startswith(f"{policy}-00 貿易一般保険（個別） 304-000101") and "100,000.00" in row
    click_to(ui, "button:text-is('各種情報照会へ戻る')", "各種情報照会")
    click_to(ui, ".inquiry-list button:text-is('個別保証枠')", "個別保証枠")
    click_to(ui, "table.table--inquiry-limits button:text-is('304-000101')", "個別保証枠（詳細）")
    assert f"{policy}-00" in text(ui.locator("table.table--own-limit-policies"))
    assert confirmation in text(ui.locator("table.table--own-confirmations"))
