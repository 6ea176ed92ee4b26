"""5-2 保険契約 and 5-3 個別保証枠 as people use them, JavaScript on and off: a policy of the customer's
(made with the contract-book factories) found by its 証券番号, its detail with the 決済スケジュール and
the way back; the customer's own 使用額 on the buyer in 5-3 and its detail."""

from datetime import date
from decimal import Decimal

from tests.browser.conftest import click_to, login, text
from tests.http.inquiry.test_policies import made
from tests.support import contracts

ZETA = "304-990001"


def covered(app) -> str:
    """A policy of USD 3,000.00 in two 決済期限 whose credit cover used a 確認 at ¥150 (¥450,000)."""

    def make():
        mine, user = contracts.customers(1)[0]
        zeta = contracts.registered_buyer(ZETA, "304", "EA", name="ZETA MACHINES LTD", limit_amount=10**9)
        confirmation = contracts.confirmation(zeta, mine, 500_000, rate=Decimal("150"))
        row = contracts.covered_policy(
            mine, user, zeta, confirmation, [(date(2026, 8, 1), 100_000), (date(2026, 9, 1), 200_000)]
        )
        return row.number

    return made(app, make)


def test_a_policy_found_with_its_detail_and_the_own_use_of_the_limit(app, ui, check_accessibility):
    number = covered(app)
    login(ui, "demo-user")
    click_to(ui, "button:text-is('各種情報照会')", "各種情報照会")
    click_to(ui, ".inquiry-list button:text-is('保険契約')", "保険契約")
    click_to(ui, "button:text-is('検索')", "保険契約")
    assert "いずれか1つ以上を指定してください" in text(ui.locator(".error-summary"))
    ui.fill("#number", number)
    ui.click("button:text-is('検索')")
    ui.wait_for_selector("table.table--inquiry-policies")
    check_accessibility(ui)
    row = text(ui.locator("table.table--inquiry-policies tbody tr"))
    assert row.startswith(f"{number}-00 貿易一般保険（個別） 304-990001 ZETA MACHINES LTD")
    assert "3,000.00" in row and "2026/09/01" in row
    click_to(ui, f"table.table--inquiry-policies button:text-is('{number}-00')", "保険契約（詳細）")
    schedule = text(ui.locator("table.table--policy-schedule"))
    assert "2026/08/01 1,000.00" in schedule and "2026/09/01 2,000.00" in schedule
    assert "支払人 304-990001 ZETA MACHINES LTD" in text(ui.locator(".policy-parties"))
    check_accessibility(ui)
    click_to(ui, "button:text-is('戻る')", "保険契約")
    assert ui.input_value("#number") == number
    click_to(ui, "button:text-is('各種情報照会へ戻る')", "各種情報照会")
    click_to(ui, ".inquiry-list button:text-is('個別保証枠')", "個別保証枠")
    line = text(ui.locator("table.table--inquiry-limits tbody tr", has_text=ZETA))
    assert line.endswith("枠あり 300,000 450,000")  # 予約額: the 確認's rest; 使用額: the policy's
    check_accessibility(ui)
    click_to(ui, f"table.table--inquiry-limits button:text-is('{ZETA}')", "個別保証枠（詳細）")
    assert "450,000円" in text(ui.locator(".limit-detail"))
    assert f"{number}-00" in text(ui.locator("table.table--own-limit-policies"))
    click_to(ui, "button:text-is('戻る')", "個別保証枠")
