"""K04 特約年度更新 in a browser, JavaScript on and off (DOMAIN.md 8-4, S.3, S.6): a 管理担当 issues the
更新案 of the demo 特約, demo-admin answers it (one row 削除, one buyer added), NEXI completes it and
the new 特約期間 shows on the staff 特約 page."""

from sqlmodel import select

from nexi import db
from nexi.models import Rider
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_ia1 import complete, primary, submit
from tests.browser.test_procedures import click_to

K04 = "特約年度更新"


def open_rider(staff, number: str) -> None:
    click_to(staff, ".site-header button:text-is('コンソール')", "職員コンソール")
    click_to(staff, "button:text-is('保険利用者（検索・新規登録）')", "保険利用者一覧")
    click_to(staff, "button.link-button:text-is('123456789')", "保険利用者詳細")
    click_to(staff, "button:text-is('登録情報（組合員資格・特約・包括保険契約）')", "登録情報")
    click_to(staff, f"button.link-button:text-is('{number}')", f"企業総合保険特約 {number}")


def test_staff_issue_the_admin_renews_and_nexi_opens_the_new_period(app, ui, browser, live_server, js, monkeypatch):
    with app.app_context():
        year = db.session().exec(select(Rider).where(Rider.number.like("T%00001"))).first().starts_on.year
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{year}-11-15T10:00:00")  # 更新案 from 10-31, 期限 11-30
    number, renewed = f"T{year}00001", f"T{year + 1}00001"
    context, manager = staff_window(browser, live_server, js, app, "demo-manager")
    try:
        open_rider(manager, number)
        click_to(manager, "button.renewal-button", f"更新案の作成 {number}")
        click_to(manager, ".step-form button:text-is('更新案を提示する')", f"更新案 {number}")
        assert text(manager.locator(".proposal-state")) == "提示中"
    finally:
        context.close()

    login(ui)
    click_to(ui, f"button:text-is('{K04}')", f"{K04}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{K04}（特約内容）")
    assert ui.input_value("#contact_name")
    ui.fill("#contact_phone", "03-1234-5678")
    ui.fill("#contact_email", "admin@example.com")
    primary(ui, f"{K04}（バイヤー）")
    assert ui.input_value("#rows-1-buyer_code") == "111-000301"
    ui.select_option("#rows-0-decision", "継続")
    ui.select_option("#rows-1-decision", "削除")
    ui.select_option("#rows-2-decision", "継続")
    ui.fill("#added_count", "1")
    click_to(ui, "button:text-is('行数を反映')", f"{K04}（バイヤー）")
    ui.wait_for_selector("#added-0-buyer_code")
    ui.fill("#added-0-buyer_code", "304-000101")
    ui.select_option("#added-0-destination", "304")
    ui.select_option("#added-0-settlement_method", "送金")
    ui.fill("#added-0-desired_limit", "80,000,000")
    primary(ui, f"{K04}（申込内容確認）")
    acknowledge = ui.locator("input[name=acknowledge]")
    if acknowledge.count():
        acknowledge.check()
    web = submit(ui, K04)

    context, reviewer = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        assert complete(reviewer, web) == renewed
    finally:
        context.close()

    context, manager = staff_window(browser, live_server, js, app, "demo-manager")
    try:
        open_rider(manager, renewed)
        assert text(manager.locator(".rider-period")) == f"{year + 1}/01/01～{year + 1}/12/31"
        assert text(manager.locator(".rider-state")) == "有効"
        codes = [text(cell) for cell in manager.locator("tr.rider-buyer-row th").all()]
        assert codes == ["105-000201", "304-000101", "304-000102"]  # 111-000301 削除, 304-000101 added
    finally:
        context.close()
