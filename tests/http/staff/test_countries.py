"""S.9 国・地域マスタ (M.1): a 管理担当 lists the countries (each one's version valid today) and opens
a country's versions; a new country is registered as its first version; customers see a version
from its 適用開始日 on; a 審査担当 can do none of it. New versions, 編集 and 削除:
test_country_versions.py."""

import pytest

from tests.support.countries import (
    NEW_COUNTRY,
    NEXT_MONTH,
    add_country,
    add_version,
    audits,
    fixed_clock,
    open_country,
    register_version,
    version_buttons,
    versions,
)

MANAGER_ACTIONS = [
    ("staff.countries", {}),
    ("staff.country_search", {"keyword": "124"}),
    ("staff.country_page", {"page": "2"}),
    ("staff.country", {"country": "124"}),
    ("staff.country_add", {}),
    ("staff.country_new", {}),
    ("staff.country_edit", {"version": "1"}),
    ("staff.country_check", {"action": "next", "valid_from": NEXT_MONTH}),
    ("staff.country_save", {"action": "submit"}),
    ("staff.country_delete", {"version": "1"}),
    ("staff.country_delete_apply", {"action": "apply"}),
]


@pytest.fixture
def clock(app, monkeypatch):
    yield from fixed_clock(app, monkeypatch)


# --- 国・地域一覧 ------------------------------------------------------------------------------------


def test_the_list_shows_each_countrys_version_valid_today(app, clock, staff_both):
    add_version(app, "124", "2026-01-01", category="G")  # in effect since January
    staff_both.login("demo-manager")
    assert "国・地域マスタ" in staff_both.current().texts("button")
    page = staff_both.go("staff.countries")
    assert page.h1 == "国・地域一覧"
    assert "28件（1/2ページ、国コード順）" in page.text(".result-count")
    rows = page.select("tr.country-row")
    assert len(rows) == 20
    pakistan = next(row for row in rows if row.select_one("button").get_text(strip=True) == "124")
    assert pakistan.select_one(".country-category").get_text(strip=True) == "G"
    assert pakistan.select_one(".country-policy").get_text(strip=True) == "条件付引受"
    assert "2026/01/01" in pakistan.get_text()
    page = staff_both.go("staff.country_page", {"page": "2"})
    assert page.texts("tr.country-row th") == ["302", "304", "305", "310", "410", "413", "551", "601"]


def test_a_scheduled_version_is_marked_and_not_yet_shown(app, clock, staff):
    add_version(app, "224", NEXT_MONTH, policy="条件付引受", case_limit_oku=5)
    staff.login("demo-manager")
    page = staff.go("staff.country_search", {"keyword": "224"})
    (row,) = page.select("tr.country-row")
    assert row.select_one(".country-policy").get_text(strip=True) == "引受停止"  # today's version
    assert " ".join(row.select_one(".country-schedule").get_text().split()) == "新しい版あり 2026/05/01から"
    clock(NEXT_MONTH)
    page = staff.go("staff.country_search", {"keyword": "224"})
    assert page.text("tr.country-row .country-policy") == "条件付引受"
    assert page.text("tr.country-row .country-schedule") == "—"


@pytest.mark.parametrize(
    ("keyword", "codes"),
    [
        ("124", ["124"]),
        ("30", ["302", "304", "305"]),
        ("パキ", ["124"]),
        ("ｕｎｉｔｅｄ", ["147", "205", "304"]),  # full-width, any case: the English names
        ("ない国", []),
    ],
)
def test_the_list_is_searched_by_code_or_name(app, clock, staff, keyword, codes):
    staff.login("demo-manager")
    staff.go("staff.countries")
    page = staff.go("staff.country_search", {"keyword": keyword})
    assert page.texts("tr.country-row th") == codes
    assert page.one("#keyword")["value"] == keyword.replace("ｕｎｉｔｅｄ", "united")
    if not codes:
        assert page.text(".result-count") == "条件に合う国・地域はありません。"


def test_paging_keeps_the_search(app, clock, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 2)
    staff.login("demo-manager")
    staff.go("staff.countries")
    staff.go("staff.country_search", {"keyword": "United"})
    page = staff.go("staff.country_page", {"page": "2"})
    assert page.texts("tr.country-row th") == ["304"]
    assert "3件（2/2ページ" in page.text(".result-count")


def test_a_search_too_long_is_told_and_kept(app, clock, staff):
    staff.login("demo-manager")
    staff.go("staff.countries")
    page = staff.go("staff.country_search", {"keyword": "あ" * 41})
    assert "40文字以内" in page.field_error("keyword")
    assert page.one("#keyword")["value"] == "あ" * 41


# --- 国・地域の詳細 ----------------------------------------------------------------------------------


def test_the_detail_shows_every_version_with_the_current_one_marked(app, clock, staff):
    add_version(app, "124", "2026-01-01", category="G")
    future = add_version(app, "124", NEXT_MONTH, category="F", note="格上げ予定")
    staff.login("demo-manager")
    page = open_country(staff, "124")
    assert page.h1 == "国・地域の詳細"
    rows = page.select("tr.version-row")
    assert [row.select_one("th").get_text(strip=True) for row in rows] == ["2026/05/01", "2026/01/01", "2017/11/01"]
    assert page.texts(".version-status") == ["適用予定", "適用中", "過去の版"]
    assert "格上げ予定" in rows[0].get_text()
    assert version_buttons(page) == {("編集", str(future)), ("削除", str(future))}  # the future one only


def test_a_code_not_in_the_master_opens_nothing(app, clock, staff):
    staff.login("demo-manager")
    staff.go("staff.countries")
    for code in ("999", "12", "<x>"):
        assert staff.go("staff.country", {"country": code}).h1 == "国・地域一覧"


# --- 国・地域の新規登録 --------------------------------------------------------------------------------


def test_a_new_country_is_registered_as_its_first_version(app, clock, staff):
    staff.login("demo-manager")
    page = add_country(staff)
    assert page.h1 == "国・地域の新規登録（確認）"
    assert "606" in page.texts(".country-version dd")
    page = staff.go("staff.country_save", {"action": "submit"})
    assert page.h1 == "国・地域の詳細"
    assert page.text(".country-code") == "606"
    assert page.texts(".version-status") == ["適用予定"]
    (event,) = audits(app, "staff.country.added")
    assert event.detail["after"]["code"] == "606" and event.detail["before"] is None
    page = staff.go("staff.country_search", {"keyword": "606"})
    assert " ".join(page.text("tr.country-row .country-schedule").split()) == "未適用 2026/05/01から適用"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("124", "この国コードはすでに登録されています"),
        ("60", "国コードは3桁の半角数字で入力してください"),
        ("", "国コードを入力してください"),
    ],
)
def test_a_new_countrys_code_is_three_digits_not_yet_in_the_master(app, clock, staff, code, message):
    staff.login("demo-manager")
    page = add_country(staff, code=code)
    assert message in page.field_error("code")
    assert page.form_values()["name_ja"] == "ニュージーランド"


def test_a_new_country_not_in_effect_yet_can_be_changed_then_is_gone_when_deleted(app, clock, staff):
    staff.login("demo-manager")
    add_country(staff)
    staff.go("staff.country_save", {"action": "submit"})
    page = staff.go("staff.country_new")
    assert page.form_values()["name_ja"] == "ニュージーランド"  # its only version's values
    (version,) = versions(app, "606")
    staff.go("staff.country_delete_apply", {"action": "back"})  # not the current screen: nothing
    open_country(staff, "606")
    page = staff.go("staff.country_delete", {"version": str(version.id)})
    assert "この国・地域は国・地域マスタからなくなります" in page.screen_text
    page = staff.go("staff.country_delete_apply", {"action": "apply"})
    assert page.h1 == "国・地域一覧"
    assert versions(app, "606") == []


# --- What customers see ----------------------------------------------------------------------------


def country_options(portal) -> dict[str, str]:
    """B01's 国 choices (value → label)."""
    portal.go("buyers.register")
    page = portal.last if "手続きの流れ" not in portal.last.h1 else portal.go("procedure.intro", {"action": "next"})
    return {option["value"]: option.get_text(strip=True) for option in page.select("select#country option")}


def test_customers_see_a_version_from_its_valid_from_on(app, clock, staff, portal):
    staff.login("demo-manager")
    add_country(staff)
    staff.go("staff.country_save", {"action": "submit"})
    register_version(staff, "304", name_ja="米国")
    portal.login("demo-admin")
    choices = country_options(portal)
    assert "606" not in choices and choices["304"] == "アメリカ合衆国（304）"
    clock("2026-04-30")
    assert "606" not in country_options(portal)
    clock(NEXT_MONTH)
    choices = country_options(portal)
    assert choices["606"] == "ニュージーランド（606）" and choices["304"] == "米国（304）"


# --- Roles ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("endpoint", "data"), MANAGER_ACTIONS)
def test_a_reviewer_cannot_use_any_country_function(app, clock, staff, endpoint, data):
    staff.login("demo-reviewer")
    assert "国・地域マスタ" not in staff.current().texts("button")  # not offered either
    page = staff.go(endpoint, data)
    assert page.h1 == "職員コンソール"
    assert "権限がありません" in page.text(".messages")
    assert [event.detail["endpoint"] for event in audits(app, "staff.denied")] == [endpoint]
    assert len(versions(app, "124")) == 1


@pytest.mark.parametrize(
    ("screen", "args"),
    [
        ("staff.countries", {"keyword": "", "page": 1}),
        ("staff.country", {"code": "124"}),
        ("staff.country_input", {"code": "124", "version_id": None, "shown": None, "values": {}}),
        ("staff.country_confirm", {"code": None, "version_id": None, "shown": None, "values": NEW_COUNTRY}),
        ("staff.country_delete", {"code": "124", "version_id": 1, "shown": {}}),
    ],
)
def test_a_reviewer_is_never_shown_a_country_screen(app, clock, staff, screen, args):
    staff.login("demo-reviewer")
    assert staff.show(screen, args).h1 == "職員コンソール"
