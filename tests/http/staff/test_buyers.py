"""S.4 海外商社名簿 on the console: a 管理担当 searches the whole register (and downloads it as CSV),
registers a buyer directly with the next code of its country, re-rates it (the history grows),
sets its 設定額 (never below 使用額 + 予約額) and deletes it with a reason — each confirmed and
audited with before/after; a 審査担当 can do none of it."""

import csv
import io

import pytest
from sqlmodel import col, select, update

from nexi import db
from nexi.clock import today
from nexi.models import AuditEvent, Buyer, BuyerRating, BuyerStatus
from tests.support.staff import staff_account

ADD = {
    "name_en": "NORTHWIND TRADERS LTD", "alias": "", "country": "304", "address": "10 Harbor Road",
    "city": "Seattle", "state": "WA", "postal_code": "98101", "office_type": "head", "industry": "商社",
    "rating": "EA", "rated_on": "", "limit_amount": "50,000,000",
}  # fmt: skip


def buyer(app, code) -> Buyer:
    with app.app_context():
        return db.session().exec(select(Buyer).where(Buyer.code == code)).one()


def ratings(app, code) -> list[BuyerRating]:
    with app.app_context():
        found = db.session().exec(
            select(BuyerRating).join(Buyer, col(Buyer.id) == col(BuyerRating.buyer_id)).where(Buyer.code == code)
        )
        return sorted(found.all(), key=lambda entry: entry.id)


def audits(app, kind) -> list[AuditEvent]:
    with app.app_context():
        return db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all()


def search(staff, **criteria):
    staff.go("staff.buyers")
    return staff.go(
        "staff.buyer_search", {"code": "", "name": "", "country": "", "rating": "", "status": ""} | criteria
    )


def open_buyer(staff, code):
    page = search(staff, code=code)
    return staff.go("staff.buyer", {"buyer": page.one("button[name=buyer]")["value"]})


def change(staff, code, action, **values):
    """From the buyer's detail: the action's input, then its confirmation."""
    open_buyer(staff, code)
    staff.go("staff.buyer_change", {"action": action})
    return staff.go("staff.buyer_change_check", {"action": "next", **values})


def add(staff, **values):
    staff.go("staff.buyers")
    staff.go("staff.buyer_add")
    return staff.go("staff.buyer_add_check", {"action": "next", **(ADD | {"rated_on": today().isoformat()} | values)})


# --- バイヤー検索 and its CSV ---------------------------------------------------------------------------


def test_the_search_lists_the_whole_register_with_the_staff_columns(staff_both):
    staff_both.login("demo-manager")
    page = staff_both.go("staff.buyers")
    assert page.h1 == "バイヤー検索"
    codes = page.texts("table.table--buyers tbody th")
    assert codes == sorted(codes) and {"224-000001", "305-001101", "304-000101"} <= set(codes)  # deleted, candidates
    assert page.texts("table.table--buyers thead th") == [
        "バイヤーコード", "英文名称", "国", "格付", "格付適用日", "状態", "設定額（円）", "最終活動日",
    ]  # fmt: skip
    (row,) = [r for r in page.select("table.table--buyers tbody tr") if "304-000101" in r.get_text()]
    assert "300,000,000" in row.get_text() and "アメリカ合衆国" in row.get_text()


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"name": "acme  industrial"}, ["304-000101"]),
        ({"name": "ＡＣＭＥ"}, ["304-000101"]),
        ({"name": "上海華信"}, ["105-000201"]),
        ({"code": "304000102"}, ["304-000102"]),
        ({"country": "304"}, ["304-000101", "304-000102"]),
        ({"rating": "EE"}, ["213-000401", "304-000102"]),
        ({"status": "スリーピング候補"}, ["234-001001", "305-001101", "601-000901"]),
        ({"status": "削除"}, ["224-000001"]),
    ],
)
def test_each_criterion_narrows_the_search(staff, criteria, expected):
    staff.login("demo-manager")
    assert search(staff, **criteria).texts("table.table--buyers tbody th") == expected


def test_a_bad_code_is_told_at_the_field_and_kept(staff):
    staff.login("demo-manager")
    page = search(staff, code="30400")
    assert "形式" in page.field_error("code")
    assert page.one("#code")["value"] == "30400"


def test_the_search_is_paged(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 5)
    staff.login("demo-manager")
    page = staff.go("staff.buyers")
    assert len(page.texts("table.table--buyers tbody th")) == 5 and "1/3ページ" in page.text(".result-count")
    page = staff.go("staff.buyer_page", {"page": "3"})
    assert len(page.texts("table.table--buyers tbody th")) == 4


def download(staff) -> tuple[object, list[list[str]]]:
    response = staff.go("staff.buyer_csv", check=False).response
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return response, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_holds_what_the_search_finds_with_the_set_amount(staff):
    staff.login("demo-manager")
    search(staff, country="304")
    response, rows = download(staff)
    assert response.mimetype == "text/csv" and "buyers.csv" in response.headers["Content-Disposition"]
    header, *lines = rows
    assert header[:3] == ["バイヤーコード", "英文名称", "別名"] and "設定額" in header
    assert [line[0] for line in lines] == ["304-000101", "304-000102"]
    assert lines[0][header.index("設定額")] == "300000000"
    assert staff.current().h1 == "バイヤー検索"  # a download changes no screen


def test_the_csv_quotes_a_cell_that_could_start_a_formula(app, staff):
    staff.login("demo-manager")
    with app.app_context():
        db.session().exec(
            update(Buyer).where(col(Buyer.code) == "304-000101").values(name_en="=HYPERLINK(1)", alias="@SUM(A1)")
        )
        db.session().commit()
    search(staff, code="304-000101")
    _response, (header, line) = download(staff)
    assert line[header.index("英文名称")] == "'=HYPERLINK(1)" and line[header.index("別名")] == "'@SUM(A1)"


# --- バイヤー詳細 -------------------------------------------------------------------------------------


def test_the_detail_shows_every_field_the_history_and_the_offices(staff):
    staff.login("demo-manager")
    page = open_buyer(staff, "205-000501")
    assert page.h1 == "バイヤー詳細"
    assert "BRITANNIA MERCHANT BANK PLC" in page.text(".buyer-summary")
    assert page.texts("ul.buyer-linked li button") == ["112-000502"]
    assert page.texts("table.table--ratings tbody td:first-child") == ["SA"]
    assert "登録時の格付" in page.text("table.table--ratings")
    branch = staff.go("staff.buyer", {"buyer": page.one("ul.buyer-linked button")["value"]})
    assert "支店" in branch.text("main") and "205-000501" in branch.text("#offices-title + form")
    assert "設定額の変更" not in branch.texts("button[name=action]")  # SA: no 個別保証枠


# --- 直接登録 ---------------------------------------------------------------------------------------


def test_direct_registration_continues_the_countrys_serial(app, staff_both):
    staff_both.login("demo-manager")
    page = add(staff_both)
    assert page.h1 == "海外商社の直接登録（確認）", page.error_summary
    assert "50,000,000" in page.text(".buyer-add-summary")
    page = staff_both.go("staff.buyer_add_submit", {"action": "submit"})
    assert page.h1 == "バイヤー詳細" and "304-000103" in page.text(".buyer-code")
    registered = buyer(app, "304-000103")
    assert (registered.rating, registered.limit_amount, registered.last_activity_on) == ("EA", 50_000_000, today())
    (entry,) = ratings(app, "304-000103")
    assert entry.staff_user_id == staff_account(app, "demo-manager").id and entry.note == "直接登録"
    (event,) = audits(app, "staff.buyer.registered")
    assert event.detail["before"] is None and event.detail["after"]["code"] == "304-000103"
    page = add(staff_both, name_en="SOUTHWIND LLC", rating="SA", limit_amount="")
    page = staff_both.go("staff.buyer_add_submit", {"action": "submit"})
    assert "304-000104" in page.text(".buyer-code") and buyer(app, "304-000104").limit_amount is None


def test_direct_registration_asks_for_what_b01_asks(staff):
    staff.login("demo-manager")
    page = add(staff, name_en="", rating="EM", limit_amount="", office_type="branch", head_office_code="999-000001")
    assert page.h1 == "海外商社の直接登録"
    assert page.field_error("name_en") == "英文名称を入力してください"
    assert page.field_error("limit_amount") == "格付EMの海外商社には設定額を入力してください"
    assert "登録されていません" in page.field_error("head_office_code")
    assert page.one("#head_office_code")["value"] == "999-000001"


def test_a_branch_is_linked_to_its_registered_head_office(app, staff):
    staff.login("demo-manager")
    page = add(staff, country="305", office_type="branch", head_office_code="304-000101", relation="subsidiary")
    page = staff.go("staff.buyer_add_submit", {"action": "submit"})
    code = page.text(".buyer-code")
    assert code.startswith("305-")
    created = buyer(app, code)
    assert created.head_office_id == buyer(app, "304-000101").id and created.relation == "子会社"


def test_the_same_name_in_the_same_country_must_be_acknowledged(app, staff):
    staff.login("demo-manager")
    page = add(staff, name_en="Acme Industrial Supply, Inc")
    assert "304-000101" in page.text(".buyer-warnings")
    page = staff.go("staff.buyer_add_submit", {"action": "submit"})
    assert page.h1 == "海外商社の直接登録（確認）"
    assert page.field_error("acknowledge") == "注意事項を確認し、チェックを入れてください"
    page = staff.go("staff.buyer_add_submit", {"action": "submit", "acknowledge": "y"})
    assert page.h1 == "バイヤー詳細" and buyer(app, "304-000103").name_en == "Acme Industrial Supply, Inc"


# --- roles -----------------------------------------------------------------------------------------

ACTIONS = [
    ("staff.buyers", {}),
    ("staff.buyer_search", {"name": "ACME"}),
    ("staff.buyer_page", {"page": "2"}),
    ("staff.buyer_csv", {}),
    ("staff.buyer", {"buyer": "1"}),
    ("staff.buyer_change", {"action": "delete"}),
    ("staff.buyer_change_check", {"action": "next", "reason": "x"}),
    ("staff.buyer_change_apply", {"action": "apply"}),
    ("staff.buyer_add", {}),
    ("staff.buyer_add_check", {"action": "next", **ADD}),
    ("staff.buyer_add_submit", {"action": "submit"}),
]


def test_a_reviewer_is_refused_every_action_and_screen(app, staff):
    staff.login("demo-reviewer")
    for endpoint, data in ACTIONS:
        page = staff.go(endpoint, data, check=endpoint != "staff.buyer_csv")
        assert page.h1 == "職員コンソール", endpoint
        assert any("管理担当のみ" in message for message in page.messages), endpoint
    assert "海外商社名簿（バイヤー検索・直接登録）" not in staff.go("staff.home").text("main")
    buyer_id = buyer(app, "304-000101").id
    for screen, args in [
        ("staff.buyers", {"criteria": {}, "page": 1}),
        ("staff.buyer", {"buyer_id": buyer_id}),
        ("staff.buyer_change", {"buyer_id": buyer_id, "action": "rate", "values": {}}),
        ("staff.buyer_add", {"values": {}}),
    ]:
        assert staff.show(screen, args).h1 == "職員コンソール", screen


def test_the_register_is_unchanged_for_a_refused_reviewer(app, staff):
    before = buyer(app, "304-000101")
    staff.login("demo-reviewer")
    staff.show("staff.buyer_change_confirm", {"buyer_id": before.id, "action": "delete", "values": {"reason": "x"}})
    staff.go("staff.buyer_change_apply", {"action": "apply"})
    assert buyer(app, "304-000101").status == BuyerStatus.REGISTERED
    assert not audits(app, "staff.buyer.deleted")
