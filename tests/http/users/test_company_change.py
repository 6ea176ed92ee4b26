"""3-5 保険利用者情報変更申請 (U01): 管理者 only, every field and condition, and its 完了 — the new
values take effect from 変更日 on every screen, the header included; 保険利用者コード never changes."""

from datetime import timedelta

from sqlmodel import select

from nexi import customers, db
from nexi.clock import add_months, today
from nexi.models import Application, Customer, CustomerVersion, Status
from nexi.procedures import flow
from nexi.procedures.company.forms import corporate_number_valid
from tests.support.files import pdf, upload

CURRENT = {
    "name_ja": "株式会社サンプル精機",
    "name_en": "SAMPLE SEIKI CO., LTD.",
    "contact_person": "山田 太郎",
}


def start(portal):
    page = portal.go("users.company_change")
    assert page.h1 == "保険利用者情報変更申請（手続きの流れ）"
    return portal.go("procedure.intro", {"action": "next"})


def items(portal, chosen, effective=None):
    effective = effective or today().isoformat()
    return portal.go("procedure.input_submit", {"action": "next", "items": chosen, "effective_on": effective})


def values_of(page) -> dict:
    """The step's inputs as prefilled (and re-posted by a browser)."""
    found = {}
    for element in page.select("form.step-form input[name], form.step-form textarea[name]"):
        if element.get("type") in {"hidden", "file", "submit"} or element["name"].startswith("_"):
            continue
        if element.get("type") == "radio":
            if element.has_attr("checked"):
                found[element["name"]] = element["value"]
            continue
        found[element["name"]] = element.get("value", element.get_text())
    return found


def customer(app, code="123456789") -> Customer:
    with app.app_context():
        return db.session().exec(select(Customer).where(Customer.code == code)).one()


def test_only_a_kanrisha_may_apply(portal):
    portal.login("demo-user")
    page = portal.go("users.company_change")
    assert page.h1 == "ユーザーページ"
    assert "この手続きは管理者のみご利用いただけます。" in page.messages


def test_the_menu_entry_comes_from_the_declaration(portal):
    portal.login("demo-user")
    entry = [li for li in portal.go("home.home").select("li") if "保険利用者情報変更申請" in li.get_text()]
    assert entry and "管理者のみご利用いただけます" in entry[0].get_text() and not entry[0].select("button, a")


def test_at_least_one_item_and_a_change_date_within_its_window(portal):
    portal.login()
    start(portal)
    page = items(portal, [], effective=(today() + timedelta(days=91)).isoformat())
    assert page.field_error("items") == "変更項目を選択してください"
    assert page.field_error("effective_on").startswith("変更日は")
    assert items(portal, ["name"], effective=add_months(today(), -12).isoformat()).h1.endswith("（変更後の内容）")


def test_the_new_values_start_as_the_current_ones_and_must_differ(portal):
    portal.login()
    start(portal)
    page = items(portal, ["name", "contact"])
    assert page.texts(".form-section__title") == ["名称", "連絡先"]  # the unticked items' groups are left out
    prefilled = values_of(page)
    assert prefilled["name_ja"] == CURRENT["name_ja"] and prefilled["contact_person"] == CURRENT["contact_person"]
    page = portal.go("procedure.input_submit", {"action": "next", **prefilled})
    assert page.h1.endswith("（変更後の内容）")
    assert page.field_error("name_ja") == "名称が現在の登録内容と同じです。変更後の内容を入力してください"
    assert page.field_error("contact_department") == "連絡先が現在の登録内容と同じです。変更後の内容を入力してください"


def test_the_corporate_number_is_asked_for_a_new_name_only_while_none_is_registered(portal):
    portal.login("other-admin")  # 東和トレーディング has no 法人番号
    start(portal)
    page = items(portal, ["name"])
    values = {**values_of(page), "name_ja": "東和商事株式会社"}
    page = portal.go("procedure.input_submit", {"action": "next", **values, "corporate_number": ""})
    assert page.field_error("corporate_number") == "法人番号を入力してください"
    page = portal.go("procedure.input_submit", {"action": "next", **values, "corporate_number": "1234567890123"})
    assert "チェックデジット" in page.field_error("corporate_number")
    portal.login("demo-admin")  # サンプル精機 has one: not asked
    start(portal)
    page = items(portal, ["name"])
    assert not page.select("#corporate_number")


def test_the_check_digit_of_a_corporate_number():
    assert corporate_number_valid("7000012050002")  # 国税庁's own example
    assert not corporate_number_valid("8000012050002")
    assert not corporate_number_valid("700001205000")


def test_a_certificate_is_needed_for_name_address_and_representative_only(portal):
    portal.login()
    start(portal)
    page = items(portal, ["contact"])
    page = portal.go("procedure.input_submit", {"action": "next", **values_of(page), "contact_person": "佐藤 花子"})
    assert page.h1.endswith("（登記事項証明書と備考）")
    assert not page.select("#certificate_files")
    portal.go("procedure.input_submit", {"action": "back"})
    portal.go("procedure.input_submit", {"action": "back"})
    page = items(portal, ["representative"])
    page = portal.go(
        "procedure.input_submit", {"action": "next", **values_of(page), "representative": "代表取締役 鈴木 一郎"}
    )
    page = portal.go(
        "procedure.input_submit", {"action": "next", "certificate_date": add_months(today(), -4).isoformat()}
    )
    assert page.field_error("certificate_files") == "登記事項証明書を添付してください"
    assert page.field_error("certificate_date").startswith("証明書発行日は")


def apply_for(portal, effective, name="サンプル精機ホールディングス株式会社"):
    start(portal)
    page = items(portal, ["name"], effective=effective.isoformat())
    page = portal.go("procedure.input_submit", {"action": "next", **values_of(page), "name_ja": name})
    page = portal.go(
        "procedure.input_submit",
        {
            "action": "next",
            "certificate_date": today().isoformat(),
            "certificate_files": [upload(pdf(text="touki"), "touki.pdf")],
        },
    )
    assert page.h1 == "保険利用者情報変更申請（申込内容確認）", page.error_summary
    number = page.text(".panel .number")
    assert portal.go("procedure.confirm_submit", {"action": "submit"}).h1.endswith("（申込完了）")
    return number


def complete(app, number, **inputs):
    with app.app_context():
        application = db.session().exec(select(Application).where(Application.number == number)).one()
        assert application.status == Status.SUBMITTED and application.needs_review
        flow.complete(application, inputs)
        db.session().commit()


def test_a_completed_change_dated_today_shows_from_the_next_screen(app, portal):
    portal.login()
    number = apply_for(portal, today())
    complete(app, number)
    assert customer(app).name_ja == "サンプル精機ホールディングス株式会社"
    page = portal.go("home.home")
    assert page.text("#customer-name") == "サンプル精機ホールディングス株式会社"
    assert customer(app).code == "123456789"
    detail = portal.go("status.detail", {"number": number})
    result = dict(
        zip(
            detail.texts("#result-title + .summary-list dt"),
            detail.texts("#result-title + .summary-list dd"),
            strict=True,
        )
    )
    assert result["変更項目"] == "名称"


def test_nexi_may_correct_the_values_at_completion(app, portal):
    portal.login()
    number = apply_for(portal, today())
    complete(app, number, name_ja="サンプル精機HD株式会社")
    assert customer(app).name_ja == "サンプル精機HD株式会社"


def test_a_future_dated_change_takes_effect_on_its_day_without_anyone_acting(app, portal, monkeypatch):
    portal.login()
    day = today() + timedelta(days=10)
    number = apply_for(portal, day)
    complete(app, number)
    assert customer(app).name_ja == CURRENT["name_ja"] and customer(app).next_change_on == day
    assert portal.go("home.home").text("#customer-name") == CURRENT["name_ja"]
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{day.isoformat()}T09:00:00")
    assert portal.go("home.home").text("#customer-name") == "サンプル精機ホールディングス株式会社"
    with app.app_context():
        [version] = db.session().exec(select(CustomerVersion)).all()
    assert version.previous == {"name_ja": CURRENT["name_ja"], "name_en": CURRENT["name_en"]}
    assert version.applied_at is not None and customer(app).next_change_on is None


def test_the_daily_job_applies_the_changes_whose_day_has_come(app, monkeypatch):
    day = today() + timedelta(days=3)
    with app.app_context():
        target = db.session().exec(select(Customer).where(Customer.code == "987654321")).one()
        customers.record(target.id, day, {"contact_person": "新 担当"})
        db.session().commit()
    result = app.test_cli_runner().invoke(args=["run-daily", "--date", day.isoformat()])
    assert "登録内容の変更を反映した保険利用者: 1件" in result.output
    assert customer(app, "987654321").contact_person == "新 担当"
    again = app.test_cli_runner().invoke(args=["run-daily", "--date", day.isoformat()])
    assert "登録内容の変更を反映した保険利用者: 0件" in again.output


def test_the_code_is_not_a_changeable_column(app):
    with app.app_context():
        try:
            customers.record(1, today(), {"code": "111111111"})
        except ValueError:
            return
    raise AssertionError("保険利用者コード must not change")


def departments(app, code="123456789") -> list[tuple[str, str]]:
    with app.app_context():
        target = db.session().exec(select(Customer).where(Customer.code == code)).one()
        return [(d.code, d.name) for d in customers.departments(target.id)]


def test_the_departments_are_rows_prefilled_with_the_current_ones(app, portal):
    current = departments(app)
    assert current, "the demo company has 部門"
    portal.login()
    start(portal)
    page = items(portal, ["departments"])
    assert len(page.select("table.rows tbody tr")) == len(current)
    assert [(page.one(f"#departments-{i}-code")["value"], page.one(f"#departments-{i}-name")["value"])
            for i in range(len(current))] == current  # fmt: skip
    page = portal.go("procedure.input_submit", {"action": "next", **values_of(page)})
    assert page.field_error("departments") == "部門が現在の登録内容と同じです。変更後の内容を入力してください"
    grown = {**values_of(page), "department_count": str(len(current) + 1)}
    page = portal.go("procedure.input_submit", {"action": "rows", **grown})
    assert len(page.select("table.rows tbody tr")) == len(current) + 1
    new = len(current)
    duplicate = {**values_of(page), f"departments-{new}-code": current[0][0], f"departments-{new}-name": "新部門"}
    page = portal.go("procedure.input_submit", {"action": "next", **duplicate})
    assert page.field_error("departments") == "部門コードが重複しています。部門ごとに異なるコードを入力してください"
    page = portal.go("procedure.input_submit", {"action": "next", **duplicate, f"departments-{new}-code": "NEW01"})
    assert page.h1.endswith("（登記事項証明書と備考）")
    page = portal.go("procedure.input_submit", {"action": "next"})
    number = page.text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit"})
    complete(app, number)
    assert departments(app) == sorted([*current, ("NEW01", "新部門")])
