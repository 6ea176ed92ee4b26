"""S.9 国・地域マスタ (M.1): 新しい版の登録 with a 適用開始日 after today and the field rules, and
編集 / 削除 of a version only until it takes effect — confirmed, audited with before/after, and
refused when posted for a version in effect or one that took effect after its screen was shown."""

from datetime import date

import pytest
from sqlmodel import col, delete, update

from nexi import cache, db
from nexi.models import Country
from tests.support.countries import (
    NEXT_MONTH,
    add_version,
    audits,
    fill_new_version,
    fixed_clock,
    open_country,
    register_version,
    version_buttons,
    versions,
)


@pytest.fixture
def clock(app, monkeypatch):
    yield from fixed_clock(app, monkeypatch)


# --- 新しい版の登録 ------------------------------------------------------------------------------------


def test_a_new_version_is_prefilled_confirmed_and_registered(app, clock, staff_both):
    staff_both.login("demo-manager")
    open_country(staff_both, "234")
    page = staff_both.go("staff.country_new")
    assert page.h1 == "新しい版の登録"
    shown = page.form_values()
    assert shown["valid_from"] == ""
    assert (shown["name_ja"], shown["category"], shown["policy"]) == ("トルコ", "F", "条件付引受")
    assert (shown["case_limit_oku"], shown["max_usance_months"]) == ("50", "12")
    page = staff_both.go("staff.country_check", {"action": "next", **shown, "valid_from": NEXT_MONTH, "category": "E"})
    assert page.h1 == "新しい版の登録（確認）"
    assert "2026年5月1日" in page.screen_text and "E" in page.texts(".country-version dd")
    assert len(versions(app, "234")) == 1  # nothing saved before 登録する
    cache.shared("masters:tables", "any day", 300, lambda: {})
    page = staff_both.go("staff.country_save", {"action": "submit"})
    assert page.h1 == "国・地域の詳細"
    assert any("新しい版を登録しました（適用開始日 2026年5月1日）" in message for message in page.messages)
    assert page.texts(".version-status") == ["適用予定", "適用中"]
    assert "masters:tables" not in cache._entries  # this worker reads the master again
    old, new = versions(app, "234")
    assert (new.valid_from, new.category, new.case_limit_oku, old.category) == (date(2026, 5, 1), "E", 50, "F")
    (event,) = audits(app, "staff.country.added")
    assert event.detail["before"] is None
    assert event.detail["after"] | {} == {
        "code": "234",
        "valid_from": NEXT_MONTH,
        "name_ja": "トルコ",
        "name_en": "Turkey",
        "region": "欧州",
        "category": "E",
        "policy": "条件付引受",
        "case_limit_oku": 50,
        "max_usance_months": 12,
        "lc_condition": "",
        "note": "",
    }
    assert event.detail["target"] == new.id and event.staff_user_id is not None


def test_the_confirmation_can_go_back_with_the_input_kept(app, clock, staff):
    staff.login("demo-manager")
    fill_new_version(staff, "234", valid_from=NEXT_MONTH, note="見直し")
    page = staff.go("staff.country_save", {"action": "back"})
    assert page.h1 == "新しい版の登録"
    assert page.form_values()["note"] == "見直し" and page.form_values()["valid_from"] == NEXT_MONTH
    assert staff.go("staff.country_check", {"action": "back"}).h1 == "国・地域の詳細"
    assert len(versions(app, "234")) == 1 and audits(app, "staff.country.added") == []


@pytest.mark.parametrize(
    ("valid_from", "message"),
    [
        ("", "適用開始日を入力してください"),
        ("2026-04-15", "適用開始日は明日（2026年4月16日）以降の日付を入力してください"),  # today
        ("2017-11-01", "適用開始日は明日（2026年4月16日）以降"),  # the current version's date
        ("2026-06-01", "この適用開始日の版がすでにあります"),  # a scheduled version's
        ("2026/5/32", "「2026-04-15」の形式で、正しい日付を入力してください"),
    ],
)
def test_the_valid_from_is_after_today_and_not_an_existing_versions(app, clock, staff, valid_from, message):
    add_version(app, "234", "2026-06-01")
    staff.login("demo-manager")
    page = fill_new_version(staff, "234", valid_from=valid_from, note="入力した備考")
    assert page.h1 == "新しい版の登録"
    assert message in page.field_error("valid_from")
    assert page.form_values()["valid_from"] == valid_from and page.form_values()["note"] == "入力した備考"


def test_tomorrow_is_the_first_day_accepted(app, clock, staff):
    staff.login("demo-manager")
    assert register_version(staff, "234", valid_from="2026-04-16").h1 == "国・地域の詳細"


RULES = [
    ({"category": "Z"}, "category", "カテゴリーを一覧から選択してください"),
    ({"category": ""}, "category", "カテゴリーを選択してください"),
    ({"policy": "引受検討"}, "policy", "引受方針を選択肢から選択してください"),
    ({"policy": ""}, "policy", "引受方針を選択してください"),
    ({"case_limit_oku": ""}, "case_limit_oku", "条件付引受の国・地域には案件枠（億円）を入力してください"),
    (
        {"policy": "引受可能", "max_usance_months": ""},
        "case_limit_oku",
        "案件枠（億円）は引受方針が条件付引受のときだけ入力してください",
    ),
    ({"policy": "引受停止", "case_limit_oku": ""}, "max_usance_months", "条件付引受のときだけ"),
    ({"case_limit_oku": "0"}, "case_limit_oku", "1から10000までの数値で"),
    ({"max_usance_months": "0"}, "max_usance_months", "1から360までの数値で"),
    ({"max_usance_months": "361"}, "max_usance_months", "1から360までの数値で"),
    ({"max_usance_months": "1.5"}, "max_usance_months", "半角数字で入力してください"),
    ({"name_ja": ""}, "name_ja", "国名を入力してください"),
    ({"name_ja": "あ" * 41}, "name_ja", "40文字以内"),
    ({"name_en": "トルコ"}, "name_en", "半角英数字・記号で入力してください"),
    ({"region": "南極"}, "region", "地域を一覧から選択してください"),
    ({"lc_condition": "手形"}, "lc_condition", "L/C条件を一覧から選択してください"),
    ({"note": "あ" * 201}, "note", "200文字以内"),
]


@pytest.mark.parametrize(("changes", "field", "message"), RULES)
def test_each_field_rule_is_told_next_to_its_field(app, clock, staff, changes, field, message):
    staff.login("demo-manager")
    page = fill_new_version(staff, "234", valid_from=NEXT_MONTH, **changes)
    assert page.h1 == "新しい版の登録"
    assert message in page.field_error(field)
    assert len(page.error_summary) == 1
    kept = page.form_values()
    assert all(
        kept[name] == value
        for name, value in changes.items()
        if name not in ("category", "region", "lc_condition", "policy")
    )


def test_whole_numbers_and_an_empty_usance_are_accepted(app, clock, staff):
    staff.login("demo-manager")
    register_version(staff, "234", case_limit_oku="１,０００", max_usance_months="")
    new = versions(app, "234")[-1]
    assert (new.case_limit_oku, new.max_usance_months) == (1000, None)
    register_version(staff, "224", valid_from="2026-05-02", policy="引受可能", lc_condition="確認L/C")
    new = versions(app, "224")[-1]
    assert (new.policy, new.case_limit_oku, new.lc_condition) == ("引受可能", None, "確認L/C")


def test_a_date_taken_meanwhile_is_told_at_registration(app, clock, staff):
    staff.login("demo-manager")
    page = fill_new_version(staff, "234", valid_from=NEXT_MONTH)
    assert page.h1 == "新しい版の登録（確認）"
    add_version(app, "234", NEXT_MONTH)  # another staff member was quicker
    page = staff.go("staff.country_save", {"action": "submit"})
    assert page.h1 == "新しい版の登録"
    assert "この適用開始日の版がすでにあります" in page.field_error("valid_from")
    assert len(versions(app, "234")) == 2 and audits(app, "staff.country.added") == []


def test_a_date_that_became_today_is_refused_at_registration(app, clock, staff):
    staff.login("demo-manager")
    fill_new_version(staff, "234", valid_from="2026-04-16")
    clock("2026-04-16")
    page = staff.go("staff.country_save", {"action": "submit"})
    assert "明日（2026年4月17日）以降" in page.field_error("valid_from")
    assert len(versions(app, "234")) == 1


def test_registering_twice_registers_once(app, clock, staff):
    staff.login("demo-manager")
    register_version(staff, "234")
    staff.go("staff.country_save", {"action": "submit"})  # a repeat: the state moved on
    assert len(versions(app, "234")) == 2 and len(audits(app, "staff.country.added")) == 1


# --- 編集 and 削除 of a version not yet in effect ---------------------------------------------------


def test_a_future_version_is_edited_with_before_and_after(app, clock, staff_both):
    future = add_version(app, "124", NEXT_MONTH)
    staff_both.login("demo-manager")
    open_country(staff_both, "124")
    page = staff_both.go("staff.country_edit", {"version": str(future)})
    assert page.h1 == "版の編集"
    shown = page.form_values()
    assert shown["valid_from"] == NEXT_MONTH and shown["case_limit_oku"] == "10"
    changes = {"valid_from": "2026-05-10", "policy": "引受停止", "case_limit_oku": "", "max_usance_months": ""}
    page = staff_both.go("staff.country_check", {"action": "next", **shown, **changes})
    assert page.h1 == "版の編集（確認）"
    assert page.texts(".table--country-change tr.changed th") == [
        "適用開始日",
        "引受方針",
        "案件枠（億円）",
        "最長ユーザンス（月）",
    ]
    policy = next(row for row in page.select(".table--country-change tbody tr") if "引受方針" in row.th.get_text())
    assert [" ".join(cell.get_text().split()) for cell in policy.select("td")] == ["条件付引受", "引受停止 変更"]
    page = staff_both.go("staff.country_save", {"action": "submit"})
    assert any("版の変更を保存しました（適用開始日 2026年5月10日）" in message for message in page.messages)
    changed = versions(app, "124")[-1]
    assert (changed.id, changed.valid_from, changed.policy, changed.case_limit_oku) == (
        future,
        date(2026, 5, 10),
        "引受停止",
        None,
    )
    (event,) = audits(app, "staff.country.updated")
    before, after = event.detail["before"], event.detail["after"]
    assert (before["valid_from"], before["policy"], before["case_limit_oku"]) == (NEXT_MONTH, "条件付引受", 10)
    assert (after["valid_from"], after["policy"], after["case_limit_oku"]) == ("2026-05-10", "引受停止", None)
    assert event.detail["target"] == future


def test_an_edit_keeps_its_own_date_but_not_another_versions(app, clock, staff):
    future = add_version(app, "124", NEXT_MONTH)
    add_version(app, "124", "2026-06-01")
    staff.login("demo-manager")
    open_country(staff, "124")
    shown = staff.go("staff.country_edit", {"version": str(future)}).form_values()
    page = staff.go("staff.country_check", {"action": "next", **shown, "valid_from": "2026-06-01"})
    assert "この適用開始日の版がすでにあります" in page.field_error("valid_from")
    page = staff.go("staff.country_check", {"action": "next", **shown, "note": "日付はそのまま"})
    assert page.h1 == "版の編集（確認）"


def test_a_future_version_is_deleted_after_confirmation(app, clock, staff):
    future = add_version(app, "124", NEXT_MONTH, note="取りやめ")
    staff.login("demo-manager")
    open_country(staff, "124")
    page = staff.go("staff.country_delete", {"version": str(future)})
    assert page.h1 == "版の削除（確認）"
    assert "取りやめ" in page.texts(".country-version dd")
    assert staff.go("staff.country_delete_apply", {"action": "back"}).h1 == "国・地域の詳細"
    assert len(versions(app, "124")) == 2
    staff.go("staff.country_delete", {"version": str(future)})
    page = staff.go("staff.country_delete_apply", {"action": "apply"})
    assert page.h1 == "国・地域の詳細"
    assert any("適用開始日が2026年5月1日の版を削除しました" in message for message in page.messages)
    assert [version.valid_from for version in versions(app, "124")] == [date(2017, 11, 1)]
    (event,) = audits(app, "staff.country.deleted")
    assert event.detail["before"]["note"] == "取りやめ" and event.detail["after"] is None


def _current_id(app, code):
    return versions(app, code)[0].id


@pytest.mark.parametrize("action", ["staff.country_edit", "staff.country_delete"])
def test_a_version_in_effect_is_neither_offered_nor_accepted(app, clock, staff, action):
    staff.login("demo-manager")
    page = open_country(staff, "124")
    assert version_buttons(page) == set()
    page = staff.go(action, {"version": str(_current_id(app, "124"))})  # posted all the same
    assert page.h1 == "国・地域の詳細"
    assert any("適用開始日を迎えた版" in message for message in page.messages)
    page = staff.go(action, {"version": str(_current_id(app, "224"))})  # another country's version
    assert page.h1 == "国・地域の詳細"
    assert any("見つかりません" in message for message in page.messages)
    assert staff.go(action, {"version": "x"}).h1 == "国・地域の詳細"
    assert versions(app, "124")[0].category == "H"


def test_a_version_that_took_effect_after_its_screen_is_not_edited(app, clock, staff):
    future = add_version(app, "124", NEXT_MONTH)
    staff.login("demo-manager")
    open_country(staff, "124")
    shown = staff.go("staff.country_edit", {"version": str(future)}).form_values()
    staff.go("staff.country_check", {"action": "next", **shown, "valid_from": "2026-05-10"})
    clock(NEXT_MONTH)  # the version took effect while 確認 was shown
    page = staff.go("staff.country_save", {"action": "submit"})
    assert page.h1 == "国・地域の詳細"
    assert any("適用開始日を迎えた版" in message for message in page.messages)
    assert versions(app, "124")[-1].valid_from == date(2026, 5, 1)
    assert audits(app, "staff.country.updated") == []


def test_a_version_that_took_effect_after_the_detail_is_not_opened_for_editing(app, clock, staff):
    future = add_version(app, "124", NEXT_MONTH)
    staff.login("demo-manager")
    assert version_buttons(open_country(staff, "124"))
    clock(NEXT_MONTH)
    page = staff.go("staff.country_edit", {"version": str(future)})
    assert page.h1 == "国・地域の詳細" and any("適用開始日を迎えた版" in m for m in page.messages)
    assert version_buttons(page) == set()


def test_a_version_that_took_effect_after_its_screen_is_not_deleted(app, clock, staff):
    future = add_version(app, "124", NEXT_MONTH)
    staff.login("demo-manager")
    open_country(staff, "124")
    staff.go("staff.country_delete", {"version": str(future)})
    clock(NEXT_MONTH)
    page = staff.go("staff.country_delete_apply", {"action": "apply"})
    assert any("適用開始日を迎えた版" in message for message in page.messages)
    assert len(versions(app, "124")) == 2 and audits(app, "staff.country.deleted") == []


def test_the_write_itself_refuses_a_version_in_effect(app, clock):
    """The views check before writing; the statement checks again (nexi/masters.py)."""
    from nexi import masters
    from tests.support.staff import staff_account

    future = add_version(app, "124", NEXT_MONTH)
    manager = staff_account(app, "demo-manager")  # before the request: its session holds the write lock
    clock(NEXT_MONTH)
    with app.test_request_context():
        shown = masters.country_snapshot(db.session().get(Country, future))
        assert masters.delete_country_version(future, shown, staff=manager) is False
        values = shown | {"valid_from": date(2026, 6, 1)}
        assert masters.change_country_version(future, shown, values, staff=manager) == masters.STALE


def test_a_version_changed_by_someone_else_meanwhile_is_not_saved_over(app, clock, staff):
    future = add_version(app, "124", NEXT_MONTH)
    staff.login("demo-manager")
    open_country(staff, "124")
    shown = staff.go("staff.country_edit", {"version": str(future)}).form_values()
    staff.go("staff.country_check", {"action": "next", **shown, "note": "私の変更"})
    with app.app_context():  # another staff member saved first
        db.session().exec(update(Country).where(col(Country.id) == future).values(note="先の変更"))
        db.session().commit()
    page = staff.go("staff.country_save", {"action": "submit"})
    assert page.h1 == "国・地域の詳細"
    assert any("他の職員が変更または削除したため、保存しませんでした" in message for message in page.messages)
    assert versions(app, "124")[-1].note == "先の変更"
    assert audits(app, "staff.country.updated") == []


def test_a_version_deleted_by_someone_else_meanwhile_is_told(app, clock, staff):
    future = add_version(app, "124", NEXT_MONTH)
    staff.login("demo-manager")
    open_country(staff, "124")
    staff.go("staff.country_delete", {"version": str(future)})
    with app.app_context():
        db.session().exec(delete(Country).where(col(Country.id) == future))
        db.session().commit()
    page = staff.go("staff.country_delete_apply", {"action": "apply"})
    assert any("他の職員が変更または削除したため、削除しませんでした" in message for message in page.messages)
    assert audits(app, "staff.country.deleted") == []
