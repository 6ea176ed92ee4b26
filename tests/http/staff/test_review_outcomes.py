"""S.3 through the console: each procedure of chapters 3 and 7 carried to 完了 with its result
inputs (or none), and what the customer and the register show afterwards."""

from sqlmodel import select

from nexi import db
from nexi.clock import today
from nexi.models import Application, Buyer, Customer, Status
from tests.http.staff.test_review import decide
from tests.http.users.test_company_change import apply_for
from tests.support.files import pdf, upload
from tests.support.procedures import submit


def status_of(app, number) -> Application:
    with app.app_context():
        return db.session().exec(select(Application).where(Application.number == number)).one()


def test_u01_is_applied_with_the_values_nexi_corrected(app, portal, staff):
    portal.login("demo-admin")
    number = apply_for(portal, today(), name="サンプル精機ＨＤ株式会社")
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = decide(staff, number, "complete", name_ja="")
    assert page.field_error("name_ja") == "名称（和文）を入力してください"
    page = staff.go(
        "staff.decide_submit",
        {
            "action": "submit",
            "effective_on": today().isoformat(),
            "name_ja": "サンプル精機HD株式会社",
            "name_en": "SAMPLE SEIKI HD CO., LTD.",
        },
    )
    assert status_of(app, number).status == Status.COMPLETED, page.error_summary
    with app.app_context():
        customer = db.session().exec(select(Customer).where(Customer.code == "123456789")).one()
    assert customer.name_ja == "サンプル精機HD株式会社"
    assert portal.go("home.home").text("#customer-name") == "サンプル精機HD株式会社"


def test_the_decision_screen_prefills_the_customers_answers(app, portal, staff):
    portal.login("demo-admin")
    number = apply_for(portal, today(), name="サンプル精機ＨＤ株式会社")
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = staff.go("staff.detail", {"number": number})
    page = staff.go("staff.decide", {"decision": "complete", "version": page.one("input[name=version]")["value"]})
    assert page.one("#name_ja")["value"] == "サンプル精機HD株式会社"
    assert page.one("#effective_on")["value"] == today().isoformat()
    assert not page.select("#contact_person")  # only the items the customer ticked


def test_b03_needs_no_result_input_and_applies_the_address(app, portal, staff):
    portal.login("demo-admin")
    number = submit(portal, "buyers.name_address", {"change": {
        "buyer_code": "304-000101", "change_kind": "address", "new_address": "500 New Street",
        "new_city": "Portland", "reason": "移転", "evidence_files": [upload(pdf(text="ev"), "ev.pdf")],
    }})  # fmt: skip
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = decide(staff, number, "complete")
    assert status_of(app, number).status == Status.COMPLETED, page.error_summary
    with app.app_context():
        moved = db.session().exec(select(Buyer).where(Buyer.code == "304-000101")).one()
    assert (moved.address, moved.city, moved.last_activity_on) == ("500 New Street", "Portland", today())
    assert "304-000101" in portal.go("status.detail", {"number": number}).text("#result-title + dl")
