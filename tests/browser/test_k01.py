"""Issue 19 in a browser, JavaScript on and off (DOMAIN.md 8-1, 9-2 企業総合, S.3): the customer files a
期中企総登録 for a payer not yet under its 企業総合 特約, NEXI completes it with a 支払限度額, and an
ID1 to that payer is then offered 90 % 船後 信用 cover (before the K01 it was offered only 0)."""

from nexi.clock import today
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_ia1 import complete, day, primary, submit
from tests.browser.test_id1 import ID1, options
from tests.browser.test_procedures import click_to

K01 = "期中企総登録"
PAYER, COUNTRY = "213-000401", "213"  # EE, registered, not 企総登録 under the demo 特約


def to_home(ui) -> None:
    click_to(ui, ".session-actions button:text-is('ユーザーページ')", "ユーザーページ")


def credit_rates_offered(ui) -> list[str]:
    """Walk an ID1 to 付保・確認 for PAYER: the 船後 信用危険付保率 choices; then leave it as a draft."""
    click_to(ui, f"button:text-is('{ID1}')", f"{ID1}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{ID1}（契約・当事者）")
    ui.get_by_label("11 輸出").check()
    ui.fill("#contracted_on", today().isoformat())
    ui.fill("#counterparty_code", PAYER)
    ui.select_option("#destination", COUNTRY)
    primary(ui, f"{ID1}（貨物・金額・決済）")
    ui.fill("#goods", "工作機械")
    ui.select_option("#currency", "USD")
    ui.fill("#contract_amount", "100,000.00")
    ui.fill("#first_shipment_on", day(10))
    ui.fill("#last_shipment_on", day(20))
    ui.select_option("#settlement_method", "送金")
    ui.get_by_label("3 不均等").check()
    ui.fill("#settlement_count", "1")
    ui.fill("#usance_days", "90")
    click_to(ui, "button:text-is('行数を反映')", f"{ID1}（貨物・金額・決済）")
    ui.wait_for_selector("#schedule-0-amount")
    ui.fill("#schedule-0-due_on", day(60))
    ui.fill("#schedule-0-amount", "100,000.00")
    primary(ui, f"{ID1}（付保・確認）")
    return options(ui, "#post_commercial")


def file_k01(ui) -> str:
    click_to(ui, f"button:text-is('{K01}')", f"{K01}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{K01}（登録するバイヤー）")
    ui.select_option("#rider_number", f"T{today().year}00001")
    ui.fill("#buyer_code", PAYER)
    ui.select_option("#destination", COUNTRY)
    primary(ui, f"{K01}（取引条件と支払限度額）")
    ui.select_option("#settlement_method", "送金")
    ui.fill("#usance_days", "90")
    ui.fill("#annual_amount", "300,000,000")
    ui.fill("#desired_limit", "80,000,000")
    primary(ui, f"{K01}（申込内容確認）")
    assert PAYER in text(ui.locator("#screen")) and "80,000,000" in text(ui.locator("#screen"))
    return submit(ui, K01)


def test_a_registration_with_a_limit_makes_an_id1_offer_90(app, ui, browser, live_server, js):
    login(ui)
    assert credit_rates_offered(ui) == ["0"]  # not 企総登録: political cover only
    to_home(ui)
    number = file_k01(ui)
    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        complete(staff, number, fill=lambda: staff.fill("#limit", "80,000,000"))
    finally:
        context.close()
    to_home(ui)
    assert credit_rates_offered(ui) == ["90", "0"]
