"""⑭ 保険料試算: the 付保範囲 and 付保率 offered follow the chosen 保険種別 and rating (9-1, 9-2),
computed on the server from the last answers posted (「付保率の選択肢を更新」, or 試算する), so
they are right without JavaScript; questions that apply only to some answers say so, and are
revealed in the browser."""

import json

import pytest

from tests.http.estimate.cases import CASE_1, NOW, estimate, open_estimate

STANDARD_PRE_POLITICAL = ["95", "90", "85", "80", "75", "70", "65", "60"]
STANDARD_PRE_COMMERCIAL = ["80", "75", "70", "65", "60"]


@pytest.fixture
def estimating(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", NOW)
    portal.login("demo-admin")
    open_estimate(portal)
    return portal


def offered(page, field: str) -> list[str]:
    return [option["value"] for option in page.select(f"#{field} option")]


def refreshed(portal, **answers):
    """「付保率の選択肢を更新」 with case 1's answers changed by `answers`: no estimate, no errors."""
    page = estimate(portal, CASE_1 | answers, action="choices")
    assert not page.select(".estimate-result") and not page.error_summary
    return page


def test_the_first_screen_offers_what_the_products_allow(estimating):
    page = estimating.last
    assert offered(page, "pre_political") == STANDARD_PRE_POLITICAL
    assert offered(page, "pre_commercial") == STANDARD_PRE_COMMERCIAL
    assert offered(page, "post_political") == ["100", "97.5"]
    assert offered(page, "post_commercial") == ["90", "50", "0"]  # 企業総合's 50 until a product is chosen
    assert [radio["value"] for radio in page.select("input[name=scope]")] == ["both", "post"]
    assert "船積前のみ" not in page.text("#screen")


@pytest.mark.parametrize("product", ["01", "02", "03"])
def test_individual_and_association_products_offer_90_or_0_after_shipment(estimating, product):
    page = refreshed(estimating, product=product, rating="EM")
    assert offered(page, "pre_political") == STANDARD_PRE_POLITICAL
    assert offered(page, "pre_commercial") == STANDARD_PRE_COMMERCIAL
    assert offered(page, "post_political") == ["100", "97.5"]
    assert offered(page, "post_commercial") == ["90", "0"]


@pytest.mark.parametrize("rating, choices", [("EM", ["90", "50", "0"]), ("EF", ["90", "50", "0"]),
                                             ("EA", ["90", "0"]), ("GA", ["90", "0"]), ("EC", ["0"])])  # fmt: skip
def test_企業総合_offers_50_to_em_and_ef_payers_without_a_企総登録(estimating, rating, choices):
    assert offered(refreshed(estimating, product="04", rating=rating), "post_commercial") == choices


def test_a_buyer_codes_rating_decides_the_choices(estimating):
    page = refreshed(estimating, product="04", rating_mode="code", buyer_code="105-000201")  # EM
    assert offered(page, "post_commercial") == ["90", "50", "0"]
    page = refreshed(estimating, product="04", rating_mode="code", buyer_code="304-000101")  # EA
    assert offered(page, "post_commercial") == ["90", "0"]
    page = refreshed(estimating, product="01", rating_mode="code", buyer_code="110-000701")  # EC
    assert offered(page, "post_commercial") == ["0"] and offered(page, "pre_commercial") == ["0"]


@pytest.mark.parametrize("rating", ["SC", "EC", "PN", "PU", "PT", "GR", "ER", "SR", "GB", "EB", "SB"])
def test_a_rating_without_credit_cover_offers_0_only(estimating, rating):
    page = refreshed(estimating, product="01", rating=rating)
    assert offered(page, "pre_commercial") == ["0"]
    assert offered(page, "post_commercial") == ["0"]
    assert offered(page, "pre_political") == STANDARD_PRE_POLITICAL  # political cover as entered


def test_簡易通知型_is_after_shipment_only(estimating):
    page = refreshed(estimating, product="05", scope="post")
    assert [radio["value"] for radio in page.select("input[name=scope]")] == ["post"]
    for name in ("fob", "contract_date", "last_shipment", "pre_political", "pre_commercial"):
        assert not page.select(f"#{name}"), name
    assert offered(page, "post_political") == ["100", "97.5"]
    assert offered(page, "post_commercial") == ["90", "0"]


def test_中小企業_is_after_shipment_only_at_95_95(estimating):
    page = refreshed(estimating, product="06", scope="post")
    assert [radio["value"] for radio in page.select("input[name=scope]")] == ["post"]
    assert not page.select("#pre_political")
    assert offered(page, "post_political") == ["95"] and offered(page, "post_commercial") == ["95"]


def test_refreshing_the_choices_keeps_the_answers(estimating):
    page = refreshed(estimating, product="04", rating="EM", amount="12,345")
    assert page.one("#amount")["value"] == "12,345"
    assert page.one("#product option[selected]")["value"] == "04"
    assert page.one("#post_commercial option[selected]")["value"] == "90"


def test_conditional_questions_say_when_they_apply_and_are_revealed_by_their_answers(estimating):
    page = estimating.last
    for name in ("fob", "contract_date", "last_shipment", "pre_political", "pre_commercial"):
        question = page.one(f"#{name}").find_parent(class_="question")
        assert json.loads(question["data-reveal"]) == {"field": "scope", "values": ["both"]}, name
        assert "「船積前＋船積後」の場合に入力します" in page.text(f"#{name}-hint")
    code = page.one("#buyer_code").find_parent(class_="question")
    assert json.loads(code["data-reveal"]) == {"field": "rating_mode", "values": ["code"]}
    assert "バイヤーコードを選んだ場合" in page.text("#buyer_code-hint")
    rating = page.one("#rating").find_parent(class_="question")
    assert json.loads(rating["data-reveal"]) == {"field": "rating_mode", "values": ["select"]}
    assert "「格付を選択」を選んだ場合" in page.text("#rating-hint")


def test_the_commodity_defaults_to_一般_and_lists_m4(estimating):
    page = estimating.last
    assert page.one("#commodity option[selected]")["value"] == "一般"
    assert offered(page, "commodity") == ["一般", "鋼材", "化学品", "機械設備", "鉄道車両", "船舶", "農林水産物"]
