"""S.9 マスタ管理 (M.2–M.4, the §6 tariff and weights): the rules of 入力 (a 適用開始日 after today
and not another version's, the bounds of each value, told at the field with what was typed
kept), and 編集 / 削除 of a version only until it takes effect — confirmed, audited with
before/after, refused for a version in effect or one that took effect or was changed by someone
else after its screen was shown."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import col, delete, update

from nexi import db, master_versions, masters
from nexi.models import Currency, Tariff, TariffWeights
from tests.support.masters import (
    NEXT_MONTH,
    TOMORROW,
    USD_JULY,
    add_row,
    add_version,
    audits,
    edit_july,
    fill_new_version,
    fixed_clock,
    open_key,
    read,
    rows,
    usd,
    version_buttons,
    write,
)
from tests.support.staff import staff_account


@pytest.fixture
def clock(app, monkeypatch):
    return fixed_clock(app, monkeypatch)


# --- The rules of 入力 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "message"),
    [
        ("", "適用開始日を入力してください"),
        ("2026-04-15", "適用開始日は明日（2026年4月16日）以降の日付を入力してください"),  # today
        ("2026-01-01", "適用開始日は明日（2026年4月16日）以降"),  # the current version's date
        ("2026-07-01", "この適用開始日の版がすでにあります"),  # a scheduled version's
        ("2026/5/32", "「2026-04-15」の形式で、正しい日付を入力してください"),
    ],
)
def test_the_valid_from_is_after_today_and_not_another_versions(app, clock, staff, valid_from, message):
    staff.login("demo-manager")
    page = fill_new_version(staff, "currency", "USD", valid_from=valid_from, rate="160.00")
    assert page.h1 == "新しい版の追加"
    assert message in page.field_error("valid_from")
    assert page.form_values() == {"valid_from": valid_from, "rate": "160.00"}


@pytest.mark.parametrize(
    ("master", "key", "changes", "field", "message"),
    [
        ("currency", "USD", {"rate": "abc"}, "rate", "換算レート（円）は半角数字で入力してください"),
        ("currency", "USD", {"rate": ""}, "rate", "換算レート（円）を入力してください"),
        ("currency", "USD", {"rate": "0"}, "rate", "換算レート（円）は0より大きく1000000以下の数値で"),
        ("currency", "USD", {"rate": "-1"}, "rate", "0より大きく"),
        ("currency", "USD", {"rate": "2000000"}, "rate", "1000000以下"),
        ("currency", "USD", {"rate": "150.1234567"}, "rate", "換算レート（円）は小数点以下6桁までで入力してください"),
        ("rating", "EA", {"coefficient": "1.234"}, "coefficient", "格付係数は小数点以下2桁までで入力してください"),
        ("commodity", "鋼材", {"coefficient": "0.00"}, "coefficient", "商品係数は0より大きく"),
        ("tariff", "船積前", {"a": "0.0000691"}, "a", "a（%/日）は小数点以下6桁まで"),
        ("tariff", "船積前", {"b": "0.0291"}, "b", "b（%）は小数点以下3桁まで"),
        ("weights", "てん補調整係数の重み（w_p・w_c）", {"commercial": "0.555"}, "commercial", "小数点以下2桁まで"),
    ],
)
def test_a_bad_value_is_told_at_its_field_and_kept(app, clock, staff, master, key, changes, field, message):
    staff.login("demo-manager")
    page = fill_new_version(staff, master, key, valid_from=NEXT_MONTH, **changes)
    assert page.h1 == "新しい版の追加"
    assert message in page.field_error(field)
    assert len(page.error_summary) == 1
    assert page.form_values()[field] == changes[field]


def test_numbers_are_read_as_typed_in_full_width_and_with_commas(app, clock, staff):
    staff.login("demo-manager")
    add_version(staff, "currency", "USD", rate="１,６０５．２５")
    assert read(app, masters.currencies, date(2026, 5, 1))["USD"].rate == Decimal("1605.25")


def test_the_confirmation_goes_back_with_the_input_kept(app, clock, staff):
    staff.login("demo-manager")
    fill_new_version(staff, "tariff", "船積前", valid_from=NEXT_MONTH, b="0.030")
    page = staff.go("staff.master_save", {"action": "back"})
    assert page.h1 == "新しい版の追加" and page.form_values()["b"] == "0.030"
    assert staff.go("staff.master_check", {"action": "back"}).h1 == "基準料率（a・b）の詳細"
    assert len(rows(app, Tariff, phase="pre", category="A")) == 1 and audits(app, "staff.master.added") == []


def test_a_date_taken_meanwhile_is_told_at_registration(app, clock, staff):
    staff.login("demo-manager")
    assert fill_new_version(staff, "weights", "てん補調整係数の重み（w_p・w_c）", valid_from=NEXT_MONTH).h1.endswith(
        "（確認）"
    )
    add_row(app, TariffWeights, valid_from=date(2026, 5, 1), political=Decimal("1"), commercial=Decimal("1"))
    page = staff.go("staff.master_save", {"action": "submit"})
    assert page.h1 == "新しい版の追加"
    assert "この適用開始日の版がすでにあります" in page.field_error("valid_from")
    assert len(rows(app, TariffWeights)) == 2 and audits(app, "staff.master.added") == []


def test_a_date_that_became_today_is_refused_at_registration(app, clock, staff):
    staff.login("demo-manager")
    fill_new_version(staff, "currency", "EUR", valid_from=TOMORROW)
    clock(TOMORROW)
    page = staff.go("staff.master_save", {"action": "submit"})
    assert "明日（2026年4月17日）以降" in page.field_error("valid_from")
    assert len(rows(app, Currency, code="EUR")) == 1


def test_registering_twice_registers_once(app, clock, staff):
    staff.login("demo-manager")
    add_version(staff, "currency", "EUR")
    staff.go("staff.master_save", {"action": "submit"})  # a repeat: the state moved on
    assert len(rows(app, Currency, code="EUR")) == 2 and len(audits(app, "staff.master.added")) == 1


# --- 編集 and 削除 of a version not yet in effect ---------------------------------------------------


def test_a_future_version_is_edited_with_before_and_after(app, clock, staff_both):
    staff_both.login("demo-manager")
    july = usd(app)
    page = edit_july(staff_both, valid_from="2026-07-10", rate="155.5")
    assert page.h1 == "版の編集（確認）"
    assert page.texts(".table--master-change tr.changed th") == ["適用開始日", "換算レート（円）"]
    rate = page.select(".table--master-change tbody tr")[1]
    assert [" ".join(cell.get_text().split()) for cell in rate.select("td")] == ["152.35", "155.5 変更"]
    page = staff_both.go("staff.master_save", {"action": "submit"})
    assert any("版の変更を保存しました（適用開始日 2026年7月10日）" in message for message in page.messages)
    changed = usd(app, date(2026, 7, 10))
    assert (changed.id, changed.rate) == (july.id, Decimal("155.5"))
    assert read(app, masters.currencies, USD_JULY)["USD"].rate == Decimal("150.00")
    assert read(app, masters.currencies, date(2026, 7, 10))["USD"].rate == Decimal("155.5")
    (event,) = audits(app, "staff.master.updated")
    assert event.detail == {
        "master": "currency",
        "target": july.id,
        "before": {"code": "USD", "decimals": 2, "valid_from": "2026-07-01", "rate": "152.35"},
        "after": {"code": "USD", "decimals": 2, "valid_from": "2026-07-10", "rate": "155.5"},
    }


def test_an_edit_keeps_its_own_date_but_not_another_versions(app, clock, staff):
    add_row(app, Currency, code="USD", valid_from=date(2026, 8, 1), decimals=2, rate=Decimal("153.00"))
    staff.login("demo-manager")
    page = edit_july(staff, valid_from="2026-08-01")
    assert "この適用開始日の版がすでにあります" in page.field_error("valid_from")
    page = staff.go("staff.master_check", {"action": "next", "valid_from": "2026-07-01", "rate": "152.40"})
    assert page.h1 == "版の編集（確認）"


def test_a_future_version_is_deleted_after_confirmation(app, clock, staff):
    staff.login("demo-manager")
    july = usd(app)
    open_key(staff, "currency", "USD")
    page = staff.go("staff.master_delete", {"version": str(july.id)})
    assert page.h1 == "版の削除（確認）"
    assert page.texts(".master-version dd") == ["2026年7月1日", "152.35"]
    assert staff.go("staff.master_delete_apply", {"action": "back"}).h1 == "通貨・換算レートの詳細"
    assert len(rows(app, Currency, code="USD")) == 2
    staff.go("staff.master_delete", {"version": str(july.id)})
    page = staff.go("staff.master_delete_apply", {"action": "apply"})
    assert page.h1 == "通貨・換算レートの詳細"
    assert any("適用開始日が2026年7月1日の版を削除しました" in message for message in page.messages)
    assert [row.valid_from for row in rows(app, Currency, code="USD")] == [date(2026, 1, 1)]
    assert read(app, masters.currencies, USD_JULY)["USD"].rate == Decimal("150.00")
    (event,) = audits(app, "staff.master.deleted")
    assert event.detail["before"]["rate"] == "152.35" and event.detail["after"] is None


@pytest.mark.parametrize("action", ["staff.master_edit", "staff.master_delete"])
def test_a_version_in_effect_is_neither_offered_nor_accepted(app, clock, staff, action):
    staff.login("demo-manager")
    page = open_key(staff, "currency", "EUR")
    assert version_buttons(page) == set()
    page = staff.go(action, {"version": str(rows(app, Currency, code="EUR")[0].id)})  # posted all the same
    assert page.h1 == "通貨・換算レートの詳細"
    assert any("適用開始日を迎えた版" in message for message in page.messages)
    page = staff.go(action, {"version": str(usd(app).id)})  # another currency's version
    assert any("見つかりません" in message for message in page.messages)
    assert staff.go(action, {"version": "x"}).h1 == "通貨・換算レートの詳細"
    assert rows(app, Currency, code="EUR")[0].rate == Decimal("162.00")


def test_a_version_that_took_effect_after_the_detail_is_not_opened_for_editing(app, clock, staff):
    staff.login("demo-manager")
    assert version_buttons(open_key(staff, "currency", "USD"))
    clock("2026-07-01")
    page = staff.go("staff.master_edit", {"version": str(usd(app).id)})
    assert page.h1 == "通貨・換算レートの詳細" and any("適用開始日を迎えた版" in m for m in page.messages)
    assert version_buttons(page) == set()


def test_a_version_that_took_effect_after_its_screen_is_not_edited(app, clock, staff):
    staff.login("demo-manager")
    edit_july(staff, rate="155.00")
    clock("2026-07-01")  # the version took effect while 確認 was shown
    page = staff.go("staff.master_save", {"action": "submit"})
    assert page.h1 == "通貨・換算レートの詳細"
    assert any("適用開始日を迎えた版" in message for message in page.messages)
    assert usd(app).rate == Decimal("152.35") and audits(app, "staff.master.updated") == []


def test_a_version_that_took_effect_after_its_screen_is_not_deleted(app, clock, staff):
    staff.login("demo-manager")
    open_key(staff, "currency", "USD")
    staff.go("staff.master_delete", {"version": str(usd(app).id)})
    clock("2026-07-01")
    page = staff.go("staff.master_delete_apply", {"action": "apply"})
    assert any("適用開始日を迎えた版" in message for message in page.messages)
    assert len(rows(app, Currency, code="USD")) == 2 and audits(app, "staff.master.deleted") == []


def test_the_write_itself_refuses_a_version_in_effect(app, clock):
    """The views check before writing; the statement checks again (nexi/master_versions.py)."""
    manager = staff_account(app, "demo-manager")
    july = usd(app)
    clock("2026-07-01")
    with app.test_request_context():
        shown = master_versions.snapshot(master_versions.CURRENCY, july)
        assert master_versions.delete_version(master_versions.CURRENCY, july.id, shown, staff=manager) is False
        values = {"valid_from": date(2026, 8, 1), "rate": Decimal("1")}
        result = master_versions.change_version(master_versions.CURRENCY, july.id, shown, values, staff=manager)
        assert result == master_versions.STALE
    assert usd(app).rate == Decimal("152.35")


def test_a_version_changed_by_someone_else_meanwhile_is_not_saved_over(app, clock, staff):
    staff.login("demo-manager")
    edit_july(staff, rate="155.00")
    write(app, update(Currency).where(col(Currency.id) == usd(app).id).values(rate=Decimal("153.00")))
    page = staff.go("staff.master_save", {"action": "submit"})
    assert page.h1 == "通貨・換算レートの詳細"
    assert any("他の職員が変更または削除したため、保存しませんでした" in message for message in page.messages)
    assert usd(app).rate == Decimal("153.00") and audits(app, "staff.master.updated") == []


def test_a_version_deleted_by_someone_else_meanwhile_is_told(app, clock, staff):
    staff.login("demo-manager")
    open_key(staff, "currency", "USD")
    staff.go("staff.master_delete", {"version": str(usd(app).id)})
    write(app, delete(Currency).where(col(Currency.id) == usd(app).id))
    page = staff.go("staff.master_delete_apply", {"action": "apply"})
    assert any("他の職員が変更または削除したため、削除しませんでした" in message for message in page.messages)
    assert audits(app, "staff.master.deleted") == []


def test_an_edit_onto_a_date_taken_meanwhile_is_told(app, clock, staff):
    staff.login("demo-manager")
    edit_july(staff, valid_from="2026-08-01")
    add_row(app, Currency, code="USD", valid_from=date(2026, 8, 1), decimals=2, rate=Decimal("153.00"))
    page = staff.go("staff.master_save", {"action": "submit"})
    assert page.h1 == "版の編集"
    assert "この適用開始日の版がすでにあります" in page.field_error("valid_from")
    assert usd(app).rate == Decimal("152.35")


def test_the_write_itself_refuses_a_second_version_of_the_same_day(app, clock):
    """The screens check the dates first; the table's unique key is what a race meets (TAKEN)."""
    manager = staff_account(app, "demo-manager")
    values = {"code": "USD", "decimals": 2, "valid_from": USD_JULY, "rate": Decimal("1")}
    with app.test_request_context():
        assert master_versions.add_version(master_versions.CURRENCY, values, staff=manager) is None
        db.session().commit()
    assert len(rows(app, Currency, code="USD")) == 2 and audits(app, "staff.master.added") == []
