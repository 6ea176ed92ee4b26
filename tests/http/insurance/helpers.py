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


# --- IA2 貿易一般保険（個別） 変更 (9-5) ------------------------------------------------------------

IA2 = "insurance.individual_change"
IA2_TODAY = "2026-04-20T10:00:00"  # the business day of the IA2 tests (policies of tests/support/contracts.py)


def made(app, make):
    """Run a factory against the database and commit; returns what it gives."""
    with app.test_request_context():
        result = make()
        db.session().commit()
        return result


def ia2_policy(app, *, covered=True, amount=10_000_000, other=False, instalments=None) -> str:
    """A USD policy of `amount` cents to 304-000101 (EA, 90 % credit cover) of the demo customer
    (or, `other`, of another customer), paid in two 決済期限; `covered`: its credit cover came from a
    確認 (it holds 使用額). Its 証券番号."""
    from datetime import date

    from tests.support import contracts

    def make():
        (own_id, own_user), (other_id, other_user) = contracts.customers(2)
        customer_id, user_id = (other_id, other_user) if other else (own_id, own_user)
        buyer = contracts.buyer_with_limit(3_000_000_000)
        half = amount // 2
        rows = instalments or [(date(2026, 7, 1), half), (date(2026, 8, 1), amount - half)]
        if covered:
            held = contracts.confirmation(buyer, customer_id, amount, approved_on=date(2026, 4, 10))
            row = contracts.covered_policy(customer_id, user_id, buyer, held, rows)
        else:
            row = contracts.policy(customer_id, buyer, amount=amount)
            contracts.add_instalments(row, rows)
        return row.number

    return made(app, make)


def ia2_confirmation(app, amount: int, *, other=False) -> str:
    """A 確認 of `amount` cents on 304-000101 for the demo customer (or another): its 確認管理番号."""
    from datetime import date

    from tests.support import contracts

    def make():
        (own_id, _), (other_id, _) = contracts.customers(2)
        buyer = contracts.buyer_with_limit(3_000_000_000)
        return contracts.confirmation(
            buyer, other_id if other else own_id, amount, approved_on=date(2026, 4, 15)
        ).number

    return made(app, make)


def ia2(number: str, *kinds: str, branch="00", occurred_on=None, reason="契約の変更のため", **content) -> dict:
    """IA2 answers: the 変更種別 (increase, decrease, cancel, destination, shipment) and their fields."""
    target = {"policy_number": number, "branch": branch, "occurred_on": occurred_on or IA2_TODAY[:10],
              "reason": reason, "kinds": list(kinds)}  # fmt: skip
    return {"target": target, "content": content}


def policy_row(app, number: str) -> Policy:
    with app.app_context():
        return db.session().exec(select(Policy).where(Policy.number == number)).one()
