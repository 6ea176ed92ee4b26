"""5-2 保険契約 (DOMAIN.md §5): the customer's own policies only — another customer's is never shown,
not even by its exact 証券番号, in the list, the detail or the CSV; at least one criterion; each
criterion finds what it names; more than 200 → the first 200 by 証券番号-枝番 descending with
「条件を絞り込んでください」; the columns (保険金額 = 保険価額 × 付保率 per risk); a detail with parties,
付保率, the 決済スケジュール with settled amounts, 変更履歴 and related Web申込; the CSV of the rows
shown; a refresh shows the same result."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Instalment, PolicyState
from tests.html.test_validity import run_vnu
from tests.http.inquiry.helpers import download
from tests.support import contracts
from tests.support.pages import normalize

EMPTY = {"number": "", "product": "", "buyer": "", "state": "", "period_from": "", "period_to": ""}
ZETA, OMEGA = "304-990001", "304-990002"  # buyers of these tests alone (demo policies use others)


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


def made(app, make):
    """Run a factory against the database and commit; returns what it gives, as plain values."""
    with app.test_request_context():
        result = make()
        db.session().commit()
        return result


def key_of(row) -> str:
    return f"{row.number}-{row.branch}"


@pytest.fixture
def book(app) -> dict:
    """The demo customer's two policies on ZETA / OMEGA and the other customer's one on ZETA.

    mine: USD 100,000.00 with 船前 cover (FOB 80,000.00 at 95 / 80 %), 船後 97.5 / 90 %, two 決済期限
    of which the first is settled, a 変更履歴 entry, created by an IA1 and named by an L03;
    second: 設備財, payer OMEGA, 決済済, 保険期間 in 2027."""

    def make():
        (mine, user), (other, other_user) = contracts.customers(2)
        zeta = contracts.registered_buyer(ZETA, "304", "EA", name="ZETA MACHINES LTD")
        omega = contracts.registered_buyer(OMEGA, "304", "EE", name="OMEGA PARTS CORPORATION")
        first = contracts.policy(mine, zeta)
        first.cover_pre, first.fob, first.value_pre = True, 8_000_000, 8_000_000
        first.pre_political, first.pre_commercial = 95, 80
        first.premium_jpy, first.state = 123_456, PolicyState.PART_SETTLED
        contracts.add_instalments(first, [(date(2026, 7, 1), 4_000_000), (date(2026, 8, 29), 6_000_000)])
        settled = db.session().exec(select(Instalment).where(Instalment.policy_id == first.id)).all()
        settled[0].settled, settled[0].settled_on = 4_000_000, date(2026, 7, 3)
        contracts.policy_change(first, "金額増額", {"契約金額": "90,000.00"}, {"契約金額": "100,000.00"},
                                premium_change_jpy=5_000)  # fmt: skip
        ia1 = contracts.application(mine, user, "IA1")
        first.application_id = ia1.id
        l03 = contracts.application(mine, user, "L03")
        l03.target_key = key_of(first)
        second = contracts.policy(mine, zeta)
        second.product, second.payer_id, second.state = "02", omega.id, PolicyState.SETTLED
        second.liability_from, second.period_to = date(2027, 1, 10), date(2027, 6, 30)
        theirs = contracts.policy(other, zeta)
        their_application = contracts.application(other, other_user, "L03")
        their_application.target_key = key_of(first)  # another customer's row naming the same key
        db.session().flush()
        return {
            "mine": key_of(first), "second": key_of(second), "theirs": key_of(theirs),
            "ia1": ia1.number, "l03": l03.number, "their_application": their_application.number,
        }  # fmt: skip

    return made(app, make)


def search(portal, **criteria):
    portal.go("inquiry.index")
    portal.go("inquiry.policies")
    return portal.go("inquiry.policy_search", EMPTY | criteria)


def keys(page) -> list[str]:
    return [button["value"] for button in page.select("table.table--inquiry-policies tbody button[name=policy]")]


def cells(page, key) -> list[str]:
    row = page.one(f"table.table--inquiry-policies button[value='{key}']").find_parent("tr")
    return [normalize(cell.get_text(" ")) for cell in row.select("th, td")]


# --- criteria -------------------------------------------------------------------------------------


def test_the_inquiry_opens_from_the_list_of_inquiries(both):
    both.login("demo-user")
    page = both.go("inquiry.index")
    assert page.one(".inquiry-list button[formaction$='/inquiry/policies']")
    page = both.go("inquiry.policies")
    assert page.h1 == "保険契約" and "検索結果" not in page.screen_text


def test_at_least_one_criterion_is_needed(both, book):
    both.login("demo-user")
    page = search(both)
    assert page.error_summary == [
        "証券番号、保険種別、バイヤーコード/名称、状態、保険期間のいずれか1つ以上を指定してください"
    ]
    assert keys(page) == [] and "検索結果" not in page.screen_text


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"number": "0120260000012"}, "number", "証券番号は14桁の数字（枝番付きは「01202600000123-00」の形式）で入力してください"),
        ({"buyer": "Z"}, "buyer", "名称は2文字以上で入力してください"),
        ({"period_from": "2026-13-01"}, "period_from", None),
        ({"period_from": "2026-09-01", "period_to": "2026-08-01"}, "period_to",
         "保険期間（To）は保険期間（From）以降の日付を入力してください"),
    ],
)  # fmt: skip
def test_bad_criteria_are_refused_next_to_the_field_with_what_was_typed_kept(portal, book, typed, field, message):
    portal.login("demo-user")
    page = search(portal, **typed)
    assert page.field_error(field)
    if message:
        assert page.field_error(field) == message
    assert page.one(f"#{field}")["value"] == typed[field]
    assert keys(page) == []


def test_an_exact_number_finds_the_own_policy_with_or_without_its_branch(portal, book):
    portal.login("demo-user")
    number = book["mine"].split("-")[0]
    assert keys(search(portal, number=number)) == [book["mine"]]
    assert keys(search(portal, number=book["mine"])) == [book["mine"]]
    assert keys(search(portal, number=f"{number}-01")) == []
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert keys(search(portal, number=full_width)) == [book["mine"]]


def test_another_customer_s_policy_is_never_shown_even_by_its_exact_number(portal, book):
    portal.login("demo-admin")
    page = search(portal, number=book["theirs"])
    assert keys(page) == [] and "条件に合う保険契約はありません。" in page.screen_text
    assert book["theirs"] not in keys(search(portal, buyer=ZETA))
    _response, rows = download(portal, "inquiry.policy_csv")
    assert all(book["theirs"] not in row for row in rows)
    # its key posted as a row of a result: refused as not found
    search(portal, buyer=ZETA)
    page = portal.go("inquiry.policy", {"policy": book["theirs"]})
    assert page.h1 == "保険契約" and "指定された保険契約は見つかりません。" in " ".join(page.messages)


def test_the_other_customer_sees_its_own_and_not_ours(portal, book):
    portal.login("other-admin")
    assert keys(search(portal, buyer=ZETA)) == [book["theirs"]]
    assert keys(search(portal, number=book["mine"])) == []


def test_each_criterion_finds_what_it_names(portal, book):
    portal.login("demo-user")
    both = sorted([book["mine"], book["second"]], reverse=True)
    assert keys(search(portal, buyer=ZETA)) == both  # their 契約相手方
    assert keys(search(portal, buyer="304990002")) == [book["second"]]  # its 支払人
    assert keys(search(portal, buyer="zeta machines")) == both
    assert keys(search(portal, buyer="omega")) == [book["second"]]
    assert keys(search(portal, buyer=ZETA, product="02")) == [book["second"]]
    assert keys(search(portal, buyer=ZETA, state="一部決済")) == [book["mine"]]
    assert keys(search(portal, buyer=ZETA, state="解約")) == []
    # 保険期間 From/To: the policies whose 保険期間 overlaps them
    assert keys(search(portal, buyer=ZETA, period_from="2026-12-01")) == [book["second"]]
    assert keys(search(portal, buyer=ZETA, period_to="2026-12-31")) == [book["mine"]]
    assert keys(search(portal, buyer=ZETA, period_from="2026-08-29", period_to="2027-01-10")) == both
    assert keys(search(portal, buyer=ZETA, period_from="2026-08-30", period_to="2027-01-09")) == []


def test_more_than_200_show_the_first_200_by_number_descending_with_the_notice(app, portal):
    def make():
        mine, _user = contracts.customers(1)[0]
        buyer = contracts.registered_buyer(ZETA, "304", "EA", name="ZETA MACHINES LTD")
        contracts.bulk_policies(mine, buyer, [f"0120269{n:07d}" for n in range(1, 202)])

    made(app, make)
    portal.login("demo-user")
    page = search(portal, buyer=ZETA)
    shown = keys(page)
    assert len(shown) == 200
    assert shown == sorted(shown, reverse=True)
    assert shown[0] == "01202690000201-00" and shown[-1] == "01202690000002-00"
    assert normalize(page.text(".inquiry-capped .panel__lead")) == "条件を絞り込んでください"
    assert "200件以上" in page.text(".result-count")
    _response, rows = download(portal, "inquiry.policy_csv")
    assert [row[0] for row in rows[1:]] == shown
    assert not search(portal, buyer=ZETA, number="01202690000201").select(".inquiry-capped")


def test_the_columns_of_a_row(portal, book):
    portal.login("demo-user")
    page = search(portal, buyer=ZETA)
    assert [normalize(th.get_text()) for th in page.select("table.table--inquiry-policies thead th")] == [
        "証券番号-枝番", "保険種別", "契約相手方", "仕向国", "通貨", "契約金額", "保険金額（船前/船後）", "保険期間",
        "最終決済期限", "保険料（円）", "状態",
    ]  # fmt: skip
    assert cells(page, book["mine"]) == [
        book["mine"], "貿易一般保険（個別）", "304-990001 ZETA MACHINES LTD", "アメリカ合衆国", "USD", "100,000.00",
        # 船前 FOB 80,000.00 × 95 % / × 80 %; 船後 100,000.00 × 97.5 % / × 90 %
        "船前 非常 76,000.00／信用 64,000.00 船後 非常 97,500.00／信用 90,000.00",
        "2026/04/20〜2026/08/29", "2026/08/29", "123,456", "一部決済",
    ]  # fmt: skip
    second = cells(page, book["second"])
    assert second[1] == "設備財包括保険" and second[6].startswith("船前 — 船後") and second[10] == "決済済"


# --- detail ---------------------------------------------------------------------------------------


def test_the_detail_shows_parties_cover_schedule_changes_and_related_applications(both, book):
    both.login("demo-admin")
    search(both, buyer=ZETA)
    page = both.go("inquiry.policy", {"policy": book["mine"]})
    assert page.h1 == "保険契約（詳細）"
    text = page.screen_text
    for expected in ("証券番号-枝番 " + book["mine"], "契約相手方 304-990001 ZETA MACHINES LTD",
                     "支払人 304-990001 ZETA MACHINES LTD", "保証人 —", "被保険者 123456789 株式会社サンプル精機",
                     "状態 一部決済", "保険料 123,456円"):  # fmt: skip
        assert expected in text, expected
    cover = [normalize(tr.get_text(" ")) for tr in page.select("table.table--policy-cover tbody tr")]
    assert cover == [
        "船積前・非常危険 95% 80,000.00 76,000.00",
        "船積前・信用危険 80% 80,000.00 64,000.00",
        "船積後・非常危険 97.5% 100,000.00 97,500.00",
        "船積後・信用危険 90% 100,000.00 90,000.00",
    ]
    schedule = [normalize(tr.get_text(" ")) for tr in page.select("table.table--policy-schedule tbody tr")]
    assert schedule == [
        "1 2026/07/01 40,000.00 40,000.00 2026/07/03 0.00 —",
        "2 2026/08/29 60,000.00 0.00 — 60,000.00 —",
    ]
    assert normalize(page.text("table.table--policy-schedule tfoot")) == "合計 100,000.00 40,000.00 60,000.00"
    changes = [normalize(tr.get_text(" ")) for tr in page.select("table.table--policy-changes tbody tr")]
    assert changes == ["2026/06/01 12:00 金額増額 契約金額：90,000.00 → 100,000.00 追加 5,000"]
    related = [tr.select_one("th").get_text() for tr in page.select("table.table--policy-related tbody tr")]
    assert sorted(related) == sorted([book["ia1"], book["l03"]])  # not the other customer's
    assert book["their_application"] not in page.html
    assert "この保険契約の事故はありません。" in text


def test_a_general_user_sees_only_its_own_related_applications(app, portal, book):
    portal.login("demo-user")  # the applications are demo-admin's (C.4: 一般 sees its own)
    search(portal, buyer=ZETA)
    page = portal.go("inquiry.policy", {"policy": book["mine"]})
    assert (
        not page.select("table.table--policy-related")
        and "この保険契約に関するWeb申込はありません。" in page.screen_text
    )


def test_the_detail_leads_back_to_the_same_result_and_survives_a_refresh(portal, book):
    portal.login("demo-user")
    listed = keys(search(portal, buyer=ZETA))
    portal.go("inquiry.policy", {"policy": book["second"]})
    assert portal.get("/").h1 == "保険契約（詳細）"
    page = portal.go("inquiry.policy_back")
    assert page.h1 == "保険契約" and keys(page) == listed and page.one("#buyer")["value"] == ZETA


def test_a_refresh_shows_the_same_result(portal, book):
    portal.login("demo-user")
    listed = keys(search(portal, buyer=ZETA, state="一部決済"))
    page = portal.get("/")
    assert page.h1 == "保険契約" and keys(page) == listed == [book["mine"]]
    assert page.one("#state option[selected]")["value"] == "一部決済"


# --- CSV ------------------------------------------------------------------------------------------


def test_the_csv_holds_the_rows_shown_with_a_bom(portal, book):
    portal.login("demo-user")
    shown = keys(search(portal, buyer=ZETA))
    token = portal.server_token()
    response, rows = download(portal, "inquiry.policy_csv")
    assert response.get_data().startswith("\ufeff".encode()) and response.mimetype == "text/csv"
    assert rows[0][:7] == ["証券番号-枝番", "保険種別", "契約相手方コード", "契約相手方", "仕向国", "通貨", "契約金額"]
    assert [row[0] for row in rows[1:]] == shown
    mine = next(row for row in rows if row[0] == book["mine"])
    assert mine[6:] == [
        "100,000.00", "76,000.00", "64,000.00", "97,500.00", "90,000.00", "2026-04-20", "2026-08-29", "2026-08-29",
        "123456", "一部決済",
    ]  # fmt: skip
    assert portal.server_token() == token and portal.state()["screen"] == "inquiry.policies"


def test_every_screen_is_valid_html(portal, book, tmp_path):
    portal.login("demo-admin")
    pages = {"policies": portal.go("inquiry.policies")}
    pages["refused"] = portal.go("inquiry.policy_search", EMPTY)
    pages["found"] = search(portal, buyer=ZETA)
    pages["detail"] = portal.go("inquiry.policy", {"policy": book["mine"]})
    pages["none"] = search(portal, number="99999999999999")
    for name, page in pages.items():
        (Path(tmp_path) / f"{name}.html").write_text(page.html, encoding="utf-8")
    errors = run_vnu(tmp_path)
    assert not errors, [(Path(e["url"]).name, e.get("lastLine"), e["message"]) for e in errors][:40]
