"""5-1 海外商社情報: the criteria and their messages, what each search finds (normalised names, the
country, deleted buyers on their exact code only), the 200-row cap, a detail per row with its way
back, the result again after a refresh."""

import pytest

from tests.http.inquiry.helpers import EMPTY, add_buyers, codes, search


def test_at_least_one_criterion_is_needed(both):
    both.login("demo-user")
    page = search(both)
    assert page.error_summary == ["バイヤーコード、名称、国のいずれか1つ以上を指定してください"]
    assert page.title.startswith("エラー：海外商社情報")
    assert codes(page) == [] and "検索結果" not in page.screen_text


@pytest.mark.parametrize("typed", ["A", "　Ａ　", "a  "])
def test_a_name_of_fewer_than_two_characters_is_refused_with_what_was_typed_kept(portal, typed):
    portal.login("demo-user")
    page = search(portal, name=typed)
    assert page.field_error("name") == "名称は2文字以上で入力してください"
    assert page.one("#name")["value"].strip() in ("A", "a")
    assert codes(page) == []


def test_a_code_not_of_the_register_s_form_is_refused(portal):
    portal.login("demo-user")
    page = search(portal, code="30400012X")
    assert page.field_error("code") == "バイヤーコードは「304-000123」の形式で入力してください"
    assert page.one("#code")["value"] == "30400012X"


def test_an_exact_code_finds_that_buyer_typed_with_or_without_its_hyphen(portal):
    portal.login("demo-user")
    assert codes(search(portal, code="304-000101")) == ["304-000101"]
    assert codes(search(portal, code="３０４０００１０１")) == ["304-000101"]
    assert codes(search(portal, code="304-000199")) == []
    assert "条件に合う海外商社はありません。" in search(portal, code="304-000199").screen_text


@pytest.mark.parametrize(
    "typed",
    [
        "huaxin",  # anywhere in the name, any case
        "ＳＨＡＮＧＨＡＩ　ＨＵＡＸＩＮ",  # full-width letters and space
        "Shanghai   Huaxin",  # several spaces count as one
        " trading co., ",  # trimmed
        "華信貿易",  # the 別名
    ],
)
def test_a_name_is_found_normalised_anywhere_in_the_english_name_or_the_alias(portal, typed):
    portal.login("demo-user")
    assert codes(search(portal, name=typed)) == ["105-000201"]


def test_a_name_matches_within_the_english_name_or_within_the_alias_not_across_both(app, portal):
    add_buyers(app, [{"code": "999-000001", "name_en": "NORTH STAR LTD", "alias": "北星商事"}])
    portal.login("demo-user")
    assert codes(search(portal, name="star ltd")) == ["999-000001"]
    assert codes(search(portal, name="ltd 北星")) == []


def test_percent_and_underscore_in_a_name_are_taken_literally(app, portal):
    add_buyers(
        app,
        [
            {"code": "999-000001", "name_en": "ALPHA 100% TRADING"},
            {"code": "999-000002", "name_en": "ALPHA 1000 TRADING"},
            {"code": "999-000003", "name_en": "BETA_ONE LTD"},
            {"code": "999-000004", "name_en": "BETAXONE LTD"},
        ],
    )
    portal.login("demo-user")
    assert codes(search(portal, name="100%")) == ["999-000001"]
    assert codes(search(portal, name="0% t")) == ["999-000001"]
    assert codes(search(portal, name="a_o")) == ["999-000003"]
    assert codes(search(portal, name="__")) == []


def test_a_country_lists_its_registered_buyers_by_code(portal):
    portal.login("demo-user")
    assert codes(search(portal, country="304")) == ["304-000101", "304-000102"]
    assert codes(search(portal, country="304", name="pacific")) == ["304-000102"]
    page = search(portal, country="999")
    assert page.field_error("country") == "国を一覧から選択してください"


def test_a_deleted_buyer_is_found_only_by_its_exact_code_marked_deleted_with_its_date(portal):
    portal.login("demo-user")
    assert codes(search(portal, name="volga")) == []
    assert codes(search(portal, country="224")) == []
    page = search(portal, code="224-000001")
    assert codes(page) == ["224-000001"]
    state = page.texts("table.table--inquiry-buyers tbody td")[-1]
    assert state.startswith("削除済 ") and state.removeprefix("削除済 ").count("/") == 2
    detail = portal.go("inquiry.buyer", {"buyer": "224-000001"})
    assert "削除済" in detail.text(".buyer-detail") and "海外商社名簿から削除されています" in detail.screen_text


def test_each_row_shows_the_public_fields_of_the_register(portal):
    portal.login("demo-user")
    page = search(portal, code="112-000502")
    assert page.texts("table.table--inquiry-buyers thead th") == [
        "バイヤーコード", "英文名称", "別名", "国", "都市", "本店/支店", "格付", "格付適用日", "信用危険てん補",
        "個別保証枠", "スリーピング候補", "状態",
    ]  # fmt: skip
    (row,) = page.select("table.table--inquiry-buyers tbody tr")
    cells = [" ".join(cell.get_text(" ").split()) for cell in row.select("th, td")]
    assert cells[:7] == [
        "112-000502", "BRITANNIA MERCHANT BANK PLC, SINGAPORE BRANCH", "—", "シンガポール", "Singapore",
        "支店（本店 205-000501）", "SA",
    ]  # fmt: skip
    assert cells[8:] == ["可", "—", "—", "登録"]  # SA: credit risk coverable, no 個別保証枠 to speak of


def test_an_eligible_buyer_shows_only_whether_a_limit_exists(portal):
    portal.login("demo-user")
    page = search(portal, name="co., ltd.")
    cover = dict(zip(codes(page), _column(page, 9), strict=True))
    assert cover["105-000201"] == "枠あり"  # EM with a 設定額
    assert cover["111-000301"] == "枠なし"  # EA without one
    assert codes(search(portal, name="saigon")) == ["110-000701"]
    assert _column(search(portal, name="saigon"), 9) == ["—"]  # EC: 不可, not 枠要


def _column(page, index: int) -> list[str]:
    return [
        row.select("th, td")[index].get_text(" ").strip() for row in page.select("table.table--inquiry-buyers tbody tr")
    ]


def test_a_sleeping_candidate_shows_its_release_deadline(portal):
    portal.login("demo-user")
    page = search(portal, code="601-000901")
    assert _column(page, 10)[0].startswith("解除申請期限 ")
    assert _column(page, 11) == ["スリーピング候補"]
    detail = portal.go("inquiry.buyer", {"buyer": "601-000901"})
    assert "スリーピング候補（解除申請期限" in detail.text(".buyer-detail")


def test_more_than_200_matches_show_the_first_200_by_code_and_ask_to_narrow(app, portal):
    add_buyers(app, [{"code": f"999-{n:06d}", "name_en": f"CAPTEST {n:03d} LTD"} for n in range(201, 0, -1)])
    portal.login("demo-user")
    page = search(portal, name="captest")
    assert codes(page) == [f"999-{n:06d}" for n in range(1, 201)]
    assert page.text(".inquiry-capped").startswith("条件を絞り込んでください")
    assert "200件以上" in page.text(".result-count")


def test_exactly_200_matches_are_all_shown_without_asking_to_narrow(app, portal):
    add_buyers(app, [{"code": f"999-{n:06d}", "name_en": f"CAPTEST {n:03d} LTD"} for n in range(1, 201)])
    portal.login("demo-user")
    page = search(portal, name="captest")
    assert len(codes(page)) == 200 and not page.select(".inquiry-capped")
    assert page.text(".result-count") == "200件（バイヤーコード順）"


def test_a_row_opens_its_detail_and_back_returns_to_the_same_result(both):
    both.login("demo-user")
    listed = codes(search(both, name="ltd"))
    assert "105-000201" in listed and len(listed) > 1
    detail = both.go("inquiry.buyer", {"buyer": "105-000201"})
    assert detail.h1 == "海外商社情報（詳細）"
    assert "88 Century Avenue, Pudong, Shanghai" in detail.text(".buyer-detail")  # the full 住所
    back = both.go("inquiry.buyer_back")
    assert back.h1 == "海外商社情報" and codes(back) == listed
    assert back.one("#name")["value"] == "ltd"


def test_a_detail_is_only_of_a_buyer_the_result_finds(portal):
    portal.login("demo-user")
    search(portal, name="trading")
    page = portal.go("inquiry.buyer", {"buyer": "224-000001"})  # deleted: found by its code only
    assert page.h1 == "海外商社情報" and "指定された海外商社は見つかりません。" in " ".join(page.messages)
    page = portal.go("inquiry.buyer", {"buyer": "' OR 1=1 --"})
    assert page.h1 == "海外商社情報" and "見つかりません" in " ".join(page.messages)


def test_a_refresh_shows_the_same_result(portal):
    portal.login("demo-user")
    listed = codes(search(portal, name="trading", country="105"))
    assert listed == ["105-000201"]
    page = portal.get("/")
    assert page.h1 == "海外商社情報" and codes(page) == listed
    assert page.one("#name")["value"] == "trading"
    portal.go("inquiry.buyer", {"buyer": "105-000201"})
    assert portal.get("/").h1 == "海外商社情報（詳細）"


def test_a_refused_search_keeps_the_result_shown_before(portal):
    portal.login("demo-user")
    listed = codes(search(portal, country="304"))
    page = portal.go("inquiry.buyer_search", EMPTY | {"name": "x"})
    assert page.field_error("name") and codes(page) == listed


def test_the_screen_is_pattern_2_with_its_end_button(portal):
    portal.login("demo-user")
    page = search(portal, country="304")
    assert page.text(".button--logout") == "終了"
