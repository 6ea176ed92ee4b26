"""IA2 in a browser, JavaScript on and off (DOMAIN.md 9-5, S.3): a policy of the customer's (made
with the contract-book factories), a 金額増額 filed for it, NEXI's 完了 with the 追加保険料, and the
new 契約金額 in the result on Web申込状況一覧."""

from sqlmodel import select

from nexi import db
from nexi.clock import today
from nexi.models import Policy
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_ia1 import complete, primary, submit
from tests.browser.test_procedures import click_to
from tests.http.insurance.helpers import ia2_policy, made

IA2 = "貿易一般保険（個別） 変更"


def political_only(app, number: str) -> None:
    """船後 political cover only: the increment needs no 確認 (whose validity follows the real clock here)."""
    made(app, lambda: setattr(db.session().exec(select(Policy).where(Policy.number == number)).one(),
                              "post_commercial", 0))  # fmt: skip


def test_an_increase_filed_and_completed_shows_the_new_amount(app, ui, browser, live_server, js, check_accessibility):
    number = ia2_policy(app, covered=False)
    political_only(app, number)
    login(ui, "demo-user")
    click_to(ui, f"button:text-is('{IA2}')", f"{IA2}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{IA2}（対象・変更種別）")
    ui.select_option("#policy_number", number)
    assert ui.input_value("#branch") == "00"
    ui.fill("#occurred_on", today().isoformat())
    ui.fill("#reason", "追加発注により契約金額が増えたため")
    ui.get_by_label("金額増額").check()
    primary(ui, f"{IA2}（変更内容）")
    assert "現在の契約金額：USD 100,000.00" in text(ui.locator("#screen"))
    assert ui.locator("#new_destination").count() == 0  # only the chosen kind's fields
    check_accessibility(ui)
    ui.fill("#increased_amount", "105,000.00")
    primary(ui, f"{IA2}（申込内容確認）")
    web = submit(ui, IA2)
    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        complete(staff, web, fill=lambda: staff.fill("#premium_change", "8,000"))
    finally:
        context.close()
    ui.goto("/")
    click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
    row = ui.locator("#application-list tbody tr", has_text=web)
    assert text(row.locator(".tag--status")) == "完了" and IA2 in text(row)
    click_to(ui, f"#application-list button[value='{web}']", "申込内容照会")
    result = text(ui.locator("#result-title + dl"))
    assert "USD 100,000.00 → USD 105,000.00" in result and "追加保険料 8,000円" in result
