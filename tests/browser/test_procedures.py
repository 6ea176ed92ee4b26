"""What a person does in a procedure (manual 2-3) and in Web申込状況一覧 (4-3, 4-4), with JavaScript
on and off, checked for accessibility on every new screen. The procedure walked is B01 海外商社新規登録:
it has every kind of question (text, lists, radios, a date, a checkbox), conditional questions and a
conditional step."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from nexi.clock import today
from tests.browser.conftest import click_to, login, text
from tests.support.files import pdf

B01 = "海外商社新規登録"
NAME = "PACIFIC RIM TEST TRADING LTD."
STEPS = ["名称・所在地", "本店・支店と企業情報", "名簿区分と信用調査報告書", "取引予定"]
BAR = ["手続きの流れ", *STEPS, "申込内容確認", "申込完了"]
NUMBER = re.compile(r"W\d{14}")
SIZES = (".panel__number", ".panel--success p:not(.panel__number)")
CURRENT = "（現在のステップ）"  # read out after the current step of the step bar


def title(screen: str) -> str:
    return f"{B01}（{screen}）"


def next_step(ui, to: str) -> None:
    """The step's primary button (次へ, or 確認画面へ on the last step)."""
    click_to(ui, ".step-form .button-row .button--primary", title(to))


def start(ui) -> None:
    login(ui)
    click_to(ui, f"button:text-is('{B01}')", title("手続きの流れ"))


def fill_name(ui, name: str = NAME) -> None:
    ui.fill("#name_en", name)
    ui.select_option("#country", "304")
    ui.fill("#address", "1 Main Street")
    ui.fill("#city", "Seattle")


def fill_company(ui) -> None:
    ui.get_by_label("本店", exact=True).check()
    ui.select_option("#industry", "商社")
    ui.fill("#established", "1990")


def fiscal_end():
    return today() - timedelta(days=90)  # 直近決算期末日 must be within 18 months


def fill_report(ui) -> None:
    ui.get_by_label("E（民間企業）").check()  # with JavaScript, reveals 直近決算期末日
    ui.fill("#fiscal_end", fiscal_end().isoformat())
    ui.get_by_label("NEXIに取得を依頼").check()  # reveals the fee acknowledgement
    ui.get_by_label("信用調査報告書の取得費用は申込者の負担となることを了承します").check()


def fill_plan(ui) -> None:
    ui.select_option("#product", "01")
    ui.fill("#planned_amount", "100,000")
    ui.select_option("#planned_currency", "USD")
    ui.select_option("#payment_terms", "L/C（信用状）")
    ui.fill("#usance", "90")


FILL = dict(zip(STEPS, [fill_name, fill_company, fill_report, fill_plan], strict=True))


def reach_confirm(ui, each_screen=lambda: None) -> str:
    """From the user page to 申込内容確認 of B01 with valid answers; the Web申込番号."""
    click_to(ui, f"button:text-is('{B01}')", title("手続きの流れ"))
    each_screen()
    click_to(ui, "button:text-is('入力を始める')", title(STEPS[0]))
    for step, following in zip(STEPS, [*STEPS[1:], "申込内容確認"], strict=True):
        each_screen()
        FILL[step](ui)
        next_step(ui, following)
    ui.wait_for_selector("form.confirm-form")
    return text(ui.locator(".panel__lead .number"))


def step_bar(ui) -> tuple[list[str], str]:
    """(every step listed, the step marked current) — as read out, without the hidden suffix."""
    items = [" ".join(t.split()).removesuffix(CURRENT) for t in ui.locator("ol.steps li").all_text_contents()]
    current = ui.locator("ol.steps li[aria-current='step']")
    assert current.count() == 1 and CURRENT in current.text_content()
    return items, current.text_content().removesuffix(CURRENT).strip()


def summary(ui) -> dict[str, dict[str, str]]:
    """申込内容確認 as the user reads it: group heading → {label: value}."""
    return {
        text(group.locator("h2")): {
            text(row.locator("dt")): text(row.locator("dd")) for row in group.locator(".summary-list > div").all()
        }
        for group in ui.locator("section.summary-group").all()
    }


def error_of(ui, field: str) -> str:
    """The message shown under a field (screen readers hear it after a hidden 「エラー：」)."""
    shown = ui.locator(f"#{field}-error")
    assert shown.locator(".visually-hidden").text_content() == "エラー："
    return " ".join(shown.text_content().split()).removeprefix("エラー：")


def application_row(ui, number: str):
    return ui.locator("#application-list tbody tr", has_text=number)


def test_register_a_buyer_from_the_menu_to_the_application_list(ui, check_accessibility):
    login(ui)
    if ui.js:  # a mark that only survives if every screen below is swapped in, never a new page
        ui.evaluate("window.stillTheSamePage = true")
    screens = []

    def each_screen():
        screens.append(text(ui.locator("h1")))
        assert title(step_bar(ui)[1]) == screens[-1]
        check_accessibility(ui)

    number = reach_confirm(ui, each_screen)
    assert screens == [title(screen) for screen in BAR[:5]]
    assert NUMBER.fullmatch(number)
    assert step_bar(ui) == (BAR, "申込内容確認")
    day = fiscal_end()
    groups = summary(ui)
    assert list(groups) == STEPS  # grouped by step, in order
    assert groups["名称・所在地"]["英文名称"] == NAME
    assert groups["名称・所在地"]["国"] == "アメリカ合衆国（304）"
    assert groups["名称・所在地"]["都市"] == "Seattle"
    assert groups["本店・支店と企業情報"]["本店・支店区分"] == "本店"
    assert groups["本店・支店と企業情報"]["設立年"] == "1990"
    assert "本店バイヤーコード" not in groups["本店・支店と企業情報"]  # does not apply to a 本店
    assert groups["名簿区分と信用調査報告書"]["希望名簿区分"] == "E（民間企業）"
    assert groups["名簿区分と信用調査報告書"]["直近決算期末日"] == f"{day.year}年{day.month}月{day.day}日"
    assert groups["名簿区分と信用調査報告書"]["信用調査報告書"] == "NEXIに取得を依頼"
    assert groups["取引予定"]["予定契約金額"] == "100,000"
    assert groups["取引予定"]["予定契約金額の通貨"] == "USD"
    check_accessibility(ui)

    click_to(ui, ".confirm-form .button-row button:text-is('申込む')", title("申込完了"))
    assert text(ui.locator(".panel__number")) == number
    big, body = (ui.locator(s).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") for s in SIZES)
    assert big >= 1.5 * body  # shown prominently
    assert "NEXIによる確認が必要です" in text(ui.locator("#screen"))
    assert step_bar(ui) == (BAR, "申込完了")
    check_accessibility(ui)

    click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
    row = application_row(ui, number)
    assert row.count() == 1
    assert text(row.locator(".tag--status")) == "申込済"
    assert B01 in text(row) and NAME in text(row)
    check_accessibility(ui)
    if ui.js:
        assert ui.evaluate("window.stillTheSamePage") is True


def test_the_step_bar_lists_the_steps_that_apply_to_the_answers(ui, check_accessibility):
    start(ui)
    assert step_bar(ui) == (BAR, "手続きの流れ")
    click_to(ui, "button:text-is('入力を始める')", title("名称・所在地"))
    assert step_bar(ui) == (BAR, "名称・所在地")
    assert ui.locator("ol.steps li.steps__done").all_text_contents() == ["手続きの流れ"]
    fill_name(ui)
    next_step(ui, "本店・支店と企業情報")
    # A bank's branch whose head office is not registered adds 本店の同時登録.
    ui.get_by_label("支店", exact=True).check()
    ui.get_by_label("未登録（本店を同時に登録する：銀行の支店のみ）").check()
    ui.select_option("#industry", "銀行")
    ui.fill("#established", "1950")
    next_step(ui, "本店の同時登録")
    with_head = [*BAR[:3], "本店の同時登録", *BAR[3:]]
    assert step_bar(ui) == (with_head, "本店の同時登録")
    check_accessibility(ui)
    click_to(ui, ".step-form .button-row button:text-is('戻る')", title("本店・支店と企業情報"))
    ui.get_by_label("本店", exact=True).check()
    next_step(ui, "名簿区分と信用調査報告書")
    assert step_bar(ui) == (BAR, "名簿区分と信用調査報告書")


def test_back_keeps_the_input_and_an_error_is_shown_next_to_the_field(ui, check_accessibility):
    start(ui)
    click_to(ui, "button:text-is('入力を始める')", title("名称・所在地"))
    fill_name(ui)
    next_step(ui, "本店・支店と企業情報")
    ui.get_by_label("本店", exact=True).check()
    ui.select_option("#industry", "商社")  # 設立年 left empty: 戻る does not check the step

    click_to(ui, ".step-form .button-row button:text-is('戻る')", title("名称・所在地"))
    assert ui.input_value("#name_en") == NAME and ui.input_value("#country") == "304"
    assert ui.input_value("#city") == "Seattle"
    next_step(ui, "本店・支店と企業情報")
    assert ui.get_by_label("本店", exact=True).is_checked()
    assert ui.input_value("#industry") == "商社"
    assert ui.locator(".error-summary").count() == 0

    click_to(ui, ".back-link button:text-is('<<前の画面に戻る')", title("名称・所在地"))
    assert ui.input_value("#name_en") == NAME and ui.input_value("#address") == "1 Main Street"

    ui.fill("#name_en", "")
    ui.fill("#address", "東京都千代田区1-1")
    ui.click(".step-form .button-row button:text-is('次へ')")
    ui.wait_for_selector(".error-summary")
    assert text(ui.locator("h1")) == title("名称・所在地")
    assert ui.title().startswith("エラー：")
    assert error_of(ui, "name_en") == "英文名称を入力してください"
    assert error_of(ui, "address") == "住所は半角英数字・記号で入力してください"
    assert ui.locator("#name_en").get_attribute("aria-invalid") == "true"
    summary_links = [text(link) for link in ui.locator(".error-summary a").all()]
    assert summary_links == ["英文名称を入力してください", "住所は半角英数字・記号で入力してください"]
    assert ui.locator(".error-summary a").first.get_attribute("href") == "#name_en"
    # what was typed elsewhere is kept, the wrong answer too
    assert ui.input_value("#address") == "東京都千代田区1-1"
    assert ui.input_value("#country") == "304" and ui.input_value("#city") == "Seattle"
    check_accessibility(ui)

    ui.fill("#name_en", NAME)
    ui.fill("#address", "1 Main Street")
    next_step(ui, "本店・支店と企業情報")


def test_attach_a_report_and_see_it_at_the_confirmation(ui, check_accessibility):
    # The step's form is multipart; with JavaScript, htmx sends it with the navigation and CSRF
    # tokens of the page (the form swapped in carries none of its own).
    start(ui)
    click_to(ui, "button:text-is('入力を始める')", title(STEPS[0]))
    fill_name(ui)
    next_step(ui, STEPS[1])
    fill_company(ui)
    next_step(ui, STEPS[2])
    ui.get_by_label("E（民間企業）").check()
    ui.fill("#fiscal_end", fiscal_end().isoformat())
    ui.get_by_label("添付する").check()
    ui.fill("#issuer", "Dun & Bradstreet")
    ui.fill("#report_date", (today() - timedelta(days=30)).isoformat())
    ui.get_by_label("英語").check()
    ui.set_input_files("#report_files", {"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf()})
    check_accessibility(ui)
    next_step(ui, STEPS[3])
    fill_plan(ui)
    next_step(ui, "申込内容確認")
    assert summary(ui)["名簿区分と信用調査報告書"]["信用調査報告書のファイル"] == "report.pdf"


def test_correct_a_group_from_the_confirmation(ui, check_accessibility):
    login(ui)
    number = reach_confirm(ui)
    click_to(ui, "button[aria-label='本店・支店と企業情報を修正する']", title("本店・支店と企業情報"))
    assert step_bar(ui)[1] == "本店・支店と企業情報"
    assert ui.get_by_label("本店", exact=True).is_checked()
    assert ui.input_value("#industry") == "商社" and ui.input_value("#established") == "1990"
    check_accessibility(ui)

    ui.fill("#established", "1985")
    next_step(ui, "申込内容確認")  # straight back to 確認 after a correction
    assert text(ui.locator(".panel__lead .number")) == number  # saved again under the same number
    assert summary(ui)["本店・支店と企業情報"]["設立年"] == "1985"
    assert summary(ui)["名称・所在地"]["英文名称"] == NAME


def test_leave_at_the_confirmation_and_resume_from_the_application_list(ui, check_accessibility):
    login(ui)
    number = reach_confirm(ui)
    click_to(ui, ".site-header button:text-is('ユーザーページ')", "ユーザーページ")
    click_to(ui, "button:text-is('Web申込状況一覧')", "Web申込状況一覧")
    row = application_row(ui, number)
    assert text(row.locator(".tag--status")) == "一時保存"

    click_to(ui, f"#application-list tr:has(th:text-is('{number}')) button:text-is('照会')", "申込内容照会")
    assert text(ui.locator("dd.number")) == number
    check_accessibility(ui)
    click_to(ui, ".actions button:text-is('再開')", title("申込内容確認"))
    assert text(ui.locator(".panel__lead .number")) == number
    assert summary(ui)["名称・所在地"]["英文名称"] == NAME
    check_accessibility(ui)

    click_to(ui, ".confirm-form .button-row button:text-is('申込む')", title("申込完了"))
    assert text(ui.locator(".panel__number")) == number
    click_to(ui, "button:text-is('Web申込状況一覧へ')", "Web申込状況一覧")
    assert text(application_row(ui, number).locator(".tag--status")) == "申込済"


def _company_step(ui):
    start(ui)
    click_to(ui, "button:text-is('入力を始める')", title("名称・所在地"))
    fill_name(ui)
    next_step(ui, "本店・支店と企業情報")
    registered = ui.locator(".question", has=ui.locator("#head_registered-0"))
    code = ui.locator(".question", has=ui.locator("#head_office_code"))
    return registered, code


def shown(question) -> bool:
    return question.is_visible() and "is-hidden" not in question.get_attribute("class")


def test_the_head_office_code_is_asked_only_for_a_branch_of_a_registered_head_office(ui):
    registered, code = _company_step(ui)
    if not ui.js:  # every question stays visible: the server ignores those that do not apply
        assert shown(registered) and shown(code)
    else:
        ui.get_by_label("本店", exact=True).check()
        assert not shown(registered) and not shown(code)
        ui.get_by_label("支店", exact=True).check()
        assert shown(registered) and not shown(code)
        ui.get_by_label("登録済み（本店バイヤーコードを入力）").check()
        assert shown(code)
        ui.get_by_label("本店", exact=True).check()
        assert not shown(registered) and not shown(code)

    ui.get_by_label("支店", exact=True).check()
    ui.get_by_label("登録済み（本店バイヤーコードを入力）").check()
    assert shown(code)
    ui.fill("#head_office_code", "304000101")
    ui.select_option("#industry", "商社")
    ui.fill("#established", "1990")
    next_step(ui, "名簿区分と信用調査報告書")
    click_to(ui, ".step-form .button-row button:text-is('戻る')", title("本店・支店と企業情報"))
    assert ui.input_value("#head_office_code") == "304-000101"  # as normalised by the server
    assert shown(code)  # its answer is kept, so it is shown again


@pytest.mark.parametrize("js", [True], ids=["js"])
def test_conditional_questions_start_hidden_on_a_step_shown_by_htmx(ui):
    registered, code = _company_step(ui)
    assert not shown(registered) and not shown(code)


def test_field_help_opens_next_to_the_label_and_the_screen_help_is_top_right(ui):
    start(ui)
    click_to(ui, "button:text-is('入力を始める')", title("名称・所在地"))
    help_of = ui.locator(".form-group", has=ui.locator("#name_en")).locator("details.help")
    popup = help_of.locator(".help__popup")
    assert not popup.is_visible()
    help_of.locator("summary").click()
    assert help_of.get_attribute("open") is not None
    assert popup.is_visible()
    assert text(popup.locator(".help__title")) == "英文名称"
    if ui.js:  # one popup at a time; Escape closes it and gives the focus back to its 「？」
        other = ui.locator(".form-group", has=ui.locator("#country")).locator("details.help")
        other.locator("summary").click()
        expect(ui.locator("details.help[open]")).to_have_count(1)
        assert other.get_attribute("open") is not None
        ui.keyboard.press("Escape")
        expect(ui.locator("details.help[open]")).to_have_count(0)
        assert ui.evaluate("document.activeElement.classList.contains('help__toggle')")

    link = ui.locator(".screen-head a.screen-help")
    assert text(link).startswith("ヘルプ") and link.get_attribute("target") == "_blank"
    head, h1, box = (
        ui.locator(sel).bounding_box() for sel in (".screen-head", ".screen-head h1", ".screen-head a.screen-help")
    )
    assert box["x"] > h1["x"] + h1["width"]  # to the right of the heading…
    assert abs((box["x"] + box["width"]) - (head["x"] + head["width"])) < 2  # …at the right edge
    assert box["y"] < h1["y"] + h1["height"]  # …on the heading's line


def test_an_invalid_search_period_is_explained_next_to_the_field(ui, check_accessibility):
    login(ui)
    click_to(ui, "button:text-is('Web申込状況一覧')", "Web申込状況一覧")
    if ui.locator("details.search-panel[open]").count() == 0:
        ui.click("summary:text-is('検索条件')")
    day = today()
    start_day, end_day = day.isoformat(), (day - timedelta(days=10)).isoformat()
    ui.fill("#date_from", start_day)
    ui.fill("#date_to", end_day)
    ui.click(".search-form button:text-is('検索')")
    ui.wait_for_selector(".error-summary")
    message = "申込日（To）は申込日（From）以降の日付を入力してください"
    assert error_of(ui, "date_to") == message
    assert [text(link) for link in ui.locator(".error-summary a").all()] == [message]
    assert ui.input_value("#date_from") == start_day and ui.input_value("#date_to") == end_day
    assert ui.locator("details.search-panel[open]").count() == 1
    check_accessibility(ui)


def test_a_search_lists_what_matches_and_keeps_the_criteria(ui, check_accessibility):
    login(ui)
    click_to(ui, "button:text-is('Web申込状況一覧')", "Web申込状況一覧")
    if ui.js:  # with htmx only the list is replaced: the page and the form stay
        ui.evaluate("window.stillTheSamePage = true")
    if ui.locator("details.search-panel[open]").count() == 0:
        ui.click("summary:text-is('検索条件')")
    ui.select_option("#procedure", label="格付変更申請")
    ui.click(".search-form button:text-is('検索')")
    expect(ui.locator("#application-list tbody tr").first).to_contain_text("格付変更申請")
    kinds = {text(cell) for cell in ui.locator("#application-list tbody td:nth-child(2)").all()}
    assert kinds == {"格付変更申請"}
    assert ui.eval_on_selector("#procedure", "select => select.options[select.selectedIndex].text") == "格付変更申請"
    if ui.js:
        assert ui.evaluate("window.stillTheSamePage") is True
    check_accessibility(ui)


@pytest.mark.parametrize("js", [True], ids=["js"])
def test_ids_stay_unique_when_a_screen_is_swapped_in(ui):
    start(ui)
    ids = ui.evaluate("() => [...document.querySelectorAll('[id]')].map(element => element.id)")
    assert sorted({name for name in ids if ids.count(name) > 1}) == []
