"""IA1 answers and steps for the tests of 貿易一般保険（個別） 申込 (DOMAIN.md 9-1 … 9-5, §10)."""

from datetime import timedelta

from sqlmodel import select

from nexi import db
from nexi.clock import today
from nexi.models import Application, Confirmation, Earmark, Policy
from tests.http.staff.test_review import decide
from tests.support.procedures import submit, walk

ENDPOINT = "insurance.individual"
L01 = "limits.confirmation"
CONFIRM = "（申込内容確認）"


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


def ia1(contract=None, money=None, cover=None, *, schedule=None) -> dict:
    """Valid answers: USD 100,000.00 to ACME (304, EA) by 送金, shipped in 10–20 days, paid in two
    instalments, 船後 only at 97.5/0 (political only: no 確認 needed) unless changed."""
    rows = schedule or [(days(60), "50,000.00"), (days(90), "50,000.00")]
    money_values = {
        "goods": "工作機械", "commodity": "一般", "currency": "USD", "contract_amount": "100,000.00", "advance": "",
        "cover": "post", "fob": "", "first_shipment_on": days(10), "last_shipment_on": days(20),
        "settlement_method": "送金", "settlement_form": "3", "settlement_count": str(len(rows)), "usance_days": "90",
    }  # fmt: skip
    for index, (due, amount) in enumerate(rows):
        money_values[f"schedule-{index}-due_on"] = due
        money_values[f"schedule-{index}-amount"] = amount
    return {
        "contract": {"insured": "123456789", "contract_type": "11", "contracted_on": today().isoformat(),
                     "counterparty_code": "304-000101", "destination": "304"} | (contract or {}),
        "money": money_values | (money or {}),
        "cover": {"post_political": "97.5", "post_commercial": "0", "contact_name": "山田 太郎",
                  "contact_phone": "03-1234-5678", "contact_email": "yamada@example.jp"} | (cover or {}),
    }  # fmt: skip


def l01_request(**changes) -> dict:
    values = {
        "buyer_code": "304-000101", "product": "01", "currency": "USD", "amount": "100,000.00",
        "planned_on": today().isoformat(), "usance_days": "90", "settlement_method": "送金", "destination": "304",
    }  # fmt: skip
    return {"request": values | changes}


def confirmed(portal, staff, amount="100,000.00", **changes) -> str:
    """An L01 applied for by demo-user and completed by NEXI: its 確認管理番号."""
    portal.login("demo-user")
    number = submit(portal, L01, l01_request(**changes))
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = decide(staff, number, "complete", confirmed_amount=amount)
    assert not page.error_summary, page.error_summary
    return _number_of(staff.app, number)


def _number_of(app, web_number: str) -> str:
    with app.app_context():
        application = db.session().exec(select(Application).where(Application.number == web_number)).one()
        return application.result["確認管理番号"]


def credit(confirmation_number: str) -> dict:
    """The cover step of a credit-covered deal quoting a 確認."""
    return {"post_commercial": "90", "confirmation_number": confirmation_number}


def reach_confirm(portal, answers: dict):
    return walk(portal, ENDPOINT, answers)


def record(app, number) -> Application:
    with app.app_context():
        return db.session().exec(select(Application).where(Application.number == number)).one()


def confirmation(app, number: str) -> Confirmation:
    with app.app_context():
        return db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()


def earmarks(app) -> list[Earmark]:
    with app.app_context():
        return list(db.session().exec(select(Earmark).order_by(Earmark.id)).all())


def policies(app) -> list[Policy]:
    with app.app_context():
        return list(db.session().exec(select(Policy).order_by(Policy.id)).all())


def complete(staff, number: str, **result):
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    return decide(staff, number, "complete", **result)
