"""9-5 変更 per product (DOMAIN.md 9-5, C.7): IA2 changes 個別 policies only, IB2 設備財, IC2 消費財 and
ID2 企業総合 — each offers and accepts the customer's policies of its own product — open to whoever may
file the product's 申込; a credit-covered increment needs a 確認 under 個別保証枠 (IB2) and nothing more
under 企業総合 (ID2) or 消費財 (IC2)."""

from datetime import date

import pytest
from sqlmodel import select

from nexi import db, registrations
from nexi.models import Buyer
from tests.http.insurance.helpers import CONFIRM, IA2, IA2_TODAY, ia2, made
from tests.http.insurance.test_ia2_payer import SCHEDULE  # the two 決済期限 of product_policy too
from tests.support import contracts
from tests.support.procedures import start, walk

IB2, IC2, ID2 = "insurance.equipment_change", "insurance.consumer_change", "insurance.comprehensive_change"
ENDPOINTS = {"01": IA2, "02": IB2, "03": IC2, "04": ID2}
NEEDS_CONFIRMATION = "信用危険をてん補している保険の金額増額には、個別保証枠の確認管理番号が必要です"


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", IA2_TODAY)


def product_policy(app, product: str, payer: str = "") -> str:
    """A USD 100,000.00 policy of `product` of the demo customer to 304-000101 (EA; or `payer`), 90 %
    credit cover, paid in two 決済期限: its 証券番号 (保険種別コード first, C.6)."""

    def make():
        ((customer_id, _),) = contracts.customers(1)
        buyer = contracts.buyer_with_limit(3_000_000_000)
        if payer:
            buyer = db.session().exec(select(Buyer).where(Buyer.code == payer)).one()
        row = contracts.policy(customer_id, buyer)
        row.product, row.number = product, product + row.number[2:]
        contracts.add_instalments(row, [(date(2026, 7, 1), 5_000_000), (date(2026, 8, 1), 5_000_000)])
        return row.number

    return made(app, make)


def offered(portal, endpoint: str) -> list[str]:
    page = start(portal, endpoint)
    return [option["value"] for option in page.select("#policy_number option") if option["value"]]


def test_each_change_offers_only_its_own_products_policies(app, portal):
    numbers = {product: product_policy(app, product) for product in ENDPOINTS}
    portal.login("demo-user")
    for product, endpoint in ENDPOINTS.items():
        shown = offered(portal, endpoint)
        assert numbers[product] in shown, endpoint
        assert not {number for other, number in numbers.items() if other != product} & set(shown), endpoint


@pytest.mark.parametrize(("endpoint", "other"), [(IA2, "02"), (IB2, "01"), (IC2, "04"), (ID2, "03")])
def test_another_products_policy_typed_in_is_refused(app, portal, endpoint, other):
    number = product_policy(app, other)
    portal.login("demo-user")
    start(portal, endpoint)
    page = portal.go("procedure.input_submit", {"action": "next", **ia2(number, "shipment")["target"]})
    assert page.field_error("policy_number") == "証券番号を一覧から選択してください"


def test_an_equipment_increment_needs_a_confirmation(app, portal):
    number = product_policy(app, "02")
    portal.login("demo-user")
    page = walk(portal, IB2, ia2(number, "increase", increased_amount="105,000.00"))
    assert page.field_error("confirmation_number") == NEEDS_CONFIRMATION


@pytest.mark.parametrize(("usance", "refused"), [("366", True), ("365", False)])
def test_an_equipment_change_keeps_em_ef_credit_cover_within_a_year_of_usance(app, portal, usance, refused):
    number = product_policy(app, "02", payer="105-000201")  # 上海華信, EM, credit-covered
    portal.login("demo-user")
    content = {"new_payer_code": "", "new_settlement_method": "送金", "new_usance_days": usance} | SCHEDULE
    page = walk(portal, IB2, ia2(number, "payer", **content))
    message = "支払人（格付EM）の信用危険をてん補する場合、ユーザンスは365日以内としてください"
    assert (message in page.text()) is refused
    if refused:
        assert page.field_error("new_usance_days") == message
    page = walk(portal, IA2, ia2(product_policy(app, "01", payer="105-000201"), "payer", **content))
    assert message not in page.text()  # 個別 has no such limit


@pytest.mark.parametrize("product", ["04", "03"])
def test_a_comprehensive_or_consumer_increment_needs_nothing_more(app, portal, product):
    number = product_policy(app, product)
    portal.login("demo-user")
    page = walk(portal, ENDPOINTS[product], ia2(number, "increase", increased_amount="105,000.00"))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert NEEDS_CONFIRMATION not in page.text()


@pytest.mark.parametrize(("endpoint", "holding"), [
    (IB2, registrations.HOLDS_ASSOCIATION["02"]),
    (IC2, registrations.HOLDS_ASSOCIATION["03"]),
    (ID2, registrations.HOLDS_RIDER),
])  # fmt: skip
def test_a_customer_without_the_holding_cannot_start_it(portal, endpoint, holding):
    portal.login("other-admin")  # 東和 holds nothing
    page = portal.go(endpoint)
    assert "対象・変更種別" not in page.text("main")
    assert any(registrations.REASONS[holding] in message for message in page.messages), page.messages


def test_the_titles_are_the_products():
    from nexi.procedures.registry import PROCEDURES

    assert [PROCEDURES[code].title for code in ("IB2", "IC2", "ID2")] == [
        "設備財包括保険 変更", "消費財包括保険 変更", "企業総合保険 変更",
    ]  # fmt: skip
