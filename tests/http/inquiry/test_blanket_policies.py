"""5-2 保険契約 for the 簡易通知型 (DOMAIN.md §5, 5-2, 9-4, C.4): the customer's 包括保険契約 listed with
the policies, its detail with the shipments recorded by IE1 (船積日, バイヤー, 仕向国, 金額, 決済期限,
付保率, 状態, the IE1's Web申込番号) and their 訂正履歴; none of it for another customer, not in the
list, the detail nor the CSV."""

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Rider
from tests.http.inquiry.helpers import download
from tests.http.inquiry.test_policies import EMPTY, keys
from tests.http.insurance.helpers import complete
from tests.http.insurance.test_ie1 import answers, contract_of, day  # noqa: F401  (day: a fixture)
from tests.http.staff.conftest import staff  # noqa: F401  (NEXI staff complete the IE1)
from tests.support.procedures import submit, walk

pytestmark = pytest.mark.usefixtures("day")


def search(portal, **criteria):
    portal.go("inquiry.index")
    portal.go("inquiry.policies")
    return portal.go("inquiry.policy_search", EMPTY | criteria)


@pytest.fixture
def recorded(app, portal, staff, day):  # noqa: F811
    portal.login("demo-user")
    number = submit(portal, "insurance.blanket", answers(app, day))
    assert not complete(staff, number).error_summary
    return number


def test_the_contract_is_listed_with_its_shipments_and_they_show_in_its_detail(app, portal, recorded):
    key = f"{contract_of(app).number}-00"
    portal.login("demo-admin")
    page = search(portal, product="05")
    assert keys(page) == [key]
    assert "記録された船積 1件" in page.text("table.table--inquiry-policies")
    page = portal.go("inquiry.policy", {"policy": key})
    row = page.text("table.table--blanket-shipments tbody tr")
    for shown in (recorded, "304-000101", "USD 100,000.00", "2026/07/09"[4:], "非常 97.5%／信用 90%", "有効"):
        assert shown in row, (shown, row)
    assert recorded in page.text("table.table--policy-related")
    portal.go("inquiry.policy_back")
    _response, rows = download(portal, "inquiry.policy_csv")
    assert [line[0] for line in rows[1:]] == [key]


def test_a_buyer_criterion_finds_the_contract_it_is_registered_under(app, portal):
    portal.login("demo-user")
    assert keys(search(portal, buyer="213-000401", product="05")) == [f"{contract_of(app).number}-00"]
    assert keys(search(portal, buyer="304-000102", product="05")) == []


def test_another_customer_never_sees_the_contract_nor_its_shipments(app, portal, recorded):
    number = contract_of(app).number
    portal.login("other-admin")
    page = search(portal, number=number)
    assert keys(page) == []
    assert keys(search(portal, product="05")) == []
    page = portal.go("inquiry.policy", {"policy": f"{number}-00"})  # the detail by its key
    assert recorded not in page.text() and "見つかりません" in " ".join(page.messages)
    _response, rows = download(portal, "inquiry.policy_csv")
    assert all(number not in line[0] for line in rows[1:])


def test_the_screens_are_valid_html(app, portal, staff, recorded, tmp_path):  # noqa: F811
    from pathlib import Path

    from tests.html.test_validity import run_vnu

    key = f"{contract_of(app).number}-00"
    portal.login("demo-user")
    year = contract_of(app).starts_on.year
    notice = answers(app, year)
    notice["shipment"].pop("contract_number")
    corrected = {"target": {"notice_number": recorded, "kind": "correct"},
                 "shipment": notice["shipment"] | {"amount": "90,000.00"}, "settlement": notice["settlement"]}  # fmt: skip
    change = submit(portal, "insurance.blanket_change", corrected)
    assert not complete(staff, change).error_summary
    portal.login("demo-admin")
    pages = {"found": search(portal, product="05"), "detail": portal.go("inquiry.policy", {"policy": key})}
    assert "変更前 USD 100,000.00" in pages["detail"].text("table.table--blanket-shipments")  # the 訂正履歴
    portal.go("inquiry.policy_back")
    pages["ie1-confirm"] = walk(portal, "insurance.blanket", answers(app, year))
    for name, page in pages.items():
        (Path(tmp_path) / f"{name}.html").write_text(page.html, encoding="utf-8")
    errors = run_vnu(tmp_path)
    assert not errors, [(Path(e["url"]).name, e.get("lastLine"), e["message"]) for e in errors][:40]


def test_the_policies_of_every_product_show_their_product_and_holder(app, portal):
    """02 / 03: the 組合 as 保険契約者 (9-4); 04: the 特約番号 it was declared under."""
    from tests.http.inquiry.test_policies import cells, made
    from tests.support import contracts

    def make():
        mine, _user = contracts.customers(1)[0]
        buyer = contracts.registered_buyer("304-990001", "304", "EA", name="ZETA MACHINES LTD")
        equipment, comprehensive = contracts.policy(mine, buyer), contracts.policy(mine, buyer)
        equipment.product, equipment.association = "02", "JMC"
        rider = db.session().exec(select(Rider).where(Rider.customer_id == mine)).first()
        comprehensive.product, comprehensive.rider_id = "04", rider.id
        return f"{equipment.number}-00", f"{comprehensive.number}-00", rider.number

    equipment, comprehensive, rider = made(app, make)
    portal.login("demo-user")
    page = search(portal, buyer="304-990001")
    assert cells(page, equipment)[1] == "設備財包括保険 保険契約者 一般社団法人日本機械輸出組合"
    assert cells(page, comprehensive)[1] == f"企業総合保険 特約番号 {rider}"
    detail = portal.go("inquiry.policy", {"policy": equipment})
    assert "一般社団法人日本機械輸出組合" in detail.text(".policy-holder")
