"""IF1 in a browser, JavaScript on and off (DOMAIN.md 9-4 中小企業, C.7, S.3): an eligible customer
applies for 中小企業・農林水産業輸出代金保険 on pattern-2 screens (「終了」), 船後 only at the fixed
95/95, paid to a 質権者; NEXI completes it with a 06 policy."""

from nexi.clock import today
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_ia1 import complete, day, primary, submit
from tests.browser.test_procedures import click_to

IF1 = "中小企業・農林水産業輸出代金保険 申込"


def apply(ui) -> str:
    click_to(ui, f"button:text-is('{IF1}')", f"{IF1}（手続きの流れ）")
    assert text(ui.locator(".button--logout")) == "終了"
    click_to(ui, "button:text-is('入力を始める')", f"{IF1}（契約・当事者）")
    ui.get_by_label("11 輸出").check()
    ui.fill("#contracted_on", today().isoformat())
    ui.fill("#counterparty_code", "410-000801")
    ui.select_option("#destination", "410")
    primary(ui, f"{IF1}（貨物・金額・決済）")
    assert ui.locator("[name=cover], [name=fob]").count() == 0  # 船後 only
    ui.fill("#goods", "冷凍水産物")
    ui.select_option("#currency", "USD")
    ui.fill("#contract_amount", "100,000.00")
    ui.fill("#first_shipment_on", day(10))
    ui.fill("#last_shipment_on", day(20))
    ui.select_option("#settlement_method", "送金")
    ui.get_by_label("3 不均等").check()
    ui.fill("#settlement_count", "1")
    ui.fill("#usance_days", "90")
    click_to(ui, "button:text-is('行数を反映')", f"{IF1}（貨物・金額・決済）")
    ui.wait_for_selector("#schedule-0-amount")
    ui.fill("#schedule-0-due_on", day(60))
    ui.fill("#schedule-0-amount", "100,000.00")
    primary(ui, f"{IF1}（付保・確認）")
    assert ui.input_value("#post_political") == "95" and ui.input_value("#post_commercial") == "95"
    ui.get_by_label("質権者").check()
    ui.fill("#bank_name", "あおば銀行")
    primary(ui, f"{IF1}（申込内容確認）")
    assert "あおば銀行" in text(ui.locator("#screen"))
    acknowledge = ui.locator("input[name=acknowledge]")
    if acknowledge.count():
        acknowledge.check()
    return submit(ui, IF1)


def test_an_sme_applies_and_nexi_completes_a_06_policy(app, ui, browser, live_server, js):
    login(ui)
    number = apply(ui)
    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        policy = complete(staff, number)
    finally:
        context.close()
    assert policy.startswith(f"06{today().year}") and len(policy) == 14


def test_a_customer_that_is_not_eligible_sees_the_entry_without_a_link(ui, check_accessibility):
    """C.7: 東和トレーディング is neither 中小企業 nor 農林水産業, and holds no 特約, 包括保険契約 or 組合
    membership: those entries are listed, each with its reason and nothing to press."""
    login(ui, "other-admin")
    ui.wait_for_selector("h1:text-is('ユーザーページ')")
    area = ui.locator("#area-insurance")
    for label, reason in ((IF1, "中小企業・農林水産業の要件を満たしていません"),
                          ("企業総合保険 申込", "企業総合保険特約がありません"),
                          ("設備財包括保険 申込", "組合員資格がありません"),
                          ("簡易通知型包括保険 申込（船積確定通知）", "簡易通知型包括保険契約がありません")):  # fmt: skip
        item = area.locator(".menu-item", has=ui.locator(f".menu-item__label:text-is('{label}')"))
        assert text(item.locator(".menu-item__reason")) == f"（{reason}）"
        assert item.locator("button, a").count() == 0
    assert area.locator(f"button:text-is('{IF1}')").count() == 0
    check_accessibility(ui)
