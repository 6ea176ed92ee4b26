"""S.6 登録情報 on the console (§8, 9-4): for one customer a 管理担当 adds and removes 組合員資格,
registers a 企業総合保険特約 (特約番号 of C.6's format, unique; 特約期間 of one year; the customer's own
部門) and its 企総登録 (a registered buyer not 削除, once per 特約; limit blank = none; changed and
deleted on the row as shown), and a 簡易通知型包括保険契約 (its 証券番号 from the policies' sequence)
with its 簡易包括登録; every write audited; a 審査担当 and a customer reach none of it."""

import re
from datetime import date, timedelta

import pytest
from sqlmodel import col, select, update

from nexi import db
from nexi.clock import add_months, today
from nexi.models import (
    AssociationMembership,
    AuditEvent,
    BlanketContract,
    BlanketRegistration,
    Buyer,
    Customer,
    Department,
    Rider,
    RiderBuyer,
    RiderDepartment,
    Sequence,
)
from tests.support.pages import normalize

SAMPLE, TOWA = "123456789", "987654321"  # demo customers: サンプル精機 holds the demo registrations, 東和 none


def customer_id(app, code=SAMPLE) -> int:
    with app.app_context():
        return db.session().exec(select(Customer.id).where(Customer.code == code)).one()


def opened(staff, app, code=SAMPLE):
    """登録情報 of the customer, reached from its detail."""
    staff.go("staff.customers")
    detail = staff.go("staff.customer", {"customer": str(customer_id(app, code))})
    assert "登録情報（組合員資格・特約・包括保険契約）" in detail.texts("button")
    page = staff.go("staff.registrations")
    assert page.h1 == "登録情報"
    return page


def rows(page, selector) -> list[list[str]]:
    return [[normalize(cell.get_text(" ")) for cell in row.select("th, td")] for row in page.select(selector)]


def audits(app, kind) -> list[dict]:
    with app.app_context():
        found = db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind).order_by(col(AuditEvent.id)))
        return [event.detail for event in found.all()]


def one(app, query):
    with app.app_context():
        found = db.session().exec(query).first()
        if found is not None and hasattr(found, "model_dump"):
            db.session().expunge(found)
        return found


def test_the_customer_detail_leads_to_what_is_registered_for_it(app, staff_both):
    staff_both.login("demo-manager")
    page = opened(staff_both, app)
    year = today().year
    assert rows(page, "table.table--memberships tbody tr") == [
        ["02 設備財", "一般社団法人日本機械輸出組合", rows(page, "tr.membership-row")[0][2], "削除"],
        ["03 消費財", "一般社団法人日本機械輸出組合", rows(page, "tr.membership-row")[1][2], "削除"],
    ]
    riders = rows(page, "table.table--riders tbody tr")
    assert [row[0] for row in riders] == [f"T{year}00001"] and riders[0][3] == "有効"
    contracts = rows(page, "table.table--contracts tbody tr")
    assert re.fullmatch(rf"05{year}\d{{8}}", contracts[0][0]) and contracts[0][2:4] == ["97.5%", "90%"]
    back = staff_both.go("staff.customer", {"customer": str(customer_id(app))})
    assert back.h1 == "保険利用者詳細"


def test_a_customer_without_registrations_says_so(app, staff):
    staff.login("demo-manager")
    page = opened(staff, app, TOWA)
    assert page.select(".memberships-none") and page.select(".riders-none") and page.select(".contracts-none")


# --- 組合員資格 --------------------------------------------------------------------------------------


def test_a_membership_is_added_once_and_removed_after_a_confirmation(app, staff):
    staff.login("demo-manager")
    opened(staff, app, TOWA)
    page = staff.go("staff.registration_add", {"kind": "membership"})
    assert page.h1 == "組合員資格の追加"
    values = {"product": "02", "association": "RAIL", "joined_on": "2025-04-01", "action": "submit"}
    page = staff.go("staff.registration_add_submit", values)
    assert page.h1 == "登録情報" and any("日本鉄道車両輸出組合" in m for m in page.messages)
    assert rows(page, "tr.membership-row")[0][:3] == ["02 設備財", "日本鉄道車両輸出組合", "2025/04/01"]
    staff.go("staff.registration_add", {"kind": "membership"})
    page = staff.go("staff.registration_add_submit", values)
    assert page.h1 == "組合員資格の追加" and "すでに登録されています" in page.field_error("association")
    assert page.one("#joined_on")["value"] == "2025-04-01"  # typed input kept
    page = staff.go("staff.registration_add_submit", {"action": "back"})
    added = one(app, select(AssociationMembership).where(AssociationMembership.customer_id == customer_id(app, TOWA)))
    page = staff.go("staff.registration_remove", {"kind": "membership", "row": str(added.id), "version": "0"})
    assert page.h1 == "組合員資格の削除（確認）" and "日本鉄道車両輸出組合" in page.screen_text
    page = staff.go("staff.registration_remove_apply", {"action": "apply"})
    assert page.h1 == "登録情報" and page.select(".memberships-none")
    assert [d["after"]["association"] for d in audits(app, "staff.reg.membership_added")] == ["RAIL"]
    assert [d["before"]["association"] for d in audits(app, "staff.reg.membership_removed")] == ["RAIL"]


def test_a_membership_needs_its_answers_in_japanese(app, staff):
    staff.login("demo-manager")
    opened(staff, app, TOWA)
    staff.go("staff.registration_add", {"kind": "membership"})
    page = staff.go("staff.registration_add_submit", {"product": "", "association": "XYZ", "joined_on": "x",
                                                      "action": "submit"})  # fmt: skip
    assert page.field_error("product") and page.field_error("association") and page.field_error("joined_on")


def test_another_customer_s_membership_cannot_be_removed(app, staff):
    staff.login("demo-manager")
    theirs = one(app, select(AssociationMembership).where(AssociationMembership.customer_id == customer_id(app)))
    opened(staff, app, TOWA)
    page = staff.go("staff.registration_remove", {"kind": "membership", "row": str(theirs.id), "version": "0"})
    assert page.h1 == "登録情報" and any("見つかりません" in m for m in page.messages)
    assert one(app, select(AssociationMembership).where(AssociationMembership.id == theirs.id)) is not None


# --- 企業総合保険特約 ---------------------------------------------------------------------------------


def departments(app, code) -> list[int]:
    with app.app_context():
        ids = db.session().exec(
            select(Department.id).join(Customer).where(Customer.code == code).order_by(Department.id)
        )
        return list(ids)


def rider_values(**values) -> dict:
    return {"number": f"T{today().year}00099", "starts_on": "2026-04-01", "ends_on": "", "action": "submit"} | values


def start_rider(staff, app, code=SAMPLE):
    opened(staff, app, code)
    page = staff.go("staff.registration_add", {"kind": "rider"})
    assert page.h1 == "企業総合保険特約の登録"
    return page


def test_a_rider_is_registered_for_a_year_with_the_customer_s_own_departments(app, staff_both):
    staff_both.login("demo-manager")
    page = start_rider(staff_both, app)
    own = departments(app, SAMPLE)
    assert sorted(int(box["value"]) for box in page.select("input[name=departments]")) == sorted(own)
    number = f"T{today().year}00099"
    page = staff_both.go("staff.registration_add_submit", rider_values(departments=[str(own[0])]))
    assert page.h1 == f"企業総合保険特約 {number}" and any(number in m for m in page.messages)
    assert page.text(".rider-period") == "2026/04/01～2027/03/31"  # 満了日 = 1 year − 1 day
    stored = one(app, select(Rider).where(Rider.number == number))
    assert (stored.starts_on, stored.ends_on) == (date(2026, 4, 1), add_months(date(2026, 4, 1), 12) - timedelta(1))
    with app.app_context():
        linked = db.session().exec(select(RiderDepartment.department_id).where(RiderDepartment.rider_id == stored.id))
        assert list(linked) == [own[0]]
    detail = audits(app, "staff.reg.rider_added")[-1]
    assert detail["after"]["number"] == number and detail["after"]["departments"] == [own[0]]


def test_a_rider_s_expiry_date_typed_by_staff_is_kept(app, staff):
    staff.login("demo-manager")
    start_rider(staff, app)
    page = staff.go("staff.registration_add_submit", rider_values(ends_on="2027-03-15"))
    assert page.text(".rider-period") == "2026/04/01～2027/03/15" and page.text(".rider-departments") == "—"


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"number": "T2026001"}, "number", "「T」と西暦4桁・連番5桁"),
        ({"number": "X202600099"}, "number", "「T」と西暦4桁・連番5桁"),
        ({"number": ""}, "number", "特約番号を入力してください"),
        ({"ends_on": "2026-04-01"}, "ends_on", "開始日より後の日付"),
        ({"ends_on": "2026-03-01"}, "ends_on", "開始日より後の日付"),
        ({"starts_on": ""}, "starts_on", "特約期間 開始日を入力してください"),
    ],
)
def test_a_rider_s_number_and_period_are_checked(app, staff, values, field, message):
    staff.login("demo-manager")
    start_rider(staff, app)
    page = staff.go("staff.registration_add_submit", rider_values(**values))
    assert page.h1 == "企業総合保険特約の登録" and message in page.field_error(field)
    assert one(app, select(Rider).where(Rider.number == rider_values(**values)["number"])) is None


def test_a_rider_number_already_registered_is_refused_for_any_customer(app, staff):
    staff.login("demo-manager")
    start_rider(staff, app, TOWA)
    taken = f"T{today().year}00001"  # サンプル精機's
    page = staff.go("staff.registration_add_submit", rider_values(number=taken.lower()))
    assert "この特約番号はすでに登録されています" in page.field_error("number")
    assert page.one("#number")["value"] == taken  # as normalised
    assert audits(app, "staff.reg.rider_added") == []


def test_another_customer_s_department_is_refused(app, staff):
    staff.login("demo-manager")
    start_rider(staff, app, TOWA)
    theirs = departments(app, SAMPLE)[0]
    page = staff.go("staff.registration_add_submit", rider_values(departments=[str(theirs)]))
    assert "部門" in page.field_error("departments")
    assert one(app, select(Rider).where(Rider.number == rider_values()["number"])) is None


# --- 企総登録 ----------------------------------------------------------------------------------------


def open_rider(staff, app, number=None):
    page = opened(staff, app)
    number = number or f"T{today().year}00001"
    rider = one(app, select(Rider).where(Rider.number == number))
    page = staff.go("staff.registration_contract", {"kind": "rider", "contract": str(rider.id)})
    assert page.h1 == f"企業総合保険特約 {number}"
    return page, rider


def rider_rows(page) -> dict[str, list[str]]:
    return {row[0]: row for row in rows(page, "table.table--rider-buyers tbody tr")}


def payer(**values) -> dict:
    return {"buyer": "304-000101", "destination": "304", "settlement_method": "送金", "max_usance_days": "",
            "limit_jpy": "", "action": "submit"} | values  # fmt: skip


def test_the_rider_lists_its_payers_with_their_limits(app, staff):
    staff.login("demo-manager")
    page, _rider = open_rider(staff, app)
    listed = rider_rows(page)
    assert listed["304-000102"][5] == "200,000,000" and listed["105-000201"][5] == "限度額なし"
    assert listed["304-000102"][7] == "有効"


def test_a_payer_is_registered_with_no_limit_when_the_limit_is_blank(app, staff_both):
    staff_both.login("demo-manager")
    _page, rider = open_rider(staff_both, app)
    assert staff_both.go("staff.registration_row_add").h1 == "企総登録の追加"
    page = staff_both.go("staff.registration_row_submit", payer(max_usance_days="120"))
    assert page.h1.startswith("企業総合保険特約") and any("304-000101 を企総登録しました" in m for m in page.messages)
    assert rider_rows(page)["304-000101"][3:7] == ["送金", "120", "限度額なし", "—"]
    stored = one(app, select(RiderBuyer).join(Buyer).where(RiderBuyer.rider_id == rider.id, Buyer.code == "304-000101"))
    assert (stored.limit_jpy, stored.limit_set_on, stored.max_usance_days) == (None, None, 120)
    assert audits(app, "staff.reg.rider_buyer_added")[-1]["after"]["limit_jpy"] is None


def test_a_payer_registered_with_a_limit_gets_today_as_its_setting_date(app, staff):
    staff.login("demo-manager")
    _page, rider = open_rider(staff, app)
    staff.go("staff.registration_row_add")
    page = staff.go("staff.registration_row_submit", payer(limit_jpy="50,000,000"))
    assert rider_rows(page)["304-000101"][5:7] == ["50,000,000", today().strftime("%Y/%m/%d")]


@pytest.mark.parametrize(
    "code, message",
    [
        ("999-999999", "海外商社名簿に登録されていません"),
        ("224-000001", "海外商社名簿に登録されていません"),  # 削除
        ("304-000102", "この特約にすでに企総登録されています"),
        ("304000", "「304-000123」の形式"),
    ],
)
def test_the_payer_must_be_registered_not_deleted_and_new_under_the_rider(app, staff, code, message):
    staff.login("demo-manager")
    open_rider(staff, app)
    staff.go("staff.registration_row_add")
    page = staff.go("staff.registration_row_submit", payer(buyer=code))
    assert page.h1 == "企総登録の追加" and message in page.field_error("buyer")
    assert audits(app, "staff.reg.rider_buyer_added") == []


def row_buttons(page, code, table="table.table--rider-buyers"):
    """The posted values of the row's 限度額の変更 / 削除 forms."""
    for row in page.select(f"{table} tbody tr"):
        if normalize(row.select_one("th").get_text()) == code:
            form = row.select_one("form")
            return {field["name"]: field["value"] for field in form.select("input[type=hidden]") if
                    not field["name"].startswith("_") and field["name"] != "csrf_token"}  # fmt: skip
    raise AssertionError(code)


def test_the_limit_is_changed_on_the_row_with_today_as_its_setting_date(app, staff):
    staff.login("demo-manager")
    page, rider = open_rider(staff, app)
    posted = row_buttons(page, "105-000201")
    page = staff.go("staff.registration_limit", posted)
    assert page.h1 == "保険金支払限度額の変更" and page.text(".current-limit") == "限度額なし"
    page = staff.go("staff.registration_limit_submit", {"limit_jpy": "30,000,000", "action": "submit"})
    assert any("変更しました" in m for m in page.messages)
    assert rider_rows(page)["105-000201"][5:7] == ["30,000,000", today().strftime("%Y/%m/%d")]
    page = staff.go("staff.registration_limit", row_buttons(page, "105-000201"))
    page = staff.go("staff.registration_limit_submit", {"limit_jpy": "", "action": "submit"})
    assert rider_rows(page)["105-000201"][5] == "限度額なし"  # blank = no limit
    stored = one(app, select(RiderBuyer).where(RiderBuyer.id == int(posted["row"])))
    assert (stored.limit_jpy, stored.version) == (None, int(posted["version"]) + 2)
    changes = audits(app, "staff.reg.rider_buyer_limit_set")
    assert [(c["before"]["limit_jpy"], c["after"]["limit_jpy"]) for c in changes] == [
        (None, 30_000_000),
        (30_000_000, None),
    ]


def test_a_bad_limit_is_refused_in_japanese_and_kept(app, staff):
    staff.login("demo-manager")
    page, _rider = open_rider(staff, app)
    staff.go("staff.registration_limit", row_buttons(page, "105-000201"))
    page = staff.go("staff.registration_limit_submit", {"limit_jpy": "abc", "action": "submit"})
    assert page.h1 == "保険金支払限度額の変更" and page.field_error("limit_jpy")
    assert page.one("#limit_jpy")["value"] == "abc"


def test_a_limit_changed_meanwhile_is_not_overwritten(app, staff, other_staff):
    staff.login("demo-manager")
    page, _rider = open_rider(staff, app)
    posted = row_buttons(page, "304-000102")
    staff.go("staff.registration_limit", posted)
    with app.app_context():  # another staff member's change after the screen was shown
        db.session().exec(update(RiderBuyer).where(col(RiderBuyer.id) == int(posted["row"]))
                          .values(limit_jpy=1, version=RiderBuyer.version + 1))  # fmt: skip
        db.session().commit()
    page = staff.go("staff.registration_limit_submit", {"limit_jpy": "99,000,000", "action": "submit"})
    assert any("表示したあとに変更または削除された" in m for m in page.messages)
    assert one(app, select(RiderBuyer).where(RiderBuyer.id == int(posted["row"]))).limit_jpy == 1
    # a button from before the change is refused as well
    page = staff.go("staff.registration_remove", posted)
    assert any("表示したあとに変更または削除された" in m for m in page.messages)
    assert audits(app, "staff.reg.rider_buyer_limit_set") == []


def test_a_payer_is_deleted_after_a_confirmation_and_may_be_registered_again(app, staff):
    staff.login("demo-manager")
    page, rider = open_rider(staff, app)
    page = staff.go("staff.registration_remove", row_buttons(page, "111-000301"))
    assert page.h1 == "企総登録の削除（確認）" and "111-000301" in page.text(".remove-buyer")
    page = staff.go("staff.registration_remove_apply", {"action": "apply"})
    assert rider_rows(page)["111-000301"][7:] == ["削除", "—"]
    assert audits(app, "staff.reg.rider_buyer_deleted")[-1]["after"]["state"] == "削除"
    staff.go("staff.registration_row_add")
    page = staff.go("staff.registration_row_submit", payer(buyer="111-000301", destination="111"))
    assert rider_rows(page)["111-000301"][7] == "有効"


def test_back_from_the_deletion_changes_nothing(app, staff):
    staff.login("demo-manager")
    page, _rider = open_rider(staff, app)
    staff.go("staff.registration_remove", row_buttons(page, "111-000301"))
    page = staff.go("staff.registration_remove_apply", {"action": "back"})
    assert rider_rows(page)["111-000301"][7] == "有効" and audits(app, "staff.reg.rider_buyer_deleted") == []


# --- 簡易通知型包括保険契約 and 簡易包括登録 --------------------------------------------------------------


def blanket_values(**values) -> dict:
    return {"post_political": "97.5", "post_commercial": "90", "starts_on": "2026-04-01", "ends_on": "2027-03-31",
            "action": "submit"} | values  # fmt: skip


def sequence(app, name) -> int:
    with app.app_context():
        return db.session().exec(select(Sequence.value).where(Sequence.name == name)).first() or 0


def test_a_blanket_contract_gets_its_number_from_the_policies_sequence(app, staff_both):
    staff_both.login("demo-manager")
    opened(staff_both, app, TOWA)
    year = today().year
    before = sequence(app, f"policy:05:{year}")
    assert staff_both.go("staff.registration_add", {"kind": "blanket"}).h1 == "簡易通知型包括保険契約の登録"
    page = staff_both.go("staff.registration_add_submit", blanket_values(post_political="100", post_commercial="0"))
    number = f"05{year}{before + 1:08d}"
    assert page.h1 == f"簡易通知型包括保険契約 {number}" and any(f"保険証券番号は {number}" in m for m in page.messages)
    assert page.text(".blanket-number") == number and re.fullmatch(rf"05{year}\d{{8}}", number)
    assert (page.text(".blanket-political"), page.text(".blanket-commercial")) == ("100%", "0%")
    stored = one(app, select(BlanketContract).where(BlanketContract.number == number))
    assert stored.customer_id == customer_id(app, TOWA) and stored.ends_on == date(2027, 3, 31)
    assert audits(app, "staff.reg.blanket_added")[-1]["after"]["number"] == number


@pytest.mark.parametrize(
    "values, field",
    [({"post_political": "50"}, "post_political"), ({"post_commercial": "95"}, "post_commercial"),
     ({"ends_on": "2026-03-31"}, "ends_on"), ({"starts_on": ""}, "starts_on")],
)  # fmt: skip
def test_a_blanket_contract_s_rates_and_period_are_checked(app, staff, values, field):
    staff.login("demo-manager")
    opened(staff, app, TOWA)
    staff.go("staff.registration_add", {"kind": "blanket"})
    page = staff.go("staff.registration_add_submit", blanket_values(**values))
    assert page.h1 == "簡易通知型包括保険契約の登録" and page.field_error(field)
    assert audits(app, "staff.reg.blanket_added") == []


def open_blanket(staff, app):
    opened(staff, app)
    contract = one(app, select(BlanketContract).where(BlanketContract.customer_id == customer_id(app)))
    page = staff.go("staff.registration_contract", {"kind": "blanket", "contract": str(contract.id)})
    assert page.h1 == f"簡易通知型包括保険契約 {contract.number}"
    return page, contract


def blanket_rows(page) -> dict[tuple[str, str], list[str]]:
    return {(row[0], row[2]): row for row in rows(page, "table.table--blanket-rows tbody tr")}


def test_blanket_registrations_are_added_once_per_buyer_and_country(app, staff):
    staff.login("demo-manager")
    page, contract = open_blanket(staff, app)
    assert blanket_rows(page)[("304-000101", "アメリカ合衆国")][3] == "100,000,000"
    assert staff.go("staff.registration_row_add").h1 == "簡易包括登録の追加"
    page = staff.go("staff.registration_row_submit", {"buyer": "304-000101", "country": "304", "limit_jpy": "",
                                                      "action": "submit"})  # fmt: skip
    assert "すでに簡易包括登録されています" in page.field_error("buyer")
    page = staff.go("staff.registration_row_submit", {"buyer": "224-000001", "country": "224", "limit_jpy": "",
                                                      "action": "submit"})  # fmt: skip
    assert "海外商社名簿に登録されていません" in page.field_error("buyer")
    page = staff.go("staff.registration_row_submit", {"buyer": "304-000101", "country": "105", "limit_jpy": "",
                                                      "action": "submit"})  # fmt: skip
    added = [row for key, row in blanket_rows(page).items() if key[0] == "304-000101" and row[2] != "アメリカ合衆国"]
    assert len(added) == 1 and added[0][3:5] == ["限度額なし", "有効"]
    with app.app_context():
        found = db.session().exec(select(BlanketRegistration).where(BlanketRegistration.contract_id == contract.id,
                                                                    BlanketRegistration.country == "105")).one()  # fmt: skip
        assert found.limit_jpy is None
    assert audits(app, "staff.reg.blanket_row_added")[-1]["after"]["country"] == "105"


def test_a_blanket_registration_s_limit_is_changed_and_it_is_deleted(app, staff):
    staff.login("demo-manager")
    page, _contract = open_blanket(staff, app)
    staff.go("staff.registration_limit", row_buttons(page, "213-000401", "table.table--blanket-rows"))
    page = staff.go("staff.registration_limit_submit", {"limit_jpy": "5,000,000", "action": "submit"})
    assert [row[3] for key, row in blanket_rows(page).items() if key[0] == "213-000401"] == ["5,000,000"]
    page = staff.go("staff.registration_remove", row_buttons(page, "213-000401", "table.table--blanket-rows"))
    assert page.h1 == "簡易包括登録の削除（確認）"
    page = staff.go("staff.registration_remove_apply", {"action": "apply"})
    assert [row[4] for key, row in blanket_rows(page).items() if key[0] == "213-000401"] == ["削除"]
    assert audits(app, "staff.reg.blanket_row_limit_set")[-1]["after"]["limit_jpy"] == 5_000_000
    assert audits(app, "staff.reg.blanket_row_deleted")[-1]["after"]["state"] == "削除"


def test_a_blanket_registration_changed_meanwhile_is_not_overwritten(app, staff):
    staff.login("demo-manager")
    page, _contract = open_blanket(staff, app)
    posted = row_buttons(page, "304-000101", "table.table--blanket-rows")
    staff.go("staff.registration_limit", posted)
    with app.app_context():
        db.session().exec(update(BlanketRegistration).where(col(BlanketRegistration.id) == int(posted["row"]))
                          .values(limit_jpy=7))  # fmt: skip
        db.session().commit()
    page = staff.go("staff.registration_limit_submit", {"limit_jpy": "1,000", "action": "submit"})
    assert any("表示したあとに変更または削除された" in m for m in page.messages)
    assert one(app, select(BlanketRegistration).where(BlanketRegistration.id == int(posted["row"]))).limit_jpy == 7


def test_an_expired_rider_takes_no_new_payer(app, staff):
    staff.login("demo-manager")
    with app.app_context():
        db.session().exec(update(Rider).values(state="満了"))
        db.session().commit()
    page, _rider = open_rider(staff, app)
    assert "企総登録の追加" not in page.button_names()
    page = staff.go("staff.registration_row_add")
    assert any("満了・解約した契約には登録できません" in m for m in page.messages)


# --- who may use them ------------------------------------------------------------------------------

ACTIONS = [
    "staff.registrations", "staff.registration_add", "staff.registration_add_submit", "staff.registration_contract",
    "staff.registration_row_add", "staff.registration_row_submit", "staff.registration_limit",
    "staff.registration_limit_submit", "staff.registration_remove", "staff.registration_remove_apply",
]  # fmt: skip
WRITES = ("membership_added", "rider_added", "rider_buyer_added", "blanket_added", "blanket_row_added")


def test_a_reviewer_is_refused_every_action_and_screen(app, staff):
    staff.login("demo-reviewer")
    for endpoint in ACTIONS:
        page = staff.go(endpoint, {"kind": "membership", "action": "submit", "product": "02", "association": "JMC",
                                   "joined_on": "2026-01-01", "customer": str(customer_id(app, TOWA))})  # fmt: skip
        assert page.h1 == "職員コンソール" and any("管理担当のみ" in m for m in page.messages), endpoint
    page = staff.show("staff.registrations", {"customer_id": customer_id(app)})
    assert page.h1 == "職員コンソール"
    for kind in WRITES:
        assert audits(app, f"staff.reg.{kind}") == []


def test_a_customer_reaches_none_of_them(app, portal):
    portal.login("demo-admin")
    assert portal.get(portal.url("staff.current")).h1 == "職員ログイン"
    for endpoint in ACTIONS:
        assert portal.go(endpoint, {"kind": "membership", "action": "submit"}).h1 == "職員ログイン", endpoint
    for kind in WRITES:
        assert audits(app, f"staff.reg.{kind}") == []
