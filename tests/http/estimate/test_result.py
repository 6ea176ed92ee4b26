"""⑭ 保険料試算: the result of 6-4 for the four cases of 6-3 as the user sees it, the versions it
names, the refresh that shows it again (C.7) and the chart drawn to scale."""

import pytest

from tests.http.estimate.cases import CASES, NOW, TOTALS, estimate, open_estimate


@pytest.fixture
def estimating(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", NOW)
    portal.login("demo-admin")
    open_estimate(portal)
    return portal


def figures(page) -> dict[str, list[str]]:
    """The table of figures: heading → one text per phase."""
    rows = {}
    for row in page.select(".estimate-figures tbody tr"):
        rows[" ".join(row.th.get_text().split())] = [" ".join(cell.get_text().split()) for cell in row.select("td")]
    return rows


def test_the_screen_is_pattern_2_with_終了(estimating):
    page = estimating.last
    assert page.h1 == "保険料試算"
    assert page.text(".button--logout") == "終了"
    assert not page.select(".estimate-result")
    assert page.one("#commodity option[selected]")["value"] == "一般"


# (case) → the columns of 6-3, one text per phase, as the table shows them
EXPECTED = {
    "1": {
        "付保率（非常危険／信用危険）": ["80%／80%", "100%／90%"],
        "保険価額（円）": ["9,500,000円", "10,000,000円"],
        "X（日数）": ["60日", "90日"],
        "a（%/日）／b（%）": ["0.000214／0.090", "0.001592／0.033"],
        "基準料率（a×X＋b）": ["0.10284%", "0.17628%"],
        "格付係数": ["1.1", "1.1"],
        "てん補調整係数": ["(40+40)/(40+40) = 80/80 = 1", "(50+45)/(48.75+45) = 95/93.75 = 1.013333…"],
        "商品係数": ["1.00", "1.00"],
        "料率の積（端数処理前）": ["0.113124%", "0.19649344%"],
        "適用料率（小数点以下6桁に四捨五入）": ["0.113124%", "0.196493%"],
        "保険料（円未満切捨て）": ["10,746円", "19,649円"],
    },
    "2": {
        "付保率（非常危険／信用危険）": ["80%／0%", "100%／0%"],
        "保険価額（円）": ["9,500,000円", "10,000,000円"],
        "X（日数）": ["60日", "90日"],
        "基準料率（a×X＋b）": ["0.10284%", "0.17628%"],
        "格付係数": ["1.0", "1.0"],
        "てん補調整係数": ["(40+0)/(40+40) = 40/80 = 0.5", "(50+0)/(48.75+45) = 50/93.75 = 0.533333…"],
        "料率の積（端数処理前）": ["0.05142%", "0.094016%"],
        "適用料率（小数点以下6桁に四捨五入）": ["0.051420%", "0.094016%"],
        "保険料（円未満切捨て）": ["4,884円", "9,401円"],
    },
    "3": {
        "付保率（非常危険／信用危険）": ["97.5%／90%"],
        "保険価額（円）": ["45,000,000円"],
        "X（日数）": ["180日"],
        "a（%/日）／b（%）": ["0.002317／0.048"],
        "基準料率（a×X＋b）": ["0.46506%"],
        "格付係数": ["1.0"],
        "てん補調整係数": ["(48.75+45)/(48.75+45) = 93.75/93.75 = 1"],
        "商品係数": ["1.10"],
        "料率の積（端数処理前）": ["0.511566%"],
        "適用料率（小数点以下6桁に四捨五入）": ["0.511566%"],
        "保険料（円未満切捨て）": ["230,204円"],
    },
    "4": {
        "付保率（非常危険／信用危険）": ["97.5%／50%"],
        "保険価額（円）": ["35,648,149円"],
        "X（日数）": ["120日"],
        "a（%/日）／b（%）": ["0.000434／0.009"],
        "基準料率（a×X＋b）": ["0.06108%"],
        "格付係数": ["1.5"],
        "てん補調整係数": ["(48.75+25)/(48.75+45) = 73.75/93.75 = 0.786666…"],
        "商品係数": ["1.00"],
        "料率の積（端数処理前）": ["0.0720744%"],
        "適用料率（小数点以下6桁に四捨五入）": ["0.072074%"],
        "保険料（円未満切捨て）": ["25,693円"],
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_of_the_worked_example_shows_the_figures_of_its_table(estimating, case):
    page = estimate(estimating, CASES[case])
    assert not page.error_summary
    shown = figures(page)
    for heading, texts in EXPECTED[case].items():
        assert shown[heading] == texts, heading
    assert page.text(".estimate-total__amount") == TOTALS[case]
    assert page.text(".estimate-figures__total") == TOTALS[case]
    assert "試算結果は参考値です" in page.text(".estimate-result")


@pytest.mark.parametrize(
    "case, wanted",
    [("1", ["個別保証枠の確認"]), ("2", ["非常危険のみ"]), ("3", ["個別保証枠の確認"]), ("4", [])],
)
def test_each_case_shows_its_warnings(estimating, case, wanted):
    page = estimate(estimating, CASES[case])
    warnings = page.texts(".estimate-warnings li")
    assert len(warnings) == len(wanted)
    for text, word in zip(warnings, wanted, strict=True):
        assert word in text


def test_the_result_names_the_versions_and_the_rate_it_used(estimating):
    page = estimate(estimating, CASES["4"])
    versions = {
        row.th.get_text(): [td.get_text() for td in row.select("td")]
        for row in page.select(".estimate-versions tbody tr")
    }
    assert versions["換算レート"] == ["USD 150.00円", "2026年1月1日"]
    assert versions["格付係数"][0] == "EM 1.5"
    assert versions["基準料率（船積後）"][0] == "カテゴリーA"
    assert "国カテゴリー" in versions and "商品係数" in versions and "ウェイト" in versions
    assert "基準料率（船積前）" not in versions  # 船積後のみ
    conditions = dict(zip(page.texts(".estimate-conditions dt"), page.texts(".estimate-conditions dd"), strict=True))
    assert conditions["換算レート"] == "1 USD = 150.00円（2026年1月1日適用）"
    assert conditions["試算日"] == "2026年4月15日"
    assert conditions["契約金額"] == "USD 250,000.00"


def test_case_4_from_2026_07_01_converts_at_the_july_rate(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-07-01T09:00")
    portal.login("demo-admin")
    open_estimate(portal)
    page = estimate(portal, CASES["4"])
    assert page.text(".estimate-total__amount") == "26,095円"
    assert figures(page)["保険価額（円）"] == ["36,206,637円"]
    rate = [row for row in page.select(".estimate-versions tbody tr") if row.th.get_text() == "換算レート"][0]
    assert [td.get_text() for td in rate.select("td")] == ["USD 152.35円", "2026年7月1日"]


def test_a_refresh_shows_the_same_result(estimating):
    page = estimate(estimating, CASES["1"])
    before = page.text(".estimate-result")
    again = estimating.get(estimating.url("home.current"))  # the browser's 「更新」
    assert again.text(".estimate-result") == before
    assert again.one("#amount")["value"] == "10,000,000"
    assert any("「更新」" in message for message in again.messages)
    kept = estimating.state()["screen_args"]  # on the server, not in the page
    assert kept["inputs"]["amount"] == "10000000" and kept["day"] == "2026-04-15"


def test_a_refresh_on_a_later_day_still_shows_the_estimate_of_its_試算日(app, estimating, monkeypatch):
    estimate(estimating, CASES["4"])
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-07-02T09:00")
    again = estimating.get(estimating.url("home.current"))
    assert again.text(".estimate-total__amount") == "25,693円"


def test_with_htmx_the_result_comes_in_the_fragment(app, both, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", NOW)
    both.login("demo-admin")
    open_estimate(both)
    page = estimate(both, CASES["3"])
    assert page.is_fragment == (both.transport == "htmx")
    assert page.text(".estimate-total__amount") == "230,204円"


def test_clearing_the_inputs_starts_again(estimating):
    estimate(estimating, CASES["1"])
    page = estimating.go("estimate.index")
    assert not page.select(".estimate-result")
    assert page.one("#amount").get("value", "") == ""


def test_a_stopped_country_gives_no_result(estimating):
    page = estimate(estimating, CASES["3"] | {"country": "224"})
    assert page.field_error("country") == "ロシアは引受停止国のため、試算できません"
    assert not page.select(".estimate-result")


def test_a_conditional_country_warns_with_its_limits(estimating):
    case = CASES["3"] | {"country": "124", "amount": "1,500,000,000", "advance": "", "usance": "200"}
    warnings = " ".join(estimate(estimating, case).texts(".estimate-warnings li"))
    assert "パキスタン）は条件付引受国です" in warnings
    assert "円換算 1,500,000,000円）がパキスタンの案件枠（10億円）を超える" in warnings
    assert "ユーザンス（200日）がパキスタンの最長ユーザンス（6か月）を超える" in warnings
    within = " ".join(
        estimate(estimating, case | {"amount": "1,000,000,000", "usance": "183"}).texts(".estimate-warnings li")
    )
    assert "条件付引受国" in within and "案件枠" not in within and "最長ユーザンス" not in within


def test_the_chart_draws_each_bar_to_scale(estimating):
    page = estimate(estimating, CASES["1"])
    premiums = page.select("svg[data-chart='premium'] rect.estimate-chart__bar")
    assert [bar["data-value"] for bar in premiums] == ["10,746円", "19,649円"]
    pre, post = (float(bar["width"]) for bar in premiums)
    assert pre / post == pytest.approx(10_746 / 19_649, abs=0.002)
    ladders = {
        key: [float(bar["width"]) for bar in page.select(f"svg[data-chart='ladder-{key}'] rect")]
        for key in ("pre", "post")
    }
    # one scale for both ladders: the largest step (船積後 ×てん補調整係数 = 0.19649344 %) fills it
    assert max(ladders["post"]) == max(ladders["pre"] + ladders["post"])
    assert ladders["post"][0] / ladders["post"][1] == pytest.approx(1 / 1.1, abs=0.002)  # ×格付係数 1.1
    assert ladders["pre"][0] / ladders["post"][0] == pytest.approx(0.10284 / 0.17628, abs=0.002)
    assert ladders["pre"][2] == ladders["pre"][1]  # てん補調整係数 1
    svg = page.one("svg[data-chart='premium']")
    assert svg["role"] == "img"
    assert svg.title.get_text() == "保険料（段階別）"
    assert "船積前 10,746円" in svg.desc.get_text() and "合計 30,395円" in svg.desc.get_text()


def test_the_print_stylesheet_prints_the_result_without_the_form(client):
    css = client.get("/static/css/print.css").get_data(as_text=True)
    assert ".estimate-result ~ .estimate-form" in css
    assert ".estimate-chart__bar--post" in css


def test_a_state_kept_by_an_older_portal_shows_the_inputs_without_a_result(estimating):
    page = estimating.show("estimate.index", {})  # the 準備中 screen kept no arguments
    assert page.h1 == "保険料試算" and page.select("#product") and not page.select(".estimate-result")
    broken = {"values": {"product": "01"}, "inputs": {"product": "01", "amount": "x"}, "day": "2026-04-15"}
    page = estimating.show("estimate.index", broken)
    assert estimating.state()["screen"] == "estimate.index"
    assert not page.select(".estimate-result")
    page = estimating.show("estimate.index", {"values": {}, "inputs": {"amount": "1"}, "day": "yesterday"})
    assert estimating.state()["screen"] == "estimate.index" and not page.select(".estimate-result")
