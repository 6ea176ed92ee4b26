"""IB1 設備財包括保険 申込 (DOMAIN.md 9-1 … 9-4 設備財 (IB), C.7, S.3): IA1's steps for 保険種別 02
with the 組合 (one of the customer's memberships, shown as 保険契約者), 機種区分 and 案件区分; EM/EF
credit cover only with a ユーザンス ≤ 365 days; a 確認管理番号 as under 個別; the must-insure
information; the 申込期限 at the end of the month after the contract month; the 保険責任 from the
契約締結日 and the 組合 and answers kept on the policy."""

import pytest

from nexi import registrations
from nexi.models import Status
from tests.http.insurance.helpers import CONFIRM, days, ia1, policies, record
from tests.http.insurance.test_completion import result_screen
from tests.support.procedures import start, submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")

ENDPOINT = "insurance.equipment"
EM_PAYER = {"counterparty_code": "105-000201", "destination": "105"}  # 上海華信, EM


def ib1(contract=None, money=None, cover=None, *, schedule=None) -> dict:
    """Valid IB1 answers: IA1's deal (political only) through JMC, a general 機械 case."""
    answers = ia1({"association": "JMC"} | (contract or {}), money, cover, schedule=schedule)
    answers["money"] |= {"machine_type": "その他", "case_type": "一般"} | (money or {})
    return answers


def screen(page) -> str:
    return page.text("#screen")


def test_a_member_applies_and_confirm_names_the_association_as_policyholder(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, ib1())
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "保険契約者：一般社団法人日本機械輸出組合" in screen(page)


def test_only_the_customers_memberships_are_offered(portal):
    portal.login("demo-user")
    page = start(portal, ENDPOINT)
    offered = [option["value"] for option in page.select("#association option") if option["value"]]
    assert offered == ["JMC"]  # サンプル精機 is a member of JMC only
    page = portal.go("procedure.input_submit", {"action": "next", **ib1(contract={"association": "SHIP"})["contract"]})
    assert page.field_error("association") == "組合を一覧から選択してください"


def test_a_customer_without_membership_cannot_start_it_and_the_menu_says_why(portal):
    portal.login("other-admin")  # 東和 holds nothing
    page = portal.go(ENDPOINT)
    assert "契約・当事者" not in page.text("main")
    reason = registrations.REASONS[registrations.HOLDS_ASSOCIATION["02"]]
    assert reason == "組合員資格がありません"
    assert any(reason in message for message in page.messages), page.messages
    assert "組合員資格がありません" in portal.go("home.home").text()


@pytest.mark.parametrize(("step", "name", "message"), [
    ("contract", "association", "組合を選択してください"),
    ("money", "machine_type", "機種区分を選択してください"),
    ("money", "case_type", "案件区分を選択してください"),
])  # fmt: skip
def test_the_extra_fields_are_required(portal, step, name, message):
    portal.login("demo-user")
    answers = ib1()
    answers[step][name] = ""
    page = walk(portal, ENDPOINT, answers)
    assert page.field_error(name) == message


def test_em_ef_credit_cover_needs_a_usance_of_at_most_a_year(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, ib1(EM_PAYER, {"usance_days": "366"}, {"post_commercial": "90"}))
    assert (
        page.field_error("usance_days")
        == "支払人（格付EM）の信用危険をてん補する場合、ユーザンスは365日以内としてください"
    )
    page = walk(portal, ENDPOINT, ib1(EM_PAYER, {"usance_days": "365"}, {"post_commercial": "90"}))
    assert page.select("#usance_days-error") == []
    page = walk(portal, ENDPOINT, ib1(EM_PAYER, {"usance_days": "366"}))  # political only: no option needed
    assert page.select("#usance_days-error") == []


def test_credit_cover_of_an_ee_ea_payer_needs_a_confirmation_number(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, ib1(cover={"post_commercial": "90"}))
    assert page.field_error("confirmation_number") == (
        "支払人（格付EA）の信用危険をてん補するには、個別保証枠の確認管理番号が必要です"
    )


@pytest.mark.parametrize(("machine", "amount", "informed"), [
    ("機械", "170,000.00", True),  # ¥25.5m at 150 円/USD
    ("機械", "160,000.00", False),  # ¥24m
    ("船舶", "170,000.00", False),  # below ¥50m
    ("舶用機関・部品", "70,000.00", True),  # ¥10.5m
    ("その他", "1,000,000.00", False),
])  # fmt: skip
def test_must_insure_information(portal, machine, amount, informed):
    portal.login("demo-user")
    answers = ib1(money={"machine_type": machine, "contract_amount": amount, "settlement_count": "1"},
                  schedule=[(days(60), amount)])  # fmt: skip
    page = walk(portal, ENDPOINT, answers)
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert ("付保が義務付けられている契約です" in screen(page)) is informed


def _at(app, monkeypatch, moment: str):
    monkeypatch.setitem(app.config, "NEXI_NOW", moment)


def _dated(app, contracted: str) -> dict:
    with app.app_context():  # the shipment and payment dates after the fixed business day
        return ib1({"contracted_on": contracted})


def test_the_deadline_is_the_end_of_the_month_after_the_contract_month(app, portal, monkeypatch):
    _at(app, monkeypatch, "2026-02-28T10:00:00")
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, _dated(app, "2026-01-31"))
    assert page.h1.endswith(CONFIRM) and "翌月末" not in screen(page)
    assert not record(app, submit(portal, ENDPOINT, _dated(app, "2026-01-31"))).overdue
    _at(app, monkeypatch, "2026-03-01T10:00:00")
    page = walk(portal, ENDPOINT, _dated(app, "2026-01-31"))
    assert "契約締結月の翌月末（2026年2月28日）を過ぎたお申込みです" in screen(page)
    late = record(app, submit(portal, ENDPOINT, _dated(app, "2026-01-31")))
    assert late.overdue and late.status == Status.SUBMITTED


def test_completion_starts_cover_on_the_contract_day_and_keeps_the_association(app, portal, staff):
    portal.login("demo-user")
    contracted = days(-20)
    answers = ib1({"contracted_on": contracted}, {"machine_type": "機械", "case_type": "特定2年未満"})
    number = submit(portal, ENDPOINT, answers)
    page = result_screen(staff, number)
    assert page.one("#liability_from")["value"] == contracted
    premium = page.one("#premium")["value"]
    page = staff.go("staff.decide_submit", {"action": "submit", "premium": premium, "liability_from": contracted})
    assert record(app, number).status == Status.COMPLETED, page.messages + page.error_summary
    (policy,) = policies(app)
    assert policy.product == "02" and policy.number.startswith("02")
    assert policy.liability_from.isoformat() == contracted
    assert policy.association == "JMC"
    assert policy.details == {"機種区分": "機械", "案件区分": "特定2年未満"}
    assert record(app, number).result["保険契約者"] == "一般社団法人日本機械輸出組合"
