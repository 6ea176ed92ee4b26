"""IE1 and IE2 in a browser, JavaScript on and off (DOMAIN.md 9-4 簡易通知型, 5-2, C.7, S.3): a
船積確定通知 under the demo customer's 包括保険契約 on pattern-2 screens, NEXI's 完了 recording the
shipment, the shipment in 5-2 保険契約, an IE2 訂正 of its amount, NEXI's 完了, the corrected amount
(and its 訂正履歴) in 5-2."""

from nexi.clock import today
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_ia1 import complete, day, primary, submit
from tests.browser.test_procedures import click_to

IE1 = "簡易通知型包括保険 申込（船積確定通知）"
IE2 = "簡易通知型包括保険 変更（訂正・取消）"


def acknowledge(ui) -> None:
    box = ui.locator("input[name=acknowledge]")
    if box.count():
        box.check()


def notify(ui) -> str:
    click_to(ui, f"button:text-is('{IE1}')", f"{IE1}（手続きの流れ）")
    assert text(ui.locator(".button--logout")) == "終了"  # screen pattern 2 (C.7)
    click_to(ui, "button:text-is('入力を始める')", f"{IE1}（包括保険契約・船積）")
    assert ui.input_value("#contract_number").startswith(f"05{today().year}")  # the only contract, chosen
    ui.get_by_label("個別").check()
    ui.fill("#shipped_on", day(-5))
    ui.fill("#buyer_code", "304-000101")
    ui.select_option("#destination", "304")
    ui.select_option("#currency", "USD")
    ui.fill("#amount", "100,000.00")
    primary(ui, f"{IE1}（決済）")
    ui.select_option("#settlement_method", "送金")
    ui.fill("#due_on", day(85))
    ui.fill("#usance_days", "90")
    primary(ui, f"{IE1}（申込内容確認）")
    assert "信用危険 90%" in text(ui.locator("#screen"))  # the contract's, for a buyer with a 支払限度額
    acknowledge(ui)
    return submit(ui, IE1)


def correct(ui, notice: str) -> str:
    click_to(ui, ".site-header button:text-is('ユーザーページ')", "ユーザーページ")
    click_to(ui, f"button:text-is('{IE2}')", f"{IE2}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{IE2}（対象・区分）")
    ui.select_option("#notice_number", notice)
    ui.get_by_label("訂正").check()
    primary(ui, f"{IE2}（包括保険契約・船積）")
    assert ui.input_value("#amount") == "100,000.00"  # prefilled from the recorded shipment
    ui.fill("#amount", "80,000.00")
    primary(ui, f"{IE2}（決済）")
    assert ui.input_value("#usance_days") == "90"
    primary(ui, f"{IE2}（申込内容確認）")
    acknowledge(ui)
    return submit(ui, IE2)


def shipments_in_5_2(ui) -> str:
    """5-2: the contract found by its 保険種別, its detail's recorded shipments."""
    click_to(ui, ".site-header button:text-is('ユーザーページ')", "ユーザーページ")
    click_to(ui, "button:text-is('各種情報照会')", "各種情報照会")
    click_to(ui, ".inquiry-list button:text-is('保険契約')", "保険契約")
    ui.select_option("#product", "05")
    ui.click("button:text-is('検索')")
    ui.wait_for_selector("table.table--inquiry-policies")
    row = ui.locator("table.table--inquiry-policies tbody tr.blanket-row")
    assert "記録された船積 1件" in text(row)
    click_to(ui, "table.table--inquiry-policies tr.blanket-row button", "保険契約（詳細）")
    return text(ui.locator("table.table--blanket-shipments tbody"))


def test_a_notice_recorded_then_corrected_as_seen_in_5_2(app, ui, browser, live_server, js):
    login(ui, "demo-user")
    notice = notify(ui)
    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        assert complete(staff, notice).startswith(f"05{today().year}")  # the contract's 証券番号, no new one
        shown = shipments_in_5_2(ui)
        assert notice in shown and "USD 100,000.00" in shown and "304-000101" in shown
        change = correct(ui, notice)
        complete(staff, change)
    finally:
        context.close()
    shown = shipments_in_5_2(ui)
    assert "USD 80,000.00" in shown and f"訂正（{change}）" in shown and "変更前 USD 100,000.00" in shown
