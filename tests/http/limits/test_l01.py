"""L01 個別保証枠取得（確認申請） (DOMAIN.md 10-1): its input rules, and its 完了 by NEXI staff — 確認額
at most the amount applied for and within the buyer's 残高, the 確認管理番号, the rate of the
approval day, 3 months' validity and the reservation; the customer sees no buyer-wide amount."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from nexi import db, limits, masters
from nexi.clock import add_months, today
from nexi.models import Application, Buyer, Confirmation, Status
from tests.http.staff.test_review import decide
from tests.support.procedures import submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")  # written against an empty contract book

ENDPOINT = "limits.confirmation"


def request(**changes) -> dict:
    values = {
        "buyer_code": "304-000101", "product": "01", "currency": "USD", "amount": "100,000.00",
        "planned_on": today().isoformat(), "usance_days": "90", "settlement_method": "送金", "destination": "304",
    }  # fmt: skip
    return {"request": values | changes}


def errors_of(portal, **changes) -> dict:
    page = walk(portal, ENDPOINT, request(**changes))
    return {name: page.field_error(name) for name in changes} | {"_h1": page.h1}


def record(app, number) -> Application:
    with app.app_context():
        return db.session().exec(select(Application).where(Application.number == number)).one()


def confirmations(app) -> list[Confirmation]:
    with app.app_context():
        return list(db.session().exec(select(Confirmation).order_by(Confirmation.id)).all())


def test_the_menu_entry_opens_the_procedure(portal):
    portal.login("demo-user")
    page = portal.go(ENDPOINT)
    assert "個別保証枠取得（確認申請）" in page.h1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("205-000501", "格付SAの支払人は個別保証枠の確認は不要です（確認不要）"),
        ("410-000801", "格付GAの支払人は個別保証枠の確認は不要です（確認不要）"),
        ("110-000701", "格付ECの支払人は信用危険のてん補ができないため、確認申請はできません"),
        ("999-999999", "バイヤーコード「999-999999」は海外商社名簿に登録されていません"),
    ],
)
def test_only_buyers_that_need_a_confirmation_are_accepted(portal, code, message):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, request(buyer_code=code))
    assert page.field_error("buyer_code") == message
    assert page.one("#buyer_code")["value"] == code  # what was typed is kept


def test_em_and_ef_payers_have_at_most_365_days(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, request(buyer_code="105-000201", usance_days="366", destination="105"))
    assert page.field_error("usance_days") == "格付EMの支払人のユーザンスは365日以内です"
    page = walk(portal, ENDPOINT, request(buyer_code="105-000201", usance_days="365", destination="105"))
    assert page.h1.endswith("（申込内容確認）"), page.error_summary


def test_the_planned_contract_date_is_within_a_month_back_and_six_ahead(portal):
    portal.login("demo-user")
    early, late = add_months(today(), -1), add_months(today(), 6)
    for day in (early, late):
        assert walk(portal, ENDPOINT, request(planned_on=day.isoformat())).h1.endswith("（申込内容確認）")
    for day in (date.fromordinal(early.toordinal() - 1), date.fromordinal(late.toordinal() + 1)):
        page = walk(portal, ENDPOINT, request(planned_on=day.isoformat()))
        assert page.field_error("planned_on").startswith("契約予定日は")


def test_a_suspended_destination_is_refused_and_lc_settlement_is_informed(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, request(destination="224"))
    assert page.field_error("destination") == "ロシアは引受停止国のため、確認申請はできません"
    page = walk(portal, ENDPOINT, request(settlement_method="L/C一覧払"))
    assert "L/Cによる決済の場合は、個別保証枠の確認は不要です" in page.screen_text


def test_amount_rules(portal):
    portal.login("demo-user")
    assert (
        walk(portal, ENDPOINT, request(amount="0")).field_error("amount")
        == "確認申請金額は0より大きい金額で入力してください"
    )
    page = walk(portal, ENDPOINT, request(currency="JPY", amount="1000.5"))
    assert page.field_error("amount") == "JPYの金額は小数点以下を入力できません"


def approved(app, portal, staff, **result) -> tuple[str, object]:
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, request())
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    return number, decide(staff, number, "complete", **result)


def test_completion_creates_the_confirmation_and_reserves_its_yen(app, portal, staff):
    number, page = approved(app, portal, staff, confirmed_amount="80,000.00")
    assert record(app, number).status == Status.COMPLETED, page.error_summary
    (confirmation,) = confirmations(app)
    assert confirmation.number == f"K{today().year}000001"
    with app.app_context():
        rate = masters.currencies()["USD"].rate  # the rate of the approval day (M.2)
    assert (confirmation.amount, confirmation.currency, confirmation.rate) == (8_000_000, "USD", rate)
    reserved = int(Decimal("80000.00") * rate)
    assert confirmation.reserved_jpy == reserved
    assert confirmation.valid_until == date.fromordinal(add_months(today(), 3).toordinal() - 1)
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == "304-000101")).one()
        held = limits.amounts(buyer)
    assert (held.reserved, held.balance) == (reserved, 300_000_000 - reserved)
    assert buyer.last_activity_on == today()
    portal.login("demo-user")
    shown = portal.go("status.detail", {"number": number}).text("#result-title + dl")
    assert confirmation.number in shown and "USD 80,000.00" in shown
    assert "300,000,000" not in shown and f"{300_000_000 - reserved:,}" not in shown  # no buyer-wide amount (C.4.1)


def test_the_amount_is_prefilled_and_may_not_exceed_the_request(app, portal, staff):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, request())
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = staff.go("staff.detail", {"number": number})
    page = staff.go("staff.decide", {"decision": "complete", "version": page.one("input[name=version]")["value"]})
    assert page.one("#confirmed_amount")["value"].replace(",", "") in ("100000.00", "100000")
    page = staff.go("staff.decide_submit", {"action": "submit", "confirmed_amount": "100,000.01"})
    assert page.field_error("confirmed_amount") == "確認額は確認申請金額以下で入力してください"
    assert record(app, number).status == Status.REVIEWING and not confirmations(app)


def test_an_amount_beyond_the_balance_is_refused_with_a_message(app, portal, staff):
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == "304-000101")).one()
        rate = masters.currencies()["USD"].rate
        buyer.limit_amount = int(Decimal("100000.00") * rate) - 1  # USD 100,000.00 does not fit
        db.session().commit()
    number, page = approved(app, portal, staff, confirmed_amount="100,000.00")
    assert "確認額が支払人の個別保証枠の残高を超えています" in " ".join(page.messages)
    assert record(app, number).status == Status.REVIEWING and not confirmations(app)
    page = decide(staff, number, "complete", confirmed_amount="99,000.00")
    assert record(app, number).status == Status.COMPLETED, page.error_summary


def test_run_daily_expires_a_confirmation_after_its_last_day(app, portal, staff):
    approved(app, portal, staff, confirmed_amount="10,000.00")
    (confirmation,) = confirmations(app)
    last = confirmation.valid_until
    runner = app.test_cli_runner()
    assert "期限切れにした確認: 0件" in runner.invoke(args=["run-daily", "--date", last.isoformat()]).output
    assert confirmations(app)[0].state == "確認済"
    after = date.fromordinal(last.toordinal() + 1).isoformat()
    assert "期限切れにした確認: 1件" in runner.invoke(args=["run-daily", "--date", after]).output
    assert "期限切れにした確認: 0件" in runner.invoke(args=["run-daily", "--date", after]).output  # idempotent
    (expired,) = confirmations(app)
    assert (expired.state, expired.reserved_jpy) == ("期限切れ", 0)


def test_the_reviewer_sees_the_payers_balance_beside_the_amount_and_the_customer_never(app, portal, staff):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, request())
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = staff.go("staff.detail", {"number": number})
    page = staff.go("staff.decide", {"decision": "complete", "version": page.one("input[name=version]")["value"]})
    facts = dict(zip(page.texts("#facts-title + dl dt"), page.texts("#facts-title + dl dd"), strict=True))
    assert (facts["個別保証枠 設定額"], facts["残高"]) == ("300,000,000円", "300,000,000円")
    portal.login("demo-user")
    assert "300,000,000" not in portal.go("status.detail", {"number": number}).screen_text
