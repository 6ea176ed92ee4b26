"""§11 事故 in a browser, JavaScript on and off (DOMAIN.md 11-1, 11-2, 11-3, S.3, 5-4), in one piece:
the customer files A01 損失等発生通知 on an unsettled 決済期限 of its own policy (made with the
contract-book factories) and NEXI 受理 it; 5-4 shows the 事故 with its 事故番号, 状況 and 未回収残額;
an A02 入金通知 of part of the 元本 completes at once and lowers it; an A03 猶予期間設定申請 approved by
NEXI for a date before the one asked moves the 請求期限, and 5-4's detail shows the 猶予 history."""

from datetime import date

import pytest

from tests.browser.conftest import click_to, login, staff_window, text
from tests.browser.test_ia1 import complete, primary, submit
from tests.http.inquiry.test_policies import made
from tests.support import contracts

A01, A02, A03 = "損失等発生通知", "入金通知", "保険金請求期間の猶予期間設定申請"
POST = "船積後損失等発生通知"


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    # 45 days after the first 決済期限 (2026-08-01): the A01 is on time; cause 12 makes the 請求開始日
    # three months after it (11-01), so the 事故 is 受理, its 請求期限 nine months after (2027-05-01).
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


def own_policy(app) -> str:
    """A USD 60,000.00 policy of the demo customer in two unsettled 決済期限: its 証券番号・枝番."""

    def make():
        mine, _user = contracts.customers(1)[0]
        row = contracts.policy(mine, contracts.buyer_with_limit(3_000_000_000), amount=6_000_000)
        contracts.add_instalments(row, [(date(2026, 8, 1), 3_000_000), (date(2026, 9, 1), 3_000_000)])
        return f"{row.number}-{row.branch}"

    return made(app, make)


def after_completion(ui) -> None:
    """From a 申込完了 (maybe while NEXI worked on it) to the user page."""
    ui.goto("/")  # the customer's one address: the current screen again
    click_to(ui, "button:text-is('ユーザーページへ')", "ユーザーページ")


def open_losses(ui) -> None:
    """From the user page to 5-4."""
    click_to(ui, "button:text-is('各種情報照会')", "各種情報照会")
    click_to(ui, ".inquiry-list button:text-is('事故')", "事故")


def leave_losses(ui) -> None:
    """From 5-4's list back to the user page."""
    click_to(ui, "button:text-is('各種情報照会へ戻る')", "各種情報照会")
    click_to(ui, "button:text-is('ユーザーページへ戻る')", "ユーザーページ")


def loss_line(ui, number: str) -> str:
    return text(ui.locator("table.table--inquiry-losses tbody tr", has_text=number))


def file_notice(ui, key: str, check_accessibility) -> str:
    click_to(ui, f"#area-accidents button:text-is('{A01}')", f"{A01}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{A01}（対象の保険と通知区分）")
    ui.select_option("#policy_number", key)
    ui.get_by_label(POST, exact=True).check()
    primary(ui, f"{A01}（事故の内容）")
    ui.select_option("#instalment", "1")
    ui.select_option("#cause", "12")
    ui.fill("#expected_loss", "30,000.00")
    ui.fill("#unpaid", "30,000.00")
    ui.fill("#history", "決済期限に支払がなく、督促を続けています。")
    ui.fill("#recovery", "分割での返済を交渉中です。")
    ui.get_by_label("無", exact=True).check()
    check_accessibility(ui)
    primary(ui, f"{A01}（申込内容確認）")
    shown = text(ui.locator("#screen"))
    assert key in shown and POST in shown and "30,000.00" in shown
    assert "通知期限" not in shown  # on time: the 45th day
    check_accessibility(ui)
    number = submit(ui, A01)
    assert number.startswith("W")
    return number


def test_a_loss_notified_accepted_paid_in_part_and_extended(app, ui, browser, live_server, js, check_accessibility):
    key = own_policy(app)
    login(ui, "demo-user")
    web = file_notice(ui, key, check_accessibility)

    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        loss = complete(staff, web)  # 受理: the result's first line is the 事故番号
        assert loss.startswith("A2026")

        after_completion(ui)
        open_losses(ui)
        assert loss_line(ui, loss) == (
            f"{loss} {key} {POST} 決済期限 2026/08/01 USD 30,000.00 USD 0.00 USD 30,000.00 2026/11/01 2027/05/01 受理"
        )
        check_accessibility(ui)
        click_to(ui, f"table.table--inquiry-losses button:text-is('{loss}')", "事故（詳細）")
        assert text(ui.locator(".loss-state")) == "受理"
        assert text(ui.locator(".loss-outstanding")) == "USD 30,000.00"
        assert "猶予の履歴はありません。" in text(ui.locator("#screen"))
        check_accessibility(ui)

        click_to(ui, "button:text-is('戻る')", "事故")
        leave_losses(ui)

        # A02: flow A, recorded at once
        click_to(ui, f"#area-accidents button:text-is('{A02}')", f"{A02}（手続きの流れ）")
        click_to(ui, "button:text-is('入力を始める')", f"{A02}（対象の事故）")
        ui.select_option("#loss_number", loss)
        primary(ui, f"{A02}（入金の内容）")
        ui.fill("#received_on", "2026-09-15")
        ui.fill("#amount", "10,000.00")
        ui.select_option("#receipt_kind", "元本")
        primary(ui, f"{A02}（申込内容確認）")
        submit(ui, A02)
        assert "この手続きはWebサービス上で完了しました。" in text(ui.locator("#screen"))
        after_completion(ui)
        open_losses(ui)
        assert "USD 30,000.00 USD 10,000.00 USD 20,000.00 2026/11/01" in loss_line(ui, loss)

        leave_losses(ui)

        # A03: NEXI approves a date before the one asked
        click_to(ui, f"#area-accidents button:text-is('{A03}')", f"{A03}（手続きの流れ）")
        click_to(ui, "button:text-is('入力を始める')", f"{A03}（対象の事故）")
        ui.select_option("#loss_number", loss)
        primary(ui, f"{A03}（猶予の内容）")
        assert "現在の請求期限：2027年5月1日" in text(ui.locator("#screen"))
        ui.fill("#requested_until", "2027-08-31")
        ui.select_option("#reason", "交渉中")
        ui.fill("#detail", "支払人と分割返済を交渉中のため。")
        primary(ui, f"{A03}（申込内容確認）")
        a03 = submit(ui, A03)
        result = complete(staff, a03, fill=lambda: staff.fill("#approved_until", "2027-07-31"))
        assert result == loss
        assert "猶予後の請求期限 2027年7月31日" in text(staff.locator("#result-title + dl"))
    finally:
        context.close()

    after_completion(ui)
    open_losses(ui)
    assert loss_line(ui, loss).endswith("2026/11/01 2027/07/31 猶予あり 受理")
    click_to(ui, f"table.table--inquiry-losses button:text-is('{loss}')", "事故（詳細）")
    assert text(ui.locator(".loss-claim-until")) == "2027年07月31日 猶予あり"
    assert text(ui.locator(".loss-received")) == "USD 10,000.00"
    assert text(ui.locator(".loss-outstanding")) == "USD 20,000.00"
    history = text(ui.locator("table.table--loss-extensions tbody tr"))
    assert history == f"1 2027/05/01 2027/07/31 {a03} 2026/09/15"
    check_accessibility(ui)
    click_to(ui, "button:text-is('戻る')", "事故")
