"""IE2 訂正・取消（簡易通知型） (DOMAIN.md 9-4 IE2, C.4): of a shipment recorded by a 完了 IE1 — the
訂正 prefilled from it and applied with history, the 取消, another customer's notice refused like an
unknown one, the block by a loss notice, one pending IE2 per shipment."""

from datetime import datetime

import pytest
from sqlmodel import select

from nexi import db, policies
from nexi.models import BlanketContract, Customer, ShipmentState
from tests.http.insurance.helpers import CONFIRM, complete, record
from tests.http.insurance.test_ie1 import answers, contract_of, day, shipments  # noqa: F401  (day: a fixture)
from tests.support.procedures import start, submit, walk

ENDPOINT = "insurance.blanket_change"
IE1 = "insurance.blanket"


@pytest.fixture
def notice(app, portal, staff, day):  # noqa: F811
    """A completed IE1 of demo-user (USD 100,000.00 to 304-000101): its Web申込番号."""
    portal.login("demo-user")
    number = submit(portal, IE1, answers(app, day))
    assert not complete(staff, number).error_summary
    portal.login("demo-user")
    return number


def test_a_correction_starts_from_the_recorded_shipment_and_is_applied_with_history(app, portal, staff, notice):
    page = start(portal, ENDPOINT)
    assert notice in page.text("main")
    page = portal.go("procedure.input_submit", {"action": "next", "notice_number": notice, "kind": "correct"})
    assert page.one("input[name=amount]")["value"] == "100,000.00"  # prefilled
    assert page.one("input[name=buyer_code]")["value"] == "304-000101"
    assert not page.select("[name=contract_number]")  # the contract is fixed
    values = {name: page.one(f"input[name={name}]")["value"] for name in ("shipped_on", "buyer_code", "amount")}
    page = portal.go("procedure.input_submit", {"action": "next", **values, "aggregation": "single",
                                                 "destination": "304", "currency": "USD", "amount": "80,000.00"})  # fmt: skip
    assert not page.error_summary, page.error_summary
    page = portal.go("procedure.input_submit", {"action": "next"} | _settlement(page))
    assert page.h1.endswith(CONFIRM), page.error_summary
    number = page.text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert not complete(staff, number).error_summary
    [shipment] = shipments(app)
    assert shipment.amount == 8_000_000 and shipment.state == ShipmentState.RECORDED
    [entry] = shipment.history
    assert entry["amount"] == "10000000" and entry["application"] == number and entry["kind"] == "訂正"
    assert entry["date"] == datetime.fromisoformat(app.config["NEXI_NOW"]).date().isoformat()


def _settlement(page) -> dict:
    return {
        "settlement_method": page.one("select[name=settlement_method] option[selected]")["value"],
        "due_on": page.one("input[name=due_on]")["value"],
        "usance_days": page.one("input[name=usance_days]")["value"],
    }


def cancel(notice: str) -> dict:
    return {"target": {"notice_number": notice, "kind": "cancel", "reason": "契約が解除されたため"}}


def test_a_cancellation_cancels_the_shipment_and_keeps_its_history(app, portal, staff, notice):
    number = submit(portal, ENDPOINT, cancel(notice))
    assert not complete(staff, number).error_summary
    [shipment] = shipments(app)
    assert shipment.state == ShipmentState.CANCELLED and shipment.amount == 10_000_000
    assert [entry["kind"] for entry in shipment.history] == ["取消"]
    portal.login("demo-user")  # a cancelled shipment is no choice any more
    page = walk(portal, ENDPOINT, cancel(notice))
    assert not page.h1.endswith(CONFIRM)


def test_another_customers_notice_is_refused_like_an_unknown_one(app, portal, notice):
    with app.app_context():  # 東和 gets a contract of its own, so it may use IE2
        other = db.session().exec(select(Customer).where(Customer.code == "987654321")).one()
        mine = db.session().get(BlanketContract, contract_of(app).id)
        moment = mine.created_at
        db.session().add(BlanketContract(number="05" + mine.number[2:6] + "99999999", customer_id=other.id,
                                         post_political=mine.post_political, post_commercial=mine.post_commercial,
                                         starts_on=mine.starts_on, ends_on=mine.ends_on, created_at=moment,
                                         updated_at=moment))  # fmt: skip
        db.session().commit()
    portal.login("other-admin")
    foreign = walk(portal, ENDPOINT, cancel(notice))
    unknown = walk(portal, ENDPOINT, cancel("W20990101999999"))
    assert not foreign.h1.endswith(CONFIRM) and not unknown.h1.endswith(CONFIRM)
    assert foreign.error_summary == unknown.error_summary and foreign.error_summary
    assert notice not in foreign.text("main")


def test_a_loss_notice_on_the_shipment_blocks_it(portal, notice, monkeypatch):
    monkeypatch.setattr(policies, "shipment_loss_notice_exists", lambda shipment_id: True)
    page = walk(portal, ENDPOINT, cancel(notice))
    assert "損失等発生通知のある船積は訂正・取消できません" in page.text()


def test_one_pending_ie2_per_shipment(app, portal, notice):
    first = submit(portal, ENDPOINT, cancel(notice))
    page = walk(portal, ENDPOINT, cancel(notice))
    assert f"船積確定通知「{notice}」の訂正・取消は、すでに申込み中です" in page.text()
    assert record(app, first).target_key == notice
