"""⑭ 保険料試算: every input rule of 6-1 — a Japanese message at the field, what was typed kept,
no result — and the answers that do not apply being ignored."""

import pytest

from tests.http.estimate.cases import CASE_1, CASE_3, CASE_4, NOW, estimate, open_estimate


@pytest.fixture
def estimating(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", NOW)
    portal.login("demo-admin")
    open_estimate(portal)
    return portal


def refused(portal, values: dict, field: str) -> str:
    """The message at `field` (and check: no result, the error summary, the typed values kept)."""
    page = estimate(portal, values)
    assert not page.select(".estimate-result")
    assert page.error_summary
    assert page.title.startswith("エラー：")
    return page.field_error(field)


@pytest.mark.parametrize(
    "field, message",
    [
        ("product", "保険種別を選択してください"),
        ("country", "支払国を選択してください"),
        ("currency", "通貨を選択してください"),
        ("amount", "契約金額を入力してください"),
        ("usance", "ユーザンス（日）を入力してください"),
        ("post_political", "付保率（船積後・非常危険）を選択してください"),
        ("fob", "FOB価額を入力してください"),
        ("contract_date", "契約締結日を入力してください"),
        ("last_shipment", "最終船積日を入力してください"),
        ("pre_political", "付保率（船積前・非常危険）を選択してください"),
    ],
)
def test_a_required_answer_left_out_is_asked_for(estimating, field, message):
    assert refused(estimating, CASE_1 | {field: ""}, field) == message


def test_what_was_typed_is_kept_after_an_error(estimating):
    page = estimate(estimating, CASE_1 | {"amount": "10,000,000", "usance": "abc", "fob": "9,500,000"})
    assert page.field_error("usance") == "ユーザンス（日）は半角数字で入力してください"
    assert page.one("#usance")["value"] == "abc"
    assert page.one("#amount")["value"] == "10,000,000"
    assert page.one("#country option[selected]")["value"] == "105"
    assert page.one("#scope-0").has_attr("checked")


def test_a_stopped_country_is_refused_at_the_field(estimating):
    assert refused(estimating, CASE_4 | {"country": "224"}, "country") == "ロシアは引受停止国のため、試算できません"


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"amount": "1,000.5"}, "amount", "JPYの金額は小数点以下を入力できません"),
        ({"currency": "USD", "amount": "100.123"}, "amount", "USDの金額は小数点以下2桁までで入力してください"),
        (
            {"currency": "USD", "amount": "1,000.12", "fob": "999.125"},
            "fob",
            "USDの金額は小数点以下2桁までで入力してください",
        ),
        ({"amount": "1.2345"}, "amount", "契約金額は13桁以内の半角数字で入力してください"),
        ({"amount": "0"}, "amount", "契約金額は0より大きい金額で入力してください"),
        ({"amount": "12345678901234"}, "amount", "契約金額は13桁以内の半角数字で入力してください"),
        ({"advance": "-1"}, "advance", "前受金は13桁以内の半角数字で入力してください"),
        ({"advance": "10,000,000"}, "advance", "前受金は契約金額より少ない金額で入力してください"),
        ({"fob": "10,000,001"}, "fob", "FOB価額は契約金額以下の金額で入力してください"),
    ],
)
def test_amounts_follow_the_currency_and_each_other(estimating, values, field, message):
    assert refused(estimating, CASE_1 | values, field) == message


def test_usd_amounts_take_two_decimals(estimating):
    page = estimate(estimating, CASE_4 | {"amount": "250,000.5"})
    assert not page.error_summary
    page = estimate(estimating, CASE_1 | {"currency": "USD", "amount": "1,000.1", "fob": "1,000.1", "advance": "0.5"})
    assert not page.error_summary and page.select(".estimate-result")


def test_an_fob_equal_to_the_contract_amount_is_accepted(estimating):
    assert not estimate(estimating, CASE_1 | {"fob": "10,000,000"}).error_summary


@pytest.mark.parametrize(
    "values, message",
    [
        ({"last_shipment": "2026-04-01"}, "最終船積日は契約締結日より後の日付を入力してください"),
        ({"last_shipment": "2026-03-31"}, "最終船積日は契約締結日より後の日付を入力してください"),
        (
            {"last_shipment": "2028-03-31"},
            "契約締結日から最終船積日までは730日未満で入力してください（長期案件はNEXIにご相談ください）",
        ),
        ({"last_shipment": "2026-02-30"}, "最終船積日は「2026-04-15」の形式で、正しい日付を入力してください"),
    ],
)
def test_the_shipment_period_is_after_the_contract_and_shorter_than_730_days(estimating, values, message):
    assert refused(estimating, CASE_1 | values, "last_shipment") == message


def test_a_shipment_period_of_729_days_is_accepted(estimating):
    page = estimate(estimating, CASE_1 | {"contract_date": "2026-04-01", "last_shipment": "2028-03-30"})
    assert not page.error_summary
    assert page.select(".estimate-result")


@pytest.mark.parametrize(
    "usance, message",
    [
        ("730", "長期案件はNEXIにご相談ください"),
        ("1000", "長期案件はNEXIにご相談ください"),
        ("-1", "ユーザンス（日）は0から729までの数値で入力してください"),
        ("1.5", "ユーザンス（日）は半角数字で入力してください"),
    ],
)
def test_usance_is_0_to_729_days(estimating, usance, message):
    assert refused(estimating, CASE_3 | {"usance": usance}, "usance") == message


def test_usance_of_729_and_0_days_are_accepted(estimating):
    assert estimate(estimating, CASE_3 | {"usance": "729"}).select(".estimate-result")
    page = estimate(estimating, CASE_3 | {"usance": "０"})  # full-width digits are normalised
    assert "30日（0日を最低日数30日として計算）" in page.text(".estimate-figures")


def test_pre_shipment_answers_are_ignored_after_the_shipment_alone(estimating):
    page = estimate(
        estimating,
        CASE_3 | {"fob": "999,999,999,999", "contract_date": "x", "last_shipment": "2020-01-01", "pre_political": "1"},
    )
    assert not page.error_summary
    assert page.text(".estimate-total__amount") == "230,204円"


def test_a_buyer_code_gives_its_registered_rating(estimating):
    page = estimate(estimating, CASE_1 | {"rating_mode": "code", "buyer_code": "304000101", "rating": "EC"})
    assert not page.error_summary
    conditions = dict(zip(page.texts(".estimate-conditions dt"), page.texts(".estimate-conditions dd"), strict=True))
    assert conditions["格付"].startswith("EA（") and "バイヤーコード 304-000101" in conditions["格付"]
    assert page.text(".estimate-total__amount") == "30,395円"  # EA as case 1; the chosen EC ignored


def test_a_sleeping_candidate_can_be_estimated(estimating):
    page = estimate(estimating, CASE_1 | {"rating_mode": "code", "buyer_code": "601-000901"})
    assert not page.error_summary and page.select(".estimate-result")


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "バイヤーコードを入力してください"),
        ("30400010", "バイヤーコードは「304-000123」の形式で入力してください"),
        ("304-999999", "バイヤーコード「304-999999」は海外商社名簿に登録されていません"),
        ("224-000001", "バイヤーコード「224-000001」は海外商社名簿に登録されていません"),  # 削除
    ],
)
def test_a_buyer_code_must_name_a_registered_buyer(estimating, code, message):
    assert refused(estimating, CASE_1 | {"rating_mode": "code", "buyer_code": code}, "buyer_code") == message


def test_a_rating_must_be_chosen_when_the_rating_is_chosen(estimating):
    assert refused(estimating, CASE_1 | {"rating_mode": "select", "rating": ""}, "rating") == "格付を選択してください"


def test_how_the_rating_is_given_must_be_chosen(estimating):
    assert refused(estimating, CASE_1 | {"rating_mode": ""}, "rating_mode") == "格付の指定を選択してください"


@pytest.mark.parametrize("product, name", [("05", "簡易通知型包括保険"), ("06", "中小企業・農林水産業輸出代金保険")])
def test_post_shipment_only_products_refuse_pre_shipment_cover(estimating, product, name):
    message = refused(estimating, CASE_1 | {"product": product}, "scope")
    assert message == f"{name}の付保範囲は「船積後のみ」です"


def test_pre_shipment_credit_cover_is_at_most_the_political(estimating):
    message = refused(estimating, CASE_1 | {"pre_political": "70", "pre_commercial": "75"}, "pre_commercial")
    assert message == "付保率（船積前・信用危険）は船積前・非常危険の付保率以下で選択してください"


def test_fifty_percent_is_for_em_and_ef_payers_under_企業総合(estimating):
    message = refused(estimating, CASE_4 | {"rating": "EA"}, "post_commercial")
    assert message == "船積後・信用危険の50%は、企業総合保険で格付EM・EFの支払人の場合に選択できます"
    assert refused(estimating, CASE_4 | {"product": "01"}, "post_commercial") == message
    page = estimate(estimating, CASE_4 | {"rating": "EF"})
    assert not page.error_summary


def test_credit_cover_is_forced_to_0_for_a_rating_that_cannot_have_it(estimating):
    page = estimate(estimating, CASE_1 | {"rating": "EC"})  # 80/80, 100/90 posted
    assert not page.error_summary
    assert page.text(".estimate-total__amount") == "14,285円"  # case 2
    assert [option["value"] for option in page.select("#post_commercial option")] == ["0"]
    assert [option["value"] for option in page.select("#pre_commercial option")] == ["0"]
    assert page.one("#pre_political option[selected]")["value"] == "80"  # the political kept


def test_sme_cover_is_95_95(estimating):
    page = estimate(estimating, CASE_3 | {"product": "06", "post_political": "100", "post_commercial": "0"})
    assert not page.error_summary
    rows = {row.th.get_text(): row.td.get_text() for row in page.select(".estimate-figures tbody tr")}
    assert rows["付保率（非常危険／信用危険）"] == "95%／95%"


@pytest.mark.parametrize(
    "field, value",
    [("product", "99"), ("country", "999"), ("currency", "XXX"), ("commodity", "宝石"), ("rating", "ZZ"),
     ("scope", "pre"), ("post_political", "99"), ("pre_political", "55")],
)  # fmt: skip
def test_a_value_that_is_not_offered_is_refused(estimating, field, value):
    message = refused(estimating, CASE_1 | {field: value}, field)
    assert message.endswith("から選択してください")


def test_hostile_values_never_fail(estimating):
    hostile = dict.fromkeys(CASE_1, "\x00" + "9" * 5000)
    page = estimate(estimating, hostile)
    assert page.status == 200 and page.error_summary
    page = estimate(estimating, {})
    assert page.status == 200 and page.error_summary
