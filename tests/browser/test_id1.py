"""ID1 in a browser, JavaScript on and off (DOMAIN.md 9-2 企業総合, 9-4 企業総合, S.3): the customer
applies under its 企業総合 特約; the 船後 信用危険付保率 offered follows the 支払人's 企総登録 (a
payer with a 支払限度額 offers 90; changing it to one registered without a limit leaves only 0);
NEXI completes it with a 04 policy."""

from nexi.clock import today
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_ia1 import complete, day, primary, submit
from tests.browser.test_procedures import click_to

ID1 = "企業総合保険 申込"


def options(ui, selector: str) -> list[str]:
    return [value for value in ui.locator(f"{selector} option").evaluate_all("(els) => els.map(e => e.value)") if value]


def apply(ui) -> str:
    click_to(ui, f"button:text-is('{ID1}')", f"{ID1}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{ID1}（契約・当事者）")
    assert ui.input_value("#rider_number") == f"T{today().year}00001"  # the only 特約 in force
    ui.get_by_label("11 輸出").check()
    ui.fill("#contracted_on", today().isoformat())
    ui.fill("#counterparty_code", "304-000102")  # EE, 企総登録 with a 支払限度額
    ui.select_option("#destination", "304")
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
    assert options(ui, "#post_commercial") == ["90", "0"]
    assert ui.locator("[name=confirmation_number]").count() == 0
    ui.select_option("#post_political", "97.5")
    ui.select_option("#post_commercial", "90")
    primary(ui, f"{ID1}（申込内容確認）")
    assert "90%" in text(ui.locator("#screen"))
    # back to the parties: a payer registered without a 支払限度額 (EA) leaves only 0
    click_to(ui, "button[aria-label='契約・当事者を修正する']", f"{ID1}（契約・当事者）")
    ui.fill("#counterparty_code", "111-000301")
    ui.select_option("#destination", "111")
    primary(ui, f"{ID1}（付保・確認）")  # the 90 chosen is no longer offered: the step asks again
    assert "一覧から選択してください" in text(ui.locator("#screen"))
    assert options(ui, "#post_commercial") == ["0"]
    ui.select_option("#post_commercial", "0")
    primary(ui, f"{ID1}（申込内容確認）")
    assert "0%" in text(ui.locator("#screen")) and "111-000301" in text(ui.locator("#screen"))
    acknowledge = ui.locator("input[name=acknowledge]")
    if acknowledge.count():
        acknowledge.check()
    return submit(ui, ID1)


def test_a_rider_holder_applies_and_nexi_completes_a_04_policy(app, ui, browser, live_server, js):
    login(ui)
    number = apply(ui)
    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        policy = complete(staff, number)
    finally:
        context.close()
    assert policy.startswith(f"04{today().year}") and len(policy) == 14
