"""S.8 保険利用者 on the console: a 管理担当 searches and opens customers, registers one (unique
9-digit code, its 部門) with its first 管理者, whose 仮パスワード is shown once and must be changed
at the first login, and adds a 管理者 to an existing customer; each audited; a 審査担当 cannot."""

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import AuditEvent, Customer, Department, Role, WebUser
from nexi.security import verify_password
from tests.http.users.support import audited, user
from tests.support.staff import staff_account

NEW = {
    "code": "555000111",
    "name_ja": "株式会社みなと物産",
    "name_en": "MINATO BUSSAN CO., LTD.",
    "corporate_number": "",
    "postal_code": "231-0001",
    "address_ja": "神奈川県横浜市中区新港一丁目1番1号",
    "address_en": "1-1-1 Shinko, Naka-ku, Yokohama",
    "representative": "代表取締役 港 一郎",
    "contact_department": "輸出部",
    "contact_person": "港 花子",
    "contact_phone": "045-123-4567",
    "contact_email": "export@minato.example.jp",
    "is_sme": "yes",
    "is_agri": "no",
    "department_count": "2",
    "departments-0-code": "EXP1",
    "departments-0-name": "輸出部 第一課",
    "departments-1-code": "EXP2",
    "departments-1-name": "輸出部 第二課",
    "login_id": "Minato.Admin",
    "name": "港 花子",
    "name_kana": "ミナト ハナコ",
    "department": "輸出部",
    "phone": "045-123-4568",
    "email": "hanako@minato.example.jp",
    "otp": "off",
    "action": "next",
}
MANAGER_ACTIONS = [
    ("staff.customers", {}),
    ("staff.customer_search", {"code": "123"}),
    ("staff.customer_page", {"page": "2"}),
    ("staff.customer", {"customer": "1"}),
    ("staff.customer_add", {}),
    ("staff.customer_add_check", NEW),
    ("staff.customer_add_submit", {"action": "submit"}),
    ("staff.customer_admin_add", {}),
    ("staff.customer_admin_check", NEW),
    ("staff.customer_admin_submit", {"action": "submit"}),
]


def _customer(app, code):
    with app.app_context():
        found = db.session().exec(select(Customer).where(Customer.code == code)).first()
        if found is not None:
            db.session().expunge(found)
        return found


def _open(staff, code):
    staff.go("staff.customers")
    return staff.go("staff.customer", {"customer": str(_customer(staff.app, code).id)})


def _to_confirm(staff, values=NEW):
    staff.go("staff.customers")
    staff.go("staff.customer_add")
    return staff.go("staff.customer_add_check", values)


def test_the_list_finds_customers_by_code_or_name(staff_both):
    staff_both.login("demo-manager")
    page = staff_both.go("staff.customers")
    assert page.h1 == "保険利用者一覧"
    assert page.texts("button[name=customer]") == ["123456789", "987654321"]
    page = staff_both.go("staff.customer_search", {"code": "9876", "name": ""})
    assert page.texts("button[name=customer]") == ["987654321"]
    page = staff_both.go("staff.customer_search", {"code": "", "name": "sample seiki"})
    assert page.texts("button[name=customer]") == ["123456789"]
    page = staff_both.go("staff.customer_search", {"code": "", "name": "東和"})
    assert page.texts("button[name=customer]") == ["987654321"]
    page = staff_both.go("staff.customer_search", {"code": "", "name": "存在しない会社"})
    assert "条件に合う保険利用者はありません" in page.text(".result-count")


def test_a_bad_search_is_reported_with_what_was_typed(staff):
    staff.login("demo-manager")
    staff.go("staff.customers")
    page = staff.go("staff.customer_search", {"code": "12a", "name": ""})
    assert "保険利用者コードは9桁以内の数字で入力してください" in page.field_error("code")
    assert page.one("#code")["value"] == "12a"


def test_the_list_is_paged(app, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 1)
    staff.login("demo-manager")
    page = staff.go("staff.customers")
    assert page.texts("button[name=customer]") == ["123456789"]
    assert "1/2ページ" in page.text(".result-count")
    page = staff.go("staff.customer_page", {"page": "2"})
    assert page.texts("button[name=customer]") == ["987654321"]
    assert staff.go("staff.customer_page", {"page": "99"}).texts("button[name=customer]") == ["987654321"]


def test_the_detail_shows_the_data_departments_and_web_users(staff_both):
    staff_both.login("demo-manager")
    page = _open(staff_both, "123456789")
    assert page.h1 == "保険利用者詳細"
    assert page.text(".customer-name") == "株式会社サンプル精機"
    assert page.texts("table.departments tbody td:first-child") == ["EXP01", "EXP02", "PLT1"]
    rows = {
        row["data-login-id"]: [td.get_text(strip=True) for td in row.select("td")] for row in page.select(".user-row")
    }
    assert rows["demo-admin"][2:4] == ["管理者", "有効"]
    assert rows["demo-locked"][2:4] == ["一般", "ロック中"]
    assert rows["demo-disabled"][3] == "無効"
    assert "other-admin" not in rows  # another customer's user


def test_an_unknown_customer_posted_by_hand_shows_the_list(staff):
    staff.login("demo-manager")
    staff.go("staff.customers")
    for posted in ("999999", "abc", "-1", "1" * 40):
        page = staff.go("staff.customer", {"customer": posted})
        assert page.h1 == "保険利用者一覧"
        assert "指定された保険利用者は見つかりません。" in page.messages


def test_registering_a_customer_creates_it_with_its_first_administrator(app, staff_both, portal):
    staff_both.login("demo-manager")
    page = _to_confirm(staff_both)
    assert page.h1 == "保険利用者の新規登録（確認）", page.error_summary
    assert "555000111" in page.screen_text and "輸出部 第二課" in page.screen_text
    assert _customer(app, "555000111") is None  # nothing yet
    page = staff_both.go("staff.customer_add_submit", {"action": "submit"})
    assert page.h1 == "保険利用者の新規登録（完了）"
    password = page.text(".generated-password")
    assert staff_both.current().select(".generated-password") == []  # shown once
    assert "表示済み" in staff_both.current().text(".password-shown")

    created = _customer(app, "555000111")
    assert (created.name_ja, created.postal_code, created.is_sme, created.is_agri) == (
        "株式会社みなと物産", "231-0001", True, False,
    )  # fmt: skip
    with app.app_context():
        departments = db.session().exec(select(Department).where(Department.customer_id == created.id)).all()
        assert sorted((d.code, d.name) for d in departments) == [("EXP1", "輸出部 第一課"), ("EXP2", "輸出部 第二課")]
    admin = user(app, "minato.admin")
    assert (admin.customer_id, admin.role, admin.login_id, admin.temporary_password) == (
        created.id, Role.ADMIN, "Minato.Admin", True,
    )  # fmt: skip
    with app.app_context():
        assert verify_password(admin.password_hash, password)
    manager = staff_account(app, "demo-manager").id
    (event,) = audited(app, "staff.customers.created")
    assert event.staff_user_id == manager and event.detail["before"] is None
    assert event.detail["after"]["code"] == "555000111" and len(event.detail["after"]["departments"]) == 2
    (added,) = audited(app, "staff.webusers.added")
    assert (added.staff_user_id, added.user_id, added.customer_id) == (manager, admin.id, created.id)
    assert added.detail["after"]["role"] == "admin" and added.detail["after"]["temporary_password"]
    assert password not in str(event.detail) + str(added.detail)

    page = portal.login("MINATO.admin", password)  # any case (C.6)
    assert page.h1 == "パスワード変更"  # forced at the first login (3-2)
    assert "仮パスワードでログインしています" in page.text(".forced-change")


def test_the_code_is_nine_digits_and_unique(staff):
    staff.login("demo-manager")
    page = _to_confirm(staff, NEW | {"code": "12345"})
    assert page.h1 == "保険利用者の新規登録"
    assert page.field_error("code") == "保険利用者コードは9桁の数字で入力してください"
    assert page.one("#code")["value"] == "12345"  # what was typed is kept
    assert page.one("#name_ja")["value"] == NEW["name_ja"]
    page = staff.go("staff.customer_add_check", NEW | {"code": "123456789"})
    assert "この保険利用者コードはすでに登録されています" in page.field_error("code")
    page = staff.go("staff.customer_add_check", NEW | {"code": "５５５０００１１１"})  # full-width digits
    assert page.h1 == "保険利用者の新規登録（確認）"
    assert "555000111" in page.screen_text


def test_the_administrators_id_must_be_new_and_every_field_is_checked(staff):
    staff.login("demo-manager")
    page = _to_confirm(staff, NEW | {"login_id": "DEMO-ADMIN"})
    assert "このWebユーザーIDは既に使われています" in page.field_error("login_id")
    empty = dict.fromkeys(NEW, "") | {"action": "next", "department_count": "0"}
    page = staff.go("staff.customer_add_check", empty)
    assert page.h1 == "保険利用者の新規登録"
    for field in ("code", "name_ja", "name_en", "postal_code", "address_ja", "representative", "contact_person"):
        assert page.field_error(field), field
    for field in ("contact_phone", "contact_email", "login_id", "name", "phone", "email"):
        assert page.field_error(field), field
    page = staff.go(
        "staff.customer_add_check",
        NEW | {"postal_code": "2310001", "contact_phone": "12", "email": "x", "corporate_number": "1234567890123"},
    )
    assert "郵便番号" in page.field_error("postal_code")
    assert page.field_error("contact_phone").startswith("連絡先の電話は")
    assert page.field_error("email").startswith("e-mailは")
    assert "法人番号" in page.field_error("corporate_number")


def test_the_department_rows_follow_their_count_and_codes_differ(staff):
    staff.login("demo-manager")
    staff.go("staff.customer_add")
    page = staff.go("staff.customer_add_check", NEW | {"department_count": "3", "action": "rows"})
    assert page.h1 == "保険利用者の新規登録" and not page.error_summary
    assert len(page.select("table.rows tbody tr")) == 3
    assert page.one("#departments-1-code")["value"] == "EXP2"
    page = staff.go("staff.customer_add_check", NEW | {"departments-1-code": "EXP1"})
    assert any("部門コードが重複しています" in message for message in page.error_summary)
    page = staff.go("staff.customer_add_check", NEW | {"department_count": "0"})
    assert page.h1 == "保険利用者の新規登録（確認）"


def test_the_confirmation_goes_back_with_the_values_kept(app, staff):
    staff.login("demo-manager")
    _to_confirm(staff)
    page = staff.go("staff.customer_add_submit", {"action": "back"})
    assert page.h1 == "保険利用者の新規登録"
    assert page.one("#login_id")["value"] == "Minato.Admin"
    assert _customer(app, "555000111") is None
    assert staff.go("staff.customer_add_check", {"action": "back"}).h1 == "保険利用者一覧"


def test_a_code_registered_meanwhile_stops_the_registration_and_leaves_nothing(app, staff):
    staff.login("demo-manager")
    _to_confirm(staff)
    with app.app_context():
        db.session().add(Customer(code="555000111", name_ja="別の会社", name_en="OTHER", postal_code="", address_ja=""))
        db.session().commit()
    page = staff.go("staff.customer_add_submit", {"action": "submit"})
    assert page.h1 == "保険利用者の新規登録"
    assert "この保険利用者コードはすでに登録されています" in page.field_error("code")
    assert audited(app, "staff.customers.created") == []
    with app.app_context():
        assert db.session().exec(select(WebUser).where(WebUser.login_key == "minato.admin")).first() is None


def test_a_submission_repeated_registers_once(app, staff):
    staff.login("demo-manager")
    _to_confirm(staff)
    token = staff.token
    staff.go("staff.customer_add_submit", {"action": "submit"})
    page = staff.post(staff.url("staff.customer_add_submit"), {"action": "submit"}, token=token)  # a double click
    assert page.h1 == "保険利用者の新規登録（完了）"
    assert len(audited(app, "staff.customers.created")) == 1


def test_an_administrator_is_added_to_an_existing_customer(app, staff_both):
    staff_both.login("demo-manager")
    _open(staff_both, "987654321")
    page = staff_both.go("staff.customer_admin_add")
    assert page.h1 == "管理者の追加"
    admin = {name: NEW[name] for name in ("login_id", "name", "phone", "email", "otp")} | {"login_id": "towa-admin2"}
    page = staff_both.go("staff.customer_admin_check", admin | {"action": "next"})
    assert page.h1 == "管理者の追加（確認）", page.error_summary
    page = staff_both.go("staff.customer_admin_submit", {"action": "submit"})
    assert page.h1 == "管理者の追加（完了）"
    assert page.text(".generated-password")
    added = user(app, "towa-admin2")
    assert added.role == Role.ADMIN and added.customer_id == _customer(app, "987654321").id
    (event,) = audited(app, "staff.webusers.added")
    assert event.user_id == added.id and event.detail["before"] is None


def test_an_added_administrators_id_is_checked(staff):
    staff.login("demo-manager")
    _open(staff, "987654321")
    staff.go("staff.customer_admin_add")
    page = staff.go("staff.customer_admin_check", {"login_id": "other-admin", "name": "", "action": "next"})
    assert "このWebユーザーIDは既に使われています" in page.field_error("login_id")
    assert page.field_error("name") == "氏名を入力してください"
    assert staff.go("staff.customer_admin_check", {"action": "back"}).h1 == "保険利用者詳細"


@pytest.mark.parametrize(("endpoint", "data"), MANAGER_ACTIONS)
def test_a_reviewer_is_refused_every_customer_action(app, staff, endpoint, data):
    staff.login("demo-reviewer")
    page = staff.go(endpoint, data)
    assert page.h1 == "職員コンソール"
    assert "権限がありません（管理担当のみ）" in page.text(".messages")
    assert [event.detail["endpoint"] for event in audited(app, "staff.denied")] == [endpoint]
    assert _customer(app, "555000111") is None


@pytest.mark.parametrize(
    ("screen", "args"),
    [
        ("staff.customers", {"criteria": {"code": "", "name": ""}, "page": 1}),
        ("staff.customer", {"customer_id": 1}),
        ("staff.customer_add", {"values": {}}),
        ("staff.customer_add_confirm", {"values": {"code": "555000111"}}),
        ("staff.customer_added", {"customer_id": 1, "user_id": 1}),
        ("staff.customer_admin_add", {"customer_id": 1, "values": {}}),
        ("staff.customer_admin_confirm", {"customer_id": 1, "values": {}}),
    ],
)
def test_a_reviewer_is_never_shown_a_customer_screen(staff, screen, args):
    staff.login("demo-reviewer")
    assert staff.show(screen, args).h1 == "職員コンソール"


def test_the_console_menu_offers_the_customers_to_a_manager_only(staff, other_staff):
    assert "保険利用者（検索・新規登録）" in staff.login("demo-manager").button_names()
    assert "保険利用者（検索・新規登録）" not in other_staff.login("demo-reviewer").button_names()


def test_no_audit_row_is_written_without_a_change(app, staff):
    staff.login("demo-manager")
    _open(staff, "123456789")
    staff.go("staff.customer_add")
    with app.app_context():
        kinds = {event.kind for event in db.session().exec(select(AuditEvent)).all()}
    assert not any(kind.startswith(("staff.customers.", "staff.webusers.")) for kind in kinds)
