"""IC1 消費財包括保険 申込 (DOMAIN.md 9-1 … 9-4 消費財 (IC), C.7, S.3): IA1's steps for 保険種別 03 with
the 組合 (the customer's memberships for 03, shown as 保険契約者) and the 品目; no 個別保証枠; the 申込期限
at the end of the month after the contract (or 発効) month; the 保険責任 from the 契約締結日, from the
application day when late; the 組合 and 品目 kept on the policy."""

import pytest

from nexi.models import Status
from tests.http.insurance.helpers import CONFIRM, days, ia1, policies, record
from tests.http.insurance.test_completion import result_screen
from tests.support.procedures import start, submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")

ENDPOINT = "insurance.consumer"


def ic1(contract=None, money=None, cover=None) -> dict:
    """Valid IC1 answers: IA1's deal (political only) through JMC, 鋼材."""
    answers = ia1({"association": "JMC"} | (contract or {}), money, cover)
    answers["money"] |= {"item": "鋼材"} | (money or {})
    return answers


def screen(page) -> str:
    return page.text("#screen")


def test_a_member_applies_and_confirm_names_the_association_as_policyholder(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, ic1())
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "保険契約者：一般社団法人日本機械輸出組合" in screen(page) and "鋼材" in screen(page)


def test_only_the_customers_memberships_for_consumer_goods_are_offered(portal):
    portal.login("demo-user")
    page = start(portal, ENDPOINT)
    assert [option["value"] for option in page.select("#association option") if option["value"]] == ["JMC"]
    page = portal.go("procedure.input_submit", {"action": "next", **ic1(contract={"association": "RAIL"})["contract"]})
    assert page.field_error("association") == "組合を一覧から選択してください"


def test_a_customer_without_membership_cannot_start_it(portal):
    portal.login("other-admin")
    page = portal.go(ENDPOINT)
    assert "契約・当事者" not in page.text("main")
    assert any("組合員資格がありません" in message for message in page.messages), page.messages


def test_the_item_is_required(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, ic1(money={"item": ""}))
    assert page.field_error("item") == "品目を選択してください"


def test_credit_cover_needs_no_confirmation_number(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, ic1(cover={"post_commercial": "90"}))  # EA payer, no 確認 quoted
    assert page.h1.endswith(CONFIRM), page.error_summary


def _at(app, monkeypatch, moment: str):
    monkeypatch.setitem(app.config, "NEXI_NOW", moment)


def _dated(app, **contract) -> dict:
    with app.app_context():  # the shipment and payment dates after the fixed business day
        return ic1(contract)


def test_the_deadline_is_the_end_of_the_month_after_the_contract_month(app, portal, monkeypatch):
    _at(app, monkeypatch, "2026-02-28T10:00:00")
    portal.login("demo-user")
    assert not record(app, submit(portal, ENDPOINT, _dated(app, contracted_on="2026-01-31"))).overdue
    _at(app, monkeypatch, "2026-03-01T10:00:00")
    page = walk(portal, ENDPOINT, _dated(app, contracted_on="2026-01-31"))
    assert "翌月末（2026年2月28日）を過ぎたお申込みです" in screen(page)
    late = record(app, submit(portal, ENDPOINT, _dated(app, contracted_on="2026-01-31")))
    assert late.overdue and late.status == Status.SUBMITTED


def test_an_effective_date_moves_the_deadline_to_the_end_of_the_month_after_it(app, portal, monkeypatch):
    _at(app, monkeypatch, "2026-03-31T10:00:00")
    portal.login("demo-user")
    answers = _dated(app, contracted_on="2026-01-31", effective_on="2026-02-10")
    assert not record(app, submit(portal, ENDPOINT, answers)).overdue
    _at(app, monkeypatch, "2026-04-01T10:00:00")
    answers = _dated(app, contracted_on="2026-01-31", effective_on="2026-02-10")
    assert record(app, submit(portal, ENDPOINT, answers)).overdue


def _complete(app, staff, number: str):
    page = result_screen(staff, number)
    start = page.one("#liability_from")["value"]
    page = staff.go("staff.decide_submit", {"action": "submit", "premium": page.one("#premium")["value"],
                                            "liability_from": start})  # fmt: skip
    assert record(app, number).status == Status.COMPLETED, page.messages + page.error_summary
    return start


def test_in_time_cover_starts_on_the_contract_day_and_the_policy_keeps_association_and_item(app, portal, staff):
    portal.login("demo-user")
    contracted = days(-10)
    number = submit(portal, ENDPOINT, ic1({"contracted_on": contracted}, {"item": "化学品"}))
    assert _complete(app, staff, number) == contracted
    (policy,) = policies(app)
    assert (policy.product, policy.liability_from.isoformat()) == ("03", contracted)
    assert policy.association == "JMC" and policy.details == {"品目": "化学品"}
    assert record(app, number).result["保険契約者"] == "一般社団法人日本機械輸出組合"


def test_late_cover_starts_on_the_application_day(app, portal, staff, monkeypatch):
    _at(app, monkeypatch, "2026-03-02T10:00:00")
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, _dated(app, contracted_on="2026-01-31"))
    assert _complete(app, staff, number) == "2026-03-02"
    (policy,) = policies(app)
    assert policy.liability_from.isoformat() == "2026-03-02"
