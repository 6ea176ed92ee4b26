"""5-5 国別引受方針: every country of M.1 in effect today by code, with the category it had before its
last change and the date of that change, the optional filters, a detail per row with its way back,
the CSV of the rows shown, the same list after a refresh."""

from datetime import date, timedelta

from sqlalchemy import delete

from nexi import cache, db
from nexi.clock import today
from nexi.masters import COUNTRIES
from nexi.models import Country
from tests.http.inquiry.helpers import download

ROWS = "table.table--inquiry-countries tbody tr"
NO_FILTER = {"name": "", "region": "", "category": "", "policy": ""}


def listed(page) -> list[str]:
    return [button["value"] for button in page.select(f"{ROWS} button[name=country]")]


def add_version(app, code: str, valid_from: date, **values) -> None:
    """Another version of a country (the one of the migrations, changed by `values`)."""
    known = next(
        (c[1:] for c in COUNTRIES if c[0] == code), ("国", "Country", "アジア", "A", "引受可能", None, None, "")
    )
    name_ja, name_en, region, category, policy, limit, usance, lc = known
    row = {"code": code, "valid_from": valid_from, "name_ja": name_ja, "name_en": name_en, "region": region,
           "category": category, "policy": policy, "case_limit_oku": limit, "max_usance_months": usance,
           "lc_condition": lc, "note": ""}  # fmt: skip
    with app.app_context():
        db.session().add(Country(**(row | values)))
        db.session().commit()
    cache.clear()


def open_list(portal):
    portal.go("inquiry.index")
    return portal.go("inquiry.countries")


def test_every_country_in_effect_is_listed_by_code_with_the_columns_of_5_5(both):
    both.login("demo-user")
    page = open_list(both)
    assert page.h1 == "国別引受方針"
    assert listed(page) == sorted(code for code, *_ in COUNTRIES)
    assert page.texts("table.table--inquiry-countries thead th") == [
        "コード", "国名", "カテゴリー", "引受方針", "案件枠（億円）", "最長ユーザンス（か月）", "L/C条件", "基準適用日", "備考",
    ]  # fmt: skip
    pakistan = next(row for row in page.select(ROWS) if row.th.get_text(strip=True) == "124")
    cells = [" ".join(cell.get_text(" ").split()) for cell in pakistan.select("td")]
    assert cells == ["パキスタン Pakistan", "H", "条件付引受", "10", "6", "確認L/C", "2017/11/01", "—"]


def test_a_country_not_yet_in_effect_is_not_listed_and_a_coming_version_not_yet_shown(app, portal):
    add_version(app, "998", today() + timedelta(days=1), name_ja="未来国", name_en="Futureland")
    add_version(app, "304", today() + timedelta(days=1), category="B")
    portal.login("demo-user")
    page = open_list(portal)
    assert "998" not in listed(page)
    usa = next(row for row in page.select(ROWS) if row.th.get_text(strip=True) == "304")
    assert usa.select("td")[1].get_text(" ").strip() == "A"


def test_the_previous_category_is_shown_with_the_date_it_changed(app, portal):
    add_version(app, "310", date(2010, 4, 1), category="H")
    add_version(app, "304", date(2010, 4, 1), note="旧版")  # an earlier version of the same category
    add_version(app, "304", today(), note="本日から")  # takes effect today: its 適用開始日 is the 基準適用日
    portal.login("demo-user")
    page = open_list(portal)
    rows = {row.th.get_text(strip=True): row for row in page.select(ROWS)}
    nicaragua = " ".join(rows["310"].select("td")[1].get_text(" ").split())
    assert nicaragua == "G 変更前 H（2017/11/01変更）"
    usa = [" ".join(cell.get_text(" ").split()) for cell in rows["304"].select("td")]
    assert usa[1] == "A" and usa[6] == today().strftime("%Y/%m/%d") and usa[7] == "本日から"
    detail = portal.go("inquiry.country", {"country": "310"})
    assert "G（変更前 H、2017年11月01日変更）" in detail.text(".country-detail")
    assert detail.texts("table.table--country-history tbody th") == ["2017/11/01", "2010/04/01"]


def test_the_filters_narrow_the_list(both):
    both.login("demo-user")
    open_list(both)
    go = lambda **filters: listed(both.go("inquiry.country_search", NO_FILTER | filters))  # noqa: E731
    assert go(name="アメリカ") == ["304"]
    assert go(name="ＢＲＡＺＩＬ") == ["410"]  # the English name, full-width, any case
    assert go(name="korea") == ["103"]
    assert go(region="中南米") == ["305", "310", "410", "413"]
    assert go(category="H") == ["124", "224", "413"]
    assert go(policy="条件付引受") == ["124", "234", "310", "413"]
    assert go(region="中南米", category="H", policy="条件付引受") == ["413"]
    page = both.go("inquiry.country_search", NO_FILTER | {"name": "該当なし"})
    assert listed(page) == [] and "条件に合う国・地域はありません。" in page.screen_text


def test_a_filter_not_among_the_choices_is_refused_at_its_field(portal):
    portal.login("demo-user")
    open_list(portal)
    page = portal.go("inquiry.country_search", NO_FILTER | {"category": "Z", "name": "アメリカ"})
    assert page.field_error("category") == "カテゴリーを一覧から選択してください"
    assert page.one("#name")["value"] == "アメリカ"
    assert len(listed(page)) == len(COUNTRIES)  # the list as it was


def test_a_row_opens_its_detail_and_back_returns_to_the_list_as_filtered(both):
    both.login("demo-user")
    open_list(both)
    filtered = listed(both.go("inquiry.country_search", NO_FILTER | {"policy": "条件付引受"}))
    detail = both.go("inquiry.country", {"country": "124"})
    assert detail.h1 == "国別引受方針（詳細）"
    text = detail.text(".country-detail")
    for shown in ("パキスタン", "Pakistan", "アジア", "条件付引受", "確認L/C", "2017年11月01日"):
        assert shown in text
    back = both.go("inquiry.country_back")
    assert back.h1 == "国別引受方針" and listed(back) == filtered


def test_an_unknown_country_opens_no_detail(portal):
    portal.login("demo-user")
    open_list(portal)
    page = portal.go("inquiry.country", {"country": "999"})
    assert page.h1 == "国別引受方針" and "指定された国・地域は見つかりません。" in " ".join(page.messages)


def test_a_refresh_shows_the_same_list(portal):
    portal.login("demo-user")
    open_list(portal)
    filtered = listed(portal.go("inquiry.country_search", NO_FILTER | {"region": "欧州"}))
    page = portal.get("/")
    assert page.h1 == "国別引受方針" and listed(page) == filtered == ["205", "210", "213", "220", "224", "234"]


def test_the_csv_holds_the_rows_shown(app, portal):
    add_version(app, "310", date(2010, 4, 1), category="H")
    portal.login("demo-user")
    open_list(portal)
    portal.go("inquiry.country_search", NO_FILTER | {"region": "中南米"})
    before = portal.server_token()
    response, rows = download(portal, "inquiry.country_csv")
    assert response.get_data().startswith("\ufeff".encode()) and portal.server_token() == before
    assert rows[0] == [
        "コード", "国名", "国名（英）", "地域", "カテゴリー", "変更前のカテゴリー", "カテゴリー変更日", "引受方針",
        "案件枠（億円）", "最長ユーザンス（か月）", "L/C条件", "基準適用日", "備考",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["305", "310", "410", "413"]
    assert rows[2] == ["310", "ニカラグア", "Nicaragua", "中南米", "G", "H", "2017-11-01", "条件付引受", "20", "12", "",
                       "2017-11-01", ""]  # fmt: skip


def test_no_country_in_effect_says_so(app, portal):
    with app.app_context():
        db.session().exec(delete(Country))
        db.session().commit()
    cache.clear()
    portal.login("demo-user")
    page = open_list(portal)
    assert listed(page) == [] and "条件に合う国・地域はありません。" in page.screen_text
