"""期限が近いお手続き (issue 20) in a browser, JavaScript on and off: with the business day fixed, the
customer's deadlines under ⑦ of the user page, soonest first with their days left, a button that
starts the procedure of one of them and, back on the user page, the same reminders."""

import pytest

from tests.browser.conftest import click_to, login, text
from tests.http.home.test_deadlines import made
from tests.support import contracts
from tests.support import deadlines as rows
from tests.support.contracts import empty_contract_book  # noqa: F401  (the demo's 確認 and policies out)

pytestmark = pytest.mark.usefixtures("empty_contract_book")

SHOWN = [
    ("2026年10月2日まで（残り1日）", "請求期限", "保険金請求期間の猶予期間設定申請"),
    ("2026年10月3日まで（残り2日）", "確認の有効期限", "貿易一般保険（個別） 申込"),
    ("2026年10月5日まで（残り4日）", "解除申請期限", "スリーピング候補バイヤー解除申請"),
    ("2026年10月7日まで（残り6日）", "損失等発生通知の期限", "損失等発生通知"),
    ("2026年10月9日まで（残り8日）", "更新申込期限", "特約年度更新"),
]


def reminders(page) -> list[tuple[str, str, str]]:
    items = page.locator(".home-deadlines .deadline-list__item")
    return [
        (
            text(item.locator(".deadline-list__due")),
            text(item.locator(".deadline-list__subject")).split("：")[0],
            text(item.locator("button")),
        )
        for item in items.all()
    ]


def test_the_user_page_shows_the_deadlines_coming_and_starts_their_procedures(
    app, ui, monkeypatch, check_accessibility
):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-10-01T10:00:00")
    (mine, user), (other, _other_user) = made(app, lambda: contracts.customers(2))
    made(app, lambda: rows.one_of_each(mine, user, other))
    login(ui)
    assert text(ui.locator("h1")) == "ユーザーページ"
    assert text(ui.locator("#deadlines-title")) == "期限が近いお手続き"
    assert reminders(ui) == SHOWN
    notice = text(ui.locator(".deadline-list__item--notice .deadline-list__subject"))
    assert notice.startswith("損失等発生通知の期限：証券番号 ") and notice.endswith(" 第1回決済期限（2026年8月23日）")
    check_accessibility(ui)

    click_to(ui, ".deadline-list__item--notice button", "損失等発生通知（手続きの流れ）")
    click_to(ui, "button:text-is('戻る')", "ユーザーページ")
    assert reminders(ui) == SHOWN
