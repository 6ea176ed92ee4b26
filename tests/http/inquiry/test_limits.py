"""5-3 個別保証枠 (DOMAIN.md §5, C.4.1): every buyer on which the customer holds a 確認 or a policy under
個別保証枠, with 枠あり / 枠なし and the customer's OWN 予約額 and 使用額 in yen (as limits.own_amounts
counts them); a buyer's detail with its own 確認 and policies; the CSV of the rows shown. No
buyer-wide amount (設定額, 予約額, 使用額, 残高) and no other customer's share is ever shown — in the
list, the detail or the CSV — even when two customers hold 確認 on one buyer."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from nexi import db, limits
from nexi.models import Buyer, Confirmation
from tests.html.test_validity import run_vnu
from tests.http.inquiry.helpers import add_buyers, download
from tests.http.inquiry.test_policies import made
from tests.support import contracts
from tests.support.pages import normalize
from tests.support.recipes.limits import confirmation_row

ZETA, OMEGA, THEIRS = "304-990001", "304-990002", "304-990003"
SETTING = 3_000_000_000  # ZETA's 設定額
RATE = Decimal("150")


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


def _figures(value: int) -> list[str]:
    return [f"{value:,}", str(value)]


@pytest.fixture
def shared(app) -> dict:
    """ZETA (枠あり) with a 確認 of each customer; OMEGA (枠なし since) with an expired 確認 of ours;
    THEIRS with the other customer's 確認 only.

    Ours on ZETA: USD 1,000.00 at ¥150 (¥150,000), an open earmark of USD 200.00 (¥30,000) and a
    policy using USD 300.00 (¥45,000): 予約額 ¥75,000 + ¥30,000 = ¥105,000, 使用額 ¥45,000.
    Theirs on ZETA: USD 7,777.00 (¥1,166,550) of which USD 1,111.00 used (¥166,650)."""

    def make():
        (mine, user), (other, other_user) = contracts.customers(2)
        zeta = contracts.registered_buyer(ZETA, "304", "EA", name="ZETA MACHINES LTD", limit_amount=SETTING)
        omega = contracts.registered_buyer(OMEGA, "304", "EE", name="OMEGA PARTS CORPORATION", limit_amount=10**9)
        theirs = contracts.registered_buyer(THEIRS, "304", "EM", name="THEIR OWN BUYER", limit_amount=10**9)
        ours = contracts.confirmation(zeta, mine, 100_000, rate=RATE)
        contracts.earmarked(ours, mine, user, 20_000)
        used = contracts.used(ours, mine, user, 30_000, zeta)
        their = contracts.confirmation(zeta, other, 777_700, rate=RATE)
        their_policy = contracts.used(their, other, other_user, 111_100, zeta)
        expired = contracts.confirmation(omega, mine, 50_000, rate=RATE, approved_on=date(2026, 1, 5))
        limits.expire(date(2026, 4, 5))  # valid through 2026-04-04
        omega.limit_amount = None  # its 個別保証枠 is gone since: 枠なし
        only_theirs = contracts.confirmation(theirs, other, 10_000, rate=RATE)
        db.session().flush()
        return {
            "ours": ours.number, "policy": f"{used.number}-{used.branch}", "expired": expired.number,
            "their": their.number, "their_policy": f"{their_policy.number}-{their_policy.branch}",
            "only_theirs": only_theirs.number, "own": limits.own_amounts(zeta.id, mine),
            "wide": limits.amounts(zeta),
        }  # fmt: skip

    return made(app, make)


def open_list(portal):
    portal.go("inquiry.index")
    return portal.go("inquiry.limits")


def codes(page) -> list[str]:
    return [button["value"] for button in page.select("table.table--inquiry-limits tbody button[name=buyer]")]


def row_of(page, code) -> list[str]:
    row = page.one(f"table.table--inquiry-limits button[value='{code}']").find_parent("tr")
    return [normalize(cell.get_text(" ")) for cell in row.select("th, td")]


def test_the_inquiry_opens_from_the_list_of_inquiries(both):
    both.login("demo-user")
    page = both.go("inquiry.index")
    assert page.one(".inquiry-list button[formaction$='/inquiry/limits']")
    assert both.go("inquiry.limits").h1 == "個別保証枠"


def test_every_buyer_the_customer_holds_something_on_is_listed_with_its_own_amounts(both, shared):
    both.login("demo-user")
    page = open_list(both)
    listed = codes(page)
    assert ZETA in listed and OMEGA in listed and THEIRS not in listed
    assert listed == sorted(listed)
    assert row_of(page, ZETA) == [
        "304-990001",
        "ZETA MACHINES LTD",
        "アメリカ合衆国",
        "EA",
        "枠あり",
        "105,000",
        "45,000",
    ]
    assert shared["own"] == (105_000, 45_000)  # what limits.own_amounts says
    assert row_of(page, OMEGA)[4:] == ["枠なし", "0", "0"]  # an expired 確認 holds nothing


def test_neither_a_buyer_wide_amount_nor_another_customer_s_share_is_ever_shown(portal, shared):
    wide = shared["wide"]
    assert (wide.reserved, wide.used) == (105_000 + 999_900, 45_000 + 166_650)
    hidden = [
        *_figures(SETTING), *_figures(wide.reserved), *_figures(wide.used), *_figures(wide.balance),  # buyer-wide
        *_figures(999_900), *_figures(166_650), *_figures(1_166_550), "7,777.00", "1,111.00",  # theirs
        shared["their"], shared["their_policy"], shared["only_theirs"],
    ]  # fmt: skip
    portal.login("demo-admin")
    page = open_list(portal)
    _response, rows = download(portal, "inquiry.limit_csv")
    csv_text = "\n".join(",".join(row) for row in rows)
    detail = portal.go("inquiry.limit", {"buyer": ZETA})
    for shown in (page.screen_text, csv_text, detail.screen_text):
        for secret in hidden:
            assert secret not in shown, secret
    assert "105,000" in detail.screen_text and "45,000" in detail.screen_text


def test_the_other_customer_sees_only_its_own_share(portal, shared):
    portal.login("other-admin")
    page = open_list(portal)
    assert ZETA in codes(page) and THEIRS in codes(page) and OMEGA not in codes(page)
    assert row_of(page, ZETA)[5:] == ["999,900", "166,650"]
    detail = portal.go("inquiry.limit", {"buyer": ZETA})
    assert shared["ours"] not in detail.html and shared["policy"] not in detail.html


def test_the_detail_lists_the_own_confirmations_and_policies(both, shared):
    both.login("demo-user")
    open_list(both)
    page = both.go("inquiry.limit", {"buyer": ZETA})
    assert page.h1 == "個別保証枠（詳細）"
    assert "個別保証枠 枠あり" in page.screen_text
    confirmations = [normalize(tr.get_text(" ")) for tr in page.select("table.table--own-confirmations tbody tr")]
    # 確認額 1,000.00; earmarked: the open 200.00 (the used 300.00 is no longer earmarked); 残額 500.00
    assert confirmations == [f"{shared['ours']} 貿易一般保険（個別） USD 1,000.00 200.00 500.00 2026/12/14 一部使用"]
    policies = [normalize(tr.get_text(" ")) for tr in page.select("table.table--own-limit-policies tbody tr")]
    assert policies == [f"{shared['policy']} {shared['ours']} USD 300.00 45,000 有効"]


def test_a_buyer_the_customer_holds_nothing_on_has_no_detail(portal, shared):
    portal.login("demo-user")
    open_list(portal)
    for code in (THEIRS, "999-999999", "' OR 1=1 --"):
        page = portal.go("inquiry.limit", {"buyer": code})
        assert page.h1 == "個別保証枠"
        assert "指定された海外商社の個別保証枠は照会できません。" in " ".join(page.messages)


def test_the_filter_narrows_by_code_or_name_and_a_short_name_is_refused(portal, shared):
    portal.login("demo-user")
    open_list(portal)
    assert codes(portal.go("inquiry.limit_search", {"buyer": "304990001"})) == [ZETA]
    assert codes(portal.go("inquiry.limit_search", {"buyer": "omega parts"})) == [OMEGA]
    page = portal.go("inquiry.limit_search", {"buyer": THEIRS})
    assert codes(page) == [] and "条件に合う海外商社はありません。" in page.screen_text
    page = portal.go("inquiry.limit_search", {"buyer": "Z"})
    assert page.field_error("buyer") == "名称は2文字以上で入力してください"
    assert page.one("#buyer")["value"] == "Z" and codes(page) == []  # the last result: none found


def test_a_refresh_and_the_detail_s_back_show_the_same_result(portal, shared):
    portal.login("demo-user")
    open_list(portal)
    listed = codes(portal.go("inquiry.limit_search", {"buyer": "zeta"}))
    assert listed == [ZETA]
    assert codes(portal.get("/")) == listed
    portal.go("inquiry.limit", {"buyer": ZETA})
    assert portal.get("/").h1 == "個別保証枠（詳細）"
    page = portal.go("inquiry.limit_back")
    assert codes(page) == listed and page.one("#buyer")["value"] == "zeta"


def test_the_csv_holds_the_rows_shown_with_a_bom(portal, shared):
    portal.login("demo-user")
    shown = codes(open_list(portal))
    token = portal.server_token()
    response, rows = download(portal, "inquiry.limit_csv")
    assert response.get_data().startswith("\ufeff".encode()) and response.mimetype == "text/csv"
    assert rows[0] == ["バイヤーコード", "英文名称", "国", "格付", "個別保証枠", "予約額（円）", "使用額（円）"]
    assert [row[0] for row in rows[1:]] == shown
    assert next(row for row in rows if row[0] == ZETA) == [
        ZETA,
        "ZETA MACHINES LTD",
        "アメリカ合衆国",
        "EA",
        "枠あり",
        "105000",
        "45000",
    ]
    assert portal.server_token() == token and portal.state()["screen"] == "inquiry.limits"


def test_more_than_200_buyers_show_the_first_200_by_code_with_the_notice(app, portal):
    add_buyers(app, [{"code": f"999-{n:06d}", "name_en": f"CAPTEST {n:03d} LTD"} for n in range(1, 202)])

    def make():
        mine, _user = contracts.customers(1)[0]
        ids = db.session().execute(select(Buyer.id).where(Buyer.code.startswith("999-"))).scalars().all()
        db.session().execute(
            Confirmation.__table__.insert(),
            [confirmation_row(f"K2026{300000 + i:06d}", mine, buyer) for i, buyer in enumerate(ids)],
        )

    made(app, make)
    portal.login("demo-user")
    open_list(portal)
    page = portal.go("inquiry.limit_search", {"buyer": "captest"})
    shown = codes(page)
    assert len(shown) == 200 and shown == sorted(shown) and shown[-1] == "999-000200"
    assert normalize(page.text(".inquiry-capped .panel__lead")) == "条件を絞り込んでください"
    _response, rows = download(portal, "inquiry.limit_csv")
    assert len(rows) == 201
    assert "150,000" in row_of(page, "999-000001")[5]  # each 確認's 予約残円


def test_every_screen_is_valid_html(portal, shared, tmp_path):
    portal.login("demo-admin")
    pages = {"limits": open_list(portal)}
    pages["refused"] = portal.go("inquiry.limit_search", {"buyer": "Z"})
    pages["none"] = portal.go("inquiry.limit_search", {"buyer": "nothing at all"})
    portal.go("inquiry.limit_search", {"buyer": ""})
    pages["detail"] = portal.go("inquiry.limit", {"buyer": ZETA})
    portal.go("inquiry.limit_back")
    pages["detail-omega"] = portal.go("inquiry.limit", {"buyer": OMEGA})
    for name, page in pages.items():
        (Path(tmp_path) / f"{name}.html").write_text(page.html, encoding="utf-8")
    errors = run_vnu(tmp_path)
    assert not errors, [(Path(e["url"]).name, e.get("lastLine"), e["message"]) for e in errors][:40]
