"""2-5 操作上の注意事項 in a real browser: back, forward, refresh, a typed or bookmarked address, a
second tab and a double click are each detected on the server and not carried out. The user sees
the current screen with a notice (#messages .message) naming what happened — with JavaScript on
and off, unless a case only exists in one of them."""

import re
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import login, text
from tests.browser.test_procedures import NAME, application_row, click_to, reach_confirm, title

HISTORY = "ブラウザの「戻る」「進む」「更新」ボタンによる画面遷移が行われました。"
TYPED = "URLの直接入力、お気に入り（ブックマーク）または履歴からの画面遷移が行われました。"
AWAY = "ブラウザの「戻る」「進む」ボタン、URLの直接入力、お気に入り（ブックマーク）または履歴による画面遷移が行われました。"
STALE = "ブラウザの「戻る」「進む」ボタンで表示した以前の画面から操作が行われたため、その操作は実行されませんでした。"
OTHER_TAB = "複数のタブ・ウィンドウで操作が行われたため、その操作は実行されませんでした。"
DUPLICATE = "同じ操作が重ねて送信されました（ボタンの二度押し、または再送信）。"
SUBMIT = ".confirm-form .button-row button:text-is('申込む')"


def h1(page) -> str:
    return text(page.locator("h1"))


def notices(page) -> list[str]:
    return [text(message) for message in page.locator("#messages .message").all()]


def open_notice(ui) -> str:
    """User page → 掲載中のお知らせ一覧 → the first notice; its title."""
    click_to(ui, "button:text-is('掲載中のお知らせ一覧')", "掲載中のお知らせ一覧")
    ui.locator("#notice-list tbody button").first.click()
    ui.wait_for_selector("h1:text-is('お知らせ')")
    assert notices(ui) == []
    return text(ui.locator(".notice__title"))


def open_list(ui) -> int:
    """Web申込状況一覧 from wherever the user is (via the user page); how many it lists."""
    if h1(ui) != "ユーザーページ":
        click_to(ui, ".site-header button:text-is('ユーザーページ')", "ユーザーページ")
    click_to(ui, "button:text-is('Web申込状況一覧')", "Web申込状況一覧")
    found = re.match(r"(\d+)件中", text(ui.locator(".result-count")))
    return int(found[1]) if found else 0


def shown_from_the_cache(ui, html: str) -> None:
    """The browser's next page load shows `html` without asking the server, as a browser does when
    it shows an old page from its cache. (Chromium here asks the server again — the pages say
    no-store — so the cache is played by the test.)"""
    ui.route(
        lambda url: urlparse(url).path in ("/", "/login"),
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
        times=1,
    )


def test_back_shows_the_current_screen_with_a_notice(ui):
    login(ui)
    notice_title = open_notice(ui)
    ui.go_back()
    assert h1(ui) == "お知らせ" and text(ui.locator(".notice__title")) == notice_title
    # Without JavaScript every screen is a history entry of "/"; with it, the entry before the
    # portal is the login page, whose notice names back and typed addresses alike.
    assert notices(ui)[0].startswith(AWAY if ui.js else HISTORY)
    assert "「戻る」" in notices(ui)[0]
    click_to(ui, "button:text-is('お知らせ一覧へ')", "掲載中のお知らせ一覧")  # the screen still works
    assert notices(ui) == []


def test_forward_after_back_shows_the_current_screen_with_a_notice(ui):
    login(ui)
    notice_title = open_notice(ui)
    ui.go_back()
    ui.go_forward()
    assert h1(ui) == "お知らせ" and text(ui.locator(".notice__title")) == notice_title
    assert notices(ui)[0].startswith(HISTORY)
    click_to(ui, "button:text-is('お知らせ一覧へ')", "掲載中のお知らせ一覧")
    assert notices(ui) == []


def test_an_old_page_shown_again_by_the_browser_cannot_act(ui):
    login(ui)
    number = reach_confirm(ui)
    old_page = ui.content()
    click_to(ui, "button[aria-label='名称・所在地を修正する']", title("名称・所在地"))
    shown_from_the_cache(ui, old_page)
    ui.go_back()
    assert h1(ui) == title("申込内容確認")  # the old page, as the browser kept it

    ui.click(SUBMIT)
    ui.wait_for_selector("#messages .message")
    assert h1(ui) == title("名称・所在地")  # the current screen, as the user left it
    assert ui.input_value("#name_en") == NAME
    shown = notices(ui)
    assert shown[0].startswith(STALE) and "「戻る」" in shown[0]
    assert "一時保存" in shown[1] and number in shown[1]

    open_list(ui)  # nothing was submitted
    assert text(application_row(ui, number).locator(".tag--status")) == "一時保存"


def test_refresh_shows_the_same_screen_with_a_notice(ui):
    login(ui)
    click_to(ui, "button:text-is('掲載中のお知らせ一覧')", "掲載中のお知らせ一覧")
    first_notice = text(ui.locator("#notice-list tbody button").first)
    ui.reload()
    assert h1(ui) == "掲載中のお知らせ一覧"
    assert text(ui.locator("#notice-list tbody button").first) == first_notice
    assert len(notices(ui)) == 1 and "「更新」" in notices(ui)[0]
    ui.locator("#notice-list tbody button").first.click()
    ui.wait_for_selector("h1:text-is('お知らせ')")
    assert notices(ui) == []


@pytest.mark.parametrize("address", ["/", "/notices", "/buyers/register"])
def test_a_typed_or_bookmarked_address_shows_the_current_screen(ui, address):
    login(ui)
    click_to(ui, "button:text-is('掲載中のお知らせ一覧')", "掲載中のお知らせ一覧")
    ui.goto(address)
    assert urlparse(ui.url).path == "/"  # the portal's one address
    assert h1(ui) == "掲載中のお知らせ一覧"
    assert len(notices(ui)) == 1 and notices(ui)[0].startswith(TYPED) and "URL" in notices(ui)[0]
    click_to(ui, ".site-header button:text-is('ユーザーページ')", "ユーザーページ")


def test_a_duplicated_tab_makes_the_first_one_unable_to_act(ui):
    login(ui)
    second = ui.context.new_page()
    second.goto("/")
    assert h1(second) == "ユーザーページ" and notices(second)

    ui.click("button:text-is('掲載中のお知らせ一覧')")
    ui.wait_for_selector("#messages .message")
    assert h1(ui) == "ユーザーページ"  # the click was not carried out
    assert notices(ui)[0].startswith(OTHER_TAB)
    assert "1つのタブ・ウィンドウ" in notices(ui)[0]

    click_to(second, "button:text-is('掲載中のお知らせ一覧')", "掲載中のお知らせ一覧")
    assert notices(second) == []  # the tab opened last goes on
    second.close()


def test_a_double_click_on_submit_applies_once(ui):
    login(ui)
    before = open_list(ui)
    click_to(ui, "button:text-is('ユーザーページへ戻る')", "ユーザーページ")
    number = reach_confirm(ui)
    ui.dblclick(SUBMIT)
    ui.wait_for_selector(f"h1:text-is('{title('申込完了')}')")
    assert text(ui.locator(".panel__number")) == number
    assert all(not message.startswith(STALE) for message in notices(ui))

    click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
    assert text(ui.locator(".result-count")).startswith(f"{before + 1}件中")
    row = application_row(ui, number)
    assert row.count() == 1 and text(row.locator(".tag--status")) == "申込済"


@pytest.mark.parametrize("js", [False], ids=["nojs"])
def test_a_form_sent_twice_is_carried_out_once(ui):
    """Without JavaScript nothing stops the browser from sending the form again (a click while the
    first answer is awaited, a re-sent POST): both arrive with the same navigation token."""
    login(ui)
    before = open_list(ui)
    click_to(ui, "button:text-is('ユーザーページへ戻る')", "ユーザーページ")
    number = reach_confirm(ui)
    form = ui.locator("form.confirm-form")
    sent = {name: form.locator(f"input[name={name}]").input_value() for name in ("csrf_token", "_nav")}
    answers = [
        ui.context.request.post("/procedure/confirm", form={**sent, "action": "submit"}, max_redirects=0)
        for _ in range(2)
    ]
    assert [answer.status for answer in answers] == [303, 303]
    ui.goto(answers[-1].headers["location"])  # the browser follows the last answer
    assert h1(ui) == title("申込完了")
    assert text(ui.locator(".panel__number")) == number
    assert notices(ui)[0].startswith(DUPLICATE) and "最初の送信の結果を表示しています" in notices(ui)[0]

    click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
    assert text(ui.locator(".result-count")).startswith(f"{before + 1}件中")
    row = application_row(ui, number)
    assert row.count() == 1 and text(row.locator(".tag--status")) == "申込済"


def test_a_misuse_in_a_procedure_says_the_draft_is_kept(ui):
    login(ui)
    number = reach_confirm(ui)
    ui.reload()
    assert h1(ui) == title("申込内容確認")
    assert text(ui.locator(".panel__lead .number")) == number
    shown = notices(ui)
    assert shown[0].startswith(HISTORY) and "「更新」" in shown[0]
    assert "一時保存" in shown[1] and number in shown[1] and "Web申込状況一覧" in shown[1]

    click_to(ui, SUBMIT, title("申込完了"))  # and the procedure goes on from there
    assert text(ui.locator(".panel__number")) == number
