"""S.9 マスタ管理 (M.2–M.4, the §6 tariff and weights): a 管理担当 lists the masters, each key with
its version valid today and the next one, and a key's versions; a new version (or a new 通貨 or
商品区分) is what the readers (nexi/masters.py) return from its 適用開始日 on, and the process's
copy of the masters is dropped; a 審査担当 and customers can do none of it. The rules of 入力,
編集 and 削除: test_master_versions.py."""

from datetime import date
from decimal import Decimal

import pytest

from nexi import cache, masters
from nexi.models import Commodity, Currency, Rating
from tests.support.masters import (
    NEXT_MONTH,
    TOMORROW,
    USD_JULY,
    add_row,
    add_version,
    audits,
    fill_new_version,
    fixed_clock,
    open_key,
    open_list,
    read,
    rows,
    usd,
    version_buttons,
)
from tests.support.staff import staff_account


@pytest.fixture
def clock(app, monkeypatch):
    return fixed_clock(app, monkeypatch)


# --- マスタ管理 and the lists -------------------------------------------------------------------------


def test_the_console_offers_the_masters_and_countries_stay_on_their_screen(app, clock, staff):
    staff.login("demo-manager")
    assert "マスタ管理（換算レート・格付係数・商品係数・基準料率）" in staff.current().texts(".staff-menu button")
    page = staff.go("staff.masters")
    assert page.h1 == "マスタ管理"
    assert page.texts("tr.master-entry th") == [
        "国・地域",
        "通貨・換算レート",
        "格付係数",
        "商品係数",
        "基準料率（a・b）",
        "てん補調整係数の重み（w_p・w_c）",
    ]
    assert staff.go("staff.countries").h1 == "国・地域一覧"


def test_a_list_shows_each_keys_version_valid_today_and_the_next(app, clock, staff):
    staff.login("demo-manager")
    page = open_list(staff, "currency")
    assert page.h1 == "通貨・換算レート（M.2）"
    assert page.texts("tr.master-row th")[:3] == ["JPY", "AUD", "CAD"]
    dollar = next(row for row in page.select("tr.master-row") if row.th.get_text(strip=True) == "USD")
    assert dollar.select_one(".master-value").get_text(strip=True) == "150.00"
    assert (
        " ".join(dollar.select_one(".master-next").get_text().split()) == "予定 2026/07/01から 換算レート（円） 152.35"
    )
    clock("2026-07-01")
    page = open_list(staff, "currency")
    dollar = next(row for row in page.select("tr.master-row") if row.th.get_text(strip=True) == "USD")
    assert dollar.select_one(".master-value").get_text(strip=True) == "152.35"
    assert dollar.select_one(".master-next").get_text(strip=True) == "—"


@pytest.mark.parametrize(
    ("master", "heading", "first_row"),
    [
        ("rating", "格付係数（M.3）", "GS 中央銀行・財務省・国際機関等 可 1.0 2017/11/01 —"),
        ("commodity", "商品係数（M.4）", "一般 1.00 2017/11/01 —"),
        ("tariff", "基準料率（a・b）（§6）", "船積前 A 0.000069 0.029 2017/11/01 —"),
        ("weights", "てん補調整係数の重み（w_p・w_c）（§6）", "てん補調整係数の重み（w_p・w_c） 0.5 0.5 2017/11/01 —"),
    ],
)
def test_each_master_is_listed_in_its_order(app, clock, staff, master, heading, first_row):
    staff.login("demo-manager")
    page = open_list(staff, master)
    assert page.h1 == heading
    assert page.texts("tr.master-row")[0] == first_row
    assert len(page.select("tr.master-row")) == {"rating": 19, "commodity": 7, "tariff": 16, "weights": 1}[master]


def test_a_list_is_paged(app, clock, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 5)
    staff.login("demo-manager")
    open_list(staff, "currency")
    page = staff.go("staff.master_page", {"page": "3"})
    assert page.texts("tr.master-row th") == ["USD"]
    assert "11件（3/3ページ）" in page.text(".result-count")


def test_the_detail_shows_every_version_with_its_state(app, clock, staff):
    add_row(app, Currency, code="USD", valid_from=date(2026, 3, 1), decimals=2, rate=Decimal("151.00"))
    staff.login("demo-manager")
    page = open_key(staff, "currency", "USD")
    assert page.h1 == "通貨・換算レートの詳細"
    assert page.texts(".master-heading dd") == ["USD", "2"]
    assert page.texts("tr.version-row th") == ["2026/07/01", "2026/03/01", "2026/01/01"]
    assert page.texts(".version-status") == ["予定", "適用中", "終了"]
    assert page.texts("tr.version-row .master-value") == ["152.35", "151.00", "150.00"]
    july = str(usd(app).id)
    assert version_buttons(page) == {("編集", july), ("削除", july)}  # the future one only


# --- 新しい版を追加: the readers return it from its 適用開始日 on ---------------------------------------


def test_a_new_rate_is_what_the_readers_return_from_its_valid_from(app, clock, staff_both, monkeypatch):
    staff_both.login("demo-manager")
    page = fill_new_version(staff_both, "currency", "USD", valid_from=TOMORROW, rate="160.00")
    assert page.h1 == "新しい版の追加（確認）"
    assert page.texts(".master-version dd") == ["2026年4月16日", "160.00"]
    assert len(rows(app, Currency, code="USD")) == 2  # nothing saved before 登録する
    monkeypatch.setitem(app.config, "NEXI_MASTER_CACHE_SECONDS", 300)
    assert read(app, masters.currencies)["USD"].rate == Decimal("150.00")  # this process keeps a copy
    assert any(key.startswith("masters:") for key in cache._entries)
    page = staff_both.go("staff.master_save", {"action": "submit"})
    assert page.h1 == "通貨・換算レートの詳細"
    assert any("新しい版を追加しました（適用開始日 2026年4月16日）" in message for message in page.messages)
    assert not any(key.startswith("masters:") for key in cache._entries)  # dropped: read again
    assert page.texts(".version-status") == ["予定", "予定", "適用中"]
    assert read(app, masters.currencies)["USD"].rate == Decimal("150.00")  # today: the old one
    clock(TOMORROW)
    assert read(app, masters.currencies)["USD"].rate == Decimal("160.00")
    assert read(app, masters.currencies, date(2026, 6, 30))["USD"].rate == Decimal("160.00")
    assert read(app, masters.currencies, USD_JULY)["USD"].rate == Decimal("152.35")
    added = rows(app, Currency, code="USD")[1]
    assert (added.valid_from, added.decimals, added.rate) == (date(2026, 4, 16), 2, Decimal("160.00"))
    (event,) = audits(app, "staff.master.added")
    assert event.detail == {
        "master": "currency",
        "target": added.id,
        "before": None,
        "after": {"code": "USD", "decimals": 2, "valid_from": TOMORROW, "rate": "160.00"},
    }
    assert event.staff_user_id == staff_account(app, "demo-manager").id


NEW_VERSIONS = [  # master, key in the list, changes, the reader's value on NEXT_MONTH
    ("rating", "EA", {"coefficient": "1.25"}, lambda day: masters.ratings(day)["EA"].coefficient, "1.25"),
    (
        "commodity",
        "機械設備",
        {"coefficient": "1.2"},
        lambda day: masters.commodities(day)["機械設備"].coefficient,
        "1.2",
    ),
    ("tariff", "船積後", {"a": "0.006", "b": "0.13"}, lambda day: masters.tariff(day)[("post", "A")].a, "0.006"),
    (
        "weights",
        "てん補調整係数の重み（w_p・w_c）",
        {"political": "0.6"},
        lambda day: masters.weights(day).political,
        "0.6",
    ),
]


@pytest.mark.parametrize(("master", "key", "changes", "reader", "value"), NEW_VERSIONS)
def test_each_master_takes_new_versions(app, clock, staff, master, key, changes, reader, value):
    before = read(app, reader)
    staff.login("demo-manager")
    page = add_version(staff, master, key, **changes)
    assert page.h1.endswith("の詳細") and page.texts(".version-status") == ["予定", "適用中"]
    assert read(app, reader, date(2026, 4, 30)) == before
    assert read(app, reader, date(2026, 5, 1)) == Decimal(value)
    (event,) = audits(app, "staff.master.added")
    assert event.detail["master"] == master and event.detail["after"]["valid_from"] == NEXT_MONTH


def test_a_ratings_new_version_keeps_its_meaning_cover_and_place(app, clock, staff):
    staff.login("demo-manager")
    add_version(staff, "rating", "EM", coefficient="1.60")
    later = read(app, masters.ratings, date(2026, 5, 1))
    assert list(later) == list(read(app, masters.ratings))  # the order of M.3
    assert (later["EM"].meaning, later["EM"].cover, later["EM"].coefficient) == (
        "民間企業（中位）",
        "枠要",
        Decimal("1.60"),
    )


def test_a_rating_without_credit_cover_takes_no_version(app, clock, staff):
    staff.login("demo-manager")
    page = open_key(staff, "rating", "SC")
    assert "新しい版を追加" not in page.button_names()
    assert "信用危険が「不可」の格付には格付係数がありません" in page.text(".master-not-editable")
    page = staff.go("staff.master_new")  # posted all the same
    assert page.h1 == "格付係数の詳細" and any("格付係数がありません" in m for m in page.messages)
    assert len(rows(app, Rating, code="SC")) == 1


def test_a_new_currency_is_added_with_its_decimals(app, clock, staff):
    staff.login("demo-manager")
    open_list(staff, "currency")
    page = staff.go("staff.master_add_key")
    assert page.h1 == "通貨の追加"
    values = {"code": "ｋｒｗ", "decimals": "0", "valid_from": NEXT_MONTH, "rate": "0.11"}
    page = staff.go("staff.master_check", {"action": "next", **values})
    assert page.h1 == "通貨の追加（確認）"
    assert page.texts(".master-version dd") == ["KRW", "0（小数なし）", "2026年5月1日", "0.11"]
    page = staff.go("staff.master_save", {"action": "submit"})
    assert page.h1 == "通貨・換算レートの詳細"
    assert any("通貨を登録しました（適用開始日 2026年5月1日）" in m for m in page.messages)
    assert "KRW" not in read(app, masters.currencies, date(2026, 4, 30))
    won = read(app, masters.currencies, date(2026, 5, 1))["KRW"]
    assert (won.decimals, won.rate) == (0, Decimal("0.11"))
    assert audits(app, "staff.master.added")[0].detail["after"]["code"] == "KRW"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "USD"}, "code", "この通貨コードはすでに登録されています"),
        ({"code": "US"}, "code", "通貨コードは半角英字3文字で入力してください"),
        ({"code": ""}, "code", "通貨コードを入力してください"),
        ({"decimals": ""}, "decimals", "小数（桁）を選択してください"),
        ({"decimals": "3"}, "decimals", "小数（桁）を選択肢から選択してください"),
    ],
)
def test_a_new_currency_has_a_new_code_and_decimals_0_or_2(app, clock, staff, changes, field, message):
    staff.login("demo-manager")
    open_list(staff, "currency")
    staff.go("staff.master_add_key")
    values = {"code": "KRW", "decimals": "0", "valid_from": NEXT_MONTH, "rate": "0.11"} | changes
    page = staff.go("staff.master_check", {"action": "next", **values})
    assert message in page.field_error(field)
    assert page.form_values()["rate"] == "0.11"


def test_a_new_commodity_comes_last_and_its_only_version_can_be_deleted(app, clock, staff):
    staff.login("demo-manager")
    open_list(staff, "commodity")
    staff.go("staff.master_add_key")
    page = staff.go(
        "staff.master_check", {"action": "next", "name": "一般", "valid_from": NEXT_MONTH, "coefficient": "1"}
    )
    assert "この商品区分はすでに登録されています" in page.field_error("name")
    staff.go(
        "staff.master_check", {"action": "next", "name": "医薬品", "valid_from": NEXT_MONTH, "coefficient": "1.05"}
    )
    staff.go("staff.master_save", {"action": "submit"})
    assert list(read(app, masters.commodities, date(2026, 5, 1)))[-1] == "医薬品"
    (added,) = rows(app, Commodity, name="医薬品")
    assert added.position == 8
    page = staff.go("staff.master_delete", {"version": str(added.id)})
    assert "この商品区分はマスタからなくなります" in page.screen_text
    page = staff.go("staff.master_delete_apply", {"action": "apply"})
    assert page.h1 == "商品係数（M.4）" and rows(app, Commodity, name="医薬品") == []


# --- Roles ------------------------------------------------------------------------------------------

MANAGER_ACTIONS = [
    ("staff.masters", {}),
    ("staff.master_list", {"master": "currency"}),
    ("staff.master_page", {"page": "2"}),
    ("staff.master_detail", {"version": "1"}),
    ("staff.master_new", {}),
    ("staff.master_add_key", {}),
    ("staff.master_edit", {"version": "1"}),
    ("staff.master_check", {"action": "next", "valid_from": NEXT_MONTH, "rate": "1"}),
    ("staff.master_save", {"action": "submit"}),
    ("staff.master_delete", {"version": "1"}),
    ("staff.master_delete_apply", {"action": "apply"}),
]


@pytest.mark.parametrize(("endpoint", "data"), MANAGER_ACTIONS)
def test_a_reviewer_cannot_use_any_master_function(app, clock, staff, endpoint, data):
    staff.login("demo-reviewer")
    assert not any("マスタ管理" in label for label in staff.current().texts("button"))  # not offered either
    page = staff.go(endpoint, data)
    assert page.h1 == "職員コンソール"
    assert "権限がありません" in page.text(".messages")
    assert [event.detail["endpoint"] for event in audits(app, "staff.denied")] == [endpoint]


@pytest.mark.parametrize(
    ("screen", "args"),
    [
        ("staff.masters", {}),
        ("staff.master_list", {"master": "currency", "page": 1}),
        ("staff.master_detail", {"master": "currency", "key": ["USD"]}),
        ("staff.master_input", {"master": "currency", "key": ["USD"], "version_id": None, "shown": None, "values": {}}),
        ("staff.master_confirm", {"master": "currency", "key": None, "version_id": None, "shown": None, "values": {}}),
        ("staff.master_delete", {"master": "currency", "key": ["USD"], "version_id": 1, "shown": {}}),
    ],
)
def test_a_reviewer_is_never_shown_a_master_screen(app, clock, staff, screen, args):
    staff.login("demo-reviewer")
    assert staff.show(screen, args).h1 == "職員コンソール"


def test_a_customer_reaches_no_master_function(app, clock, portal):
    portal.login("demo-admin")
    assert portal.get(portal.url("staff.current")).h1 == "職員ログイン"  # its CSRF token
    for endpoint, data in MANAGER_ACTIONS:
        assert portal.go(endpoint, data).h1 == "職員ログイン", endpoint
    assert len(rows(app, Currency, code="USD")) == 2
