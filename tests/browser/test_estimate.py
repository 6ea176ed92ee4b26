"""⑭ 保険料試算 as people use it (DOMAIN.md §6), JavaScript on and off: an estimate with its chart,
and a refresh that shows the same result."""

import pytest

from tests.browser.conftest import login, settled, text
from tests.http.estimate.cases import NOW


@pytest.fixture
def fixed_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", NOW)


def open_estimate(page):
    login(page, "demo-admin")
    page.click("button:text-is('保険料試算')")
    page.wait_for_selector("h1:text-is('保険料試算')")


def fill_case_4(page):
    """6-3 case 4: 企業総合保険, 船積後のみ, USD, a buyer rated EM chosen from the list."""
    page.select_option("#product", "04")
    page.check("#scope-1")  # 船積後のみ
    page.select_option("#country", "304")
    page.check("#rating_mode-1")  # 格付を選択
    page.select_option("#rating", "EM")
    page.select_option("#currency", "USD")
    page.fill("#amount", "250,000.00")
    page.fill("#advance", "12,345.67")
    page.fill("#usance", "120")
    page.select_option("#post_political", "97.5")


def update_choices(page):
    """「付保率の選択肢を更新」, waiting until its answer is on the page (with JavaScript, htmx swaps
    the form: a choice made before the swap would be reset by it)."""
    with page.expect_response(lambda response: "/estimate/calculate" in response.url):
        page.click("button:text-is('付保率の選択肢を更新')")
    settled(page)


def estimate(page):
    page.click(".estimate-inputs .button-row button:text-is('試算する')")
    page.wait_for_selector(".estimate-result")


def test_an_estimate_shows_its_result_and_chart(ui, fixed_day, check_accessibility):
    open_estimate(ui)
    if ui.js:  # the 船積前 questions follow 付保範囲
        assert ui.locator("#fob").is_visible()
        ui.check("#scope-1")
        assert not ui.locator("#fob").is_visible()
    else:  # all shown, each saying when it applies
        assert ui.locator("#fob").is_visible()
        assert "「船積前＋船積後」の場合に入力します" in text(ui.locator("#fob-hint"))
    fill_case_4(ui)
    # 企業総合 offers 50 for an EM payer once the choices follow the product and rating
    update_choices(ui)
    ui.wait_for_selector("#post_commercial option[value='50']", state="attached")
    ui.select_option("#post_commercial", "50")
    estimate(ui)
    assert text(ui.locator(".estimate-total__amount")) == "25,693円"
    assert "試算結果は参考値です" in text(ui.locator(".estimate-result"))
    assert "35,648,149円" in text(ui.locator(".estimate-figures"))
    bars = ui.locator("svg[data-chart='ladder-post'] rect.estimate-chart__bar")
    assert bars.count() == 4
    widths = [float(bars.nth(index).get_attribute("width")) for index in range(4)]
    assert widths[0] < widths[1] and widths[2] < widths[1] and widths[3] == widths[2]  # ×1.5, ×0.7866…, ×1.00
    assert ui.locator("svg[data-chart='premium'] rect.estimate-chart__bar").count() == 1
    assert ui.locator("svg[data-chart='premium']").get_attribute("role") == "img"
    check_accessibility(ui)


def test_a_refresh_shows_the_same_result(ui, fixed_day):
    open_estimate(ui)
    fill_case_4(ui)
    update_choices(ui)
    ui.wait_for_selector("#post_commercial option[value='50']", state="attached")
    ui.select_option("#post_commercial", "50")
    estimate(ui)
    before = text(ui.locator(".estimate-result"))
    ui.reload()
    ui.wait_for_selector(".estimate-result")
    assert text(ui.locator(".estimate-result")) == before
    assert ui.locator("#amount").input_value() == "250,000.00"
    assert "「更新」" in text(ui.locator("#messages"))  # the guard says what happened (a refresh)
