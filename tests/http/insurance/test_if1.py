"""IF1 中小企業・農林水産業輸出代金保険 申込 (DOMAIN.md 9-1, 9-2, 9-4 中小企業 (IF), C.7, C.8): the 9-1
steps of IA1 for 保険種別 06, 船後 only at 95/95, the 受取人, the 決済期限 within
NEXI_SME_MAX_TERM_DAYS of the 船積期日（最終）, who may use it, and NEXI's 完了 creating a 06 policy
whose 保険責任 starts on the application day."""

import re

import pytest

from nexi.blueprints.home.menus import NEEDS
from nexi.clock import today
from nexi.models import Status
from nexi.procedures.insurance.sme import NOT_ELIGIBLE
from tests.http.insurance.helpers import CONFIRM, confirmed, days, earmarks, ia1, policies, record
from tests.http.staff.test_review import decide, open_review
from tests.support.procedures import start, submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")

ENDPOINT = "insurance.sme"
GA_PAYER = {"counterparty_code": "410-000801", "destination": "410"}  # GA: no 個別保証枠 needed


def if1(contract=None, money=None, cover=None, *, schedule=None) -> dict:
    """Valid IF1 answers: IA1's deal without the 船前 fields, to a GA payer, at 95/95, paid to the
    被保険者."""
    answers = ia1(GA_PAYER | (contract or {}), money, schedule=schedule)
    for name in ("cover", "fob"):
        answers["money"].pop(name)
    answers["cover"] = {
        "post_political": "95", "post_commercial": "95", "beneficiary": "insured", "contact_name": "山田 太郎",
        "contact_phone": "03-1234-5678", "contact_email": "yamada@example.jp",
    } | (cover or {})  # fmt: skip
    return answers


def step(portal, answers: dict, key: str):
    """Walk to step `key` with the steps before it answered."""
    page = start(portal, ENDPOINT)
    for name, values in answers.items():
        if name == key:
            return page
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
    return page


def test_an_eligible_customer_applies_on_a_pattern_2_screen(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, if1())
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert page.text(".button--logout") == "終了"  # screen pattern 2 (C.7)
    assert "95%" in page.text() and "被保険者" in page.text()


def test_the_reason_is_the_menus():
    assert NOT_ELIGIBLE == NEEDS["sme"]


def test_a_customer_without_the_sme_or_agri_flag_cannot_start_it(portal):
    portal.login("other-admin")  # 東和トレーディング: neither 中小企業区分 nor 農林水産業区分
    page = portal.go(ENDPOINT)
    assert "手続きの流れ" not in page.h1 and "契約・当事者" not in page.text("main")
    assert any(NEEDS["sme"] in message for message in page.messages), page.messages


def test_a_customer_that_lost_the_flag_cannot_submit_it(app, portal):
    portal.login("demo-user")
    assert walk(portal, ENDPOINT, if1()).h1.endswith(CONFIRM)
    _set_sme(app, False)
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.h1.endswith(CONFIRM) and any(NEEDS["sme"] in message for message in page.messages)
    assert record(app, page.text(".panel .number")).status == Status.DRAFT


def test_the_agri_flag_is_enough(app, portal):
    _set_sme(app, False, agri=True)
    portal.login("demo-user")
    assert walk(portal, ENDPOINT, if1()).h1.endswith(CONFIRM)


def _set_sme(app, sme: bool, agri: bool = False) -> None:
    from sqlmodel import select

    from nexi import db
    from nexi.models import Customer

    with app.app_context():
        customer = db.session().exec(select(Customer).where(Customer.code == "123456789")).one()
        customer.is_sme, customer.is_agri = sme, agri
        db.session().commit()


def test_no_pre_shipment_cover_is_offered(portal):
    portal.login("demo-user")
    answers = if1()
    money = step(portal, answers, "money")
    assert money.select("[name=cover]") == [] and money.select("[name=fob]") == []
    cover = step(portal, answers, "cover")
    assert cover.select("[name=pre_political]") == [] and cover.select("[name=pre_commercial]") == []


def test_the_cover_rates_are_95_95_and_nothing_else(portal):
    portal.login("demo-user")
    page = step(portal, if1(), "cover")
    for name in ("post_political", "post_commercial"):
        offered = [option["value"] for option in page.select(f"#{name} option") if option["value"]]
        assert offered == ["95"]
        assert page.one(f"#{name} option[selected]")["value"] == "95"  # shown as chosen
    page = walk(portal, ENDPOINT, if1(cover={"post_commercial": "90"}))
    assert page.field_error("post_commercial")


def test_a_pledgee_needs_its_bank_name(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, if1(cover={"beneficiary": "pledgee", "bank_name": ""}))
    assert "銀行名を入力してください" in page.field_error("bank_name")
    page = walk(portal, ENDPOINT, if1(cover={"beneficiary": "pledgee", "bank_name": "あおば銀行"}))
    assert page.h1.endswith(CONFIRM) and "質権者" in page.text() and "あおば銀行" in page.text()
    page = walk(portal, ENDPOINT, if1(cover={"beneficiary": "", "bank_name": ""}))
    assert page.field_error("beneficiary")


def test_every_due_date_is_within_the_setting_of_the_last_shipment(app, portal):
    portal.login("demo-user")
    last = 20  # if1's 船積期日（最終） is in 20 days
    page = walk(portal, ENDPOINT, if1(schedule=[(days(60), "50,000.00"), (days(last + 181), "50,000.00")]))
    assert "180日以内" in page.field_error("schedule")
    page = walk(portal, ENDPOINT, if1(schedule=[(days(60), "50,000.00"), (days(last + 180), "50,000.00")]))
    assert page.h1.endswith(CONFIRM), page.error_summary
    app.config["NEXI_SME_MAX_TERM_DAYS"] = 90
    page = walk(portal, ENDPOINT, if1(schedule=[(days(60), "50,000.00"), (days(last + 91), "50,000.00")]))
    assert "90日以内" in page.field_error("schedule")


def test_the_application_deadline_is_before_the_first_shipment(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, if1(money={"first_shipment_on": today().isoformat()}))
    assert "申込期限" in page.field_error("first_shipment_on")


def test_completion_creates_a_06_policy_liable_from_the_application_day(app, portal, staff):
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, if1())
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    page = open_review(staff, web)
    version = page.one("input[name=version]")["value"]
    page = staff.go("staff.decide", {"decision": "complete", "version": version})
    premium = page.one("#premium")["value"]
    assert premium.isdigit() and page.one("#liability_from")["value"] == today().isoformat()
    page = staff.go("staff.decide_submit", {"action": "submit", "premium": premium,
                                            "liability_from": today().isoformat()})  # fmt: skip
    assert record(app, web).status == Status.COMPLETED, page.messages + page.error_summary
    (policy,) = policies(app)
    assert re.fullmatch(rf"06{today().year}00000001", policy.number) and policy.product == "06"
    assert policy.liability_from == today() and not policy.cover_pre
    assert (str(policy.post_political), str(policy.post_commercial)) == ("95", "95")
    assert policy.details == {"受取人": "被保険者"}


def test_the_policy_keeps_a_pledgee_and_its_bank(app, portal, staff):
    """9-4 IF: the 受取人 is the policy's, not only the application's answers."""
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, if1(cover={"beneficiary": "pledgee", "bank_name": "あおば銀行"}))
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    version = open_review(staff, web).one("input[name=version]")["value"]
    premium = staff.go("staff.decide", {"decision": "complete", "version": version}).one("#premium")["value"]
    staff.go("staff.decide_submit", {"action": "submit", "premium": premium, "liability_from": today().isoformat()})
    assert record(app, web).status == Status.COMPLETED
    (policy,) = policies(app)
    assert policy.details == {"受取人": "質権者", "銀行名": "あおば銀行"}


def test_a_credit_covered_ea_payer_earmarks_a_06_confirmation(app, portal, staff):
    number = confirmed(portal, staff, product="06")
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, if1({"counterparty_code": "304-000101", "destination": "304"},
                                      cover={"confirmation_number": number}))  # fmt: skip
    (mark,) = earmarks(app)
    assert mark.amount == 10_000_000 and record(app, web).status == Status.SUBMITTED


def test_each_if1_screen_renders_within_the_budget(app, portal, staff):
    from tests.http.test_statement_budget import BUDGET, statements

    number = confirmed(portal, staff, product="06")
    portal.login("demo-admin")
    answers = if1({"counterparty_code": "304-000101", "destination": "304", "department": "EXP01"},
                  cover={"confirmation_number": number, "beneficiary": "pledgee", "bank_name": "あおば銀行"})  # fmt: skip
    intro = portal.go(ENDPOINT)
    states = [portal.state()]
    if "手続きの流れ" in intro.h1:
        portal.go("procedure.intro", {"action": "next"})
        states.append(portal.state())
    for values in answers.values():
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
        states.append(portal.state())
    assert states[-1]["screen"] == "procedure.confirm"
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    states.append(portal.state())
    counts = {}
    for state in states:
        count, page = statements(portal, state)
        counts[f"{state['screen']} {page.h1}"] = count
    web = states[-1]["procedure"]["number"]
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    page = open_review(staff, web)
    version = page.one("input[name=version]")["value"]
    counts["review"] = statements(staff, staff.state())[0]
    staff.go("staff.decide", {"decision": "complete", "version": version})
    counts["complete"] = statements(staff, staff.state())[0]
    assert all(count <= BUDGET for count in counts.values()), list(counts.items())
