"""IE1 船積確定通知（簡易通知型） (DOMAIN.md 9-2 簡易通知型, 9-3, 9-4 IE1, C.7, S.3, S.5): a shipment
under the demo customer's 包括保険契約 (97.5 / 90; 304-000101/304 with a 支払限度額, 213-000401/213
without), its checks, the 付保率 it gets, the 申込期限 and NEXI's 完了 recording it."""

import pytest
from sqlmodel import select

from nexi import db, registrations
from nexi.models import BlanketContract, BlanketShipment, Buyer, Customer, Status
from nexi.procedures.engine import Refused
from tests.http.insurance.helpers import CONFIRM, complete, record
from tests.http.insurance.test_checks import with_buyer
from tests.support.procedures import start, submit, walk

ENDPOINT = "insurance.blanket"


def contract_of(app, code="123456789") -> BlanketContract:
    with app.app_context():
        return (
            db.session()
            .exec(
                select(BlanketContract)
                .join(Customer, Customer.id == BlanketContract.customer_id)
                .where(Customer.code == code)
            )
            .one()
        )


@pytest.fixture
def day(app, monkeypatch):
    """A business day inside the demo contract's 保険期間 (its calendar year): 20 April."""
    year = contract_of(app).starts_on.year
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{year}-04-20T10:00:00")
    return year


def ie1(year: int, shipment=None, settlement=None, *, number=None) -> dict:
    """USD 100,000.00 shipped on 10 April to 304-000101 / 304 (registered with a 支払限度額), paid
    90 days later by 送金."""
    return {
        "shipment": {"contract_number": number or "", "aggregation": "single", "shipped_on": f"{year}-04-10",
                     "shipped_month": "", "count": "", "buyer_code": "304-000101", "destination": "304",
                     "currency": "USD", "amount": "100,000.00"} | (shipment or {}),
        "settlement": {"settlement_method": "送金", "due_on": f"{year}-07-09", "usance_days": "90"} | (settlement or {}),
    }  # fmt: skip


def answers(app, year, shipment=None, settlement=None) -> dict:
    return ie1(year, shipment, settlement, number=contract_of(app).number)


def shipments(app) -> list[BlanketShipment]:
    with app.app_context():
        return list(db.session().exec(select(BlanketShipment).order_by(BlanketShipment.id)).all())


def errors_of(page) -> str:
    return " ".join(page.texts(".field-error, .error-message, .error-summary"))


def test_a_notice_reaches_confirm_on_a_pattern_2_screen_with_the_contracts_rates(app, portal, day):
    portal.login("demo-user")
    page = start(portal, ENDPOINT)
    assert contract_of(app).number in page.text("main")  # the only contract is offered (and chosen)
    page = walk(portal, ENDPOINT, answers(app, day))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert page.text(".button--logout") == "終了"  # screen pattern 2 (C.7)
    assert "船後 非常危険 97.5%／信用危険 90%" in page.text() and "支払限度額があるため" in page.text()


def test_a_buyer_without_a_limit_is_covered_at_0(app, portal, day):
    portal.login("demo-user")
    page = walk(
        portal, ENDPOINT, answers(app, day, {"buyer_code": "213-000401", "destination": "213", "currency": "EUR"})
    )
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "信用危険 0%" in page.text() and "支払限度額がないため" in page.text()


def test_a_buyer_not_registered_under_the_contract_is_refused(app, portal, day):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(app, day, {"buyer_code": "304-000102"}))  # in the register, not under it
    assert "この包括保険契約に簡易包括登録されていません" in page.text()


def test_a_country_not_registered_with_the_buyer_is_refused(app, portal, day):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(app, day, {"destination": "213"}))
    assert "簡易包括登録された国を選択してください" in page.text()


def test_a_shipment_day_in_the_future_is_refused(app, portal, day):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(app, day, {"shipped_on": f"{day}-04-21"}))
    assert "船積日に未来の日付は入力できません" in page.text()


def test_a_due_date_before_the_shipment_is_refused(app, portal, day):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(app, day, settlement={"due_on": f"{day}-04-09"}))
    assert "決済期限は船積日" in page.text()


def test_a_usance_over_365_days_is_refused(app, portal, day):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(app, day, settlement={"usance_days": "366"}))
    assert (
        not page.h1.endswith(CONFIRM) and "ユーザンス（日）" in page.text() and "365" in errors_of(page) + page.text()
    )


def test_the_count_is_required_for_a_monthly_notice(app, portal, day):
    portal.login("demo-user")
    monthly = {"aggregation": "monthly", "shipped_on": "", "shipped_month": f"{day}-03"}
    page = walk(portal, ENDPOINT, answers(app, day, monthly))
    assert "件数を入力してください" in page.text()
    page = walk(portal, ENDPOINT, answers(app, day, monthly | {"count": "12"}))
    assert page.h1.endswith(CONFIRM), page.error_summary


@pytest.mark.parametrize(("now", "late"), [("04-30", False), ("05-01", True)])
def test_a_notice_after_the_end_of_the_month_after_the_shipment_month_is_late(app, portal, monkeypatch, now, late):
    year = contract_of(app).starts_on.year
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{year}-{now}T10:00:00")
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, ie1(year, {"shipped_on": f"{year}-03-31"}, number=contract_of(app).number))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert ("期限超過" in page.text()) is late
    assert (f"{year}年4月30日" in page.text()) is late
    number = page.text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert record(app, number).overdue is late


def test_a_customer_without_a_contract_cannot_start_it(portal):
    portal.login("other-admin")
    page = portal.go(ENDPOINT)
    assert any(registrations.REASONS[registrations.HOLDS_BLANKET] in message for message in page.messages)


def test_nexis_completion_records_exactly_one_shipment(app, portal, staff, day):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, answers(app, day))
    page = complete(staff, number)
    assert not page.error_summary, page.error_summary
    application = record(app, number)
    assert application.status == Status.COMPLETED
    assert application.result["包括保険契約 証券番号"] == contract_of(app).number
    assert "304-000101" in application.result["記録された船積"]
    [shipment] = shipments(app)
    assert shipment.application_id == application.id and shipment.contract_id == contract_of(app).id
    assert shipment.amount == 10_000_000 and shipment.currency == "USD"  # minor units
    assert (shipment.post_political, shipment.post_commercial) == (97.5, 90)
    assert shipment.usance_days == 90 and shipment.due_on.isoformat() == f"{day}-07-09"
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == "304-000101")).one()
        assert buyer.last_activity_on.isoformat() == f"{day}-04-20"  # S.5
    with app.test_request_context():  # a second 完了 finds the shipment and refuses
        from nexi.procedures.insurance.blanket_completion import record as recorded

        again = db.session().get(type(application), application.id)
        with pytest.raises(Refused):
            recorded(again, {})
    assert len(shipments(app)) == 1


def test_a_shipment_without_a_limit_is_recorded_at_0(app, portal, staff, day):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, answers(app, day, {"buyer_code": "213-000401", "destination": "213"}))
    assert not complete(staff, number).error_summary
    [shipment] = shipments(app)
    assert shipment.post_commercial == 0


# --- the L/C exemption (9-2 簡易通知型: 90 without a 支払限度額 when a G- or SA-rated bank's L/C settles) ----

LC = {"buyer_code": "213-000401", "destination": "213", "currency": "EUR"}  # registered without a 支払限度額


def test_an_lc_of_an_sa_rated_bank_gets_the_contracts_rate_without_a_limit(app, portal, day):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(app, day, LC, {"settlement_method": "L/C一覧払", "lc_bank_code": ""}))
    assert page.field_error("lc_bank_code") == "L/C発行・確認銀行を入力してください"
    page = walk(
        portal, ENDPOINT, answers(app, day, LC, {"settlement_method": "L/C一覧払", "lc_bank_code": "205-000501"})
    )
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "信用危険 90%" in page.text() and "格付SAの銀行のL/Cによる決済のため" in page.text()


def test_an_lc_of_another_bank_or_no_lc_leaves_it_at_0(app, portal, day):
    portal.login("demo-user")
    for settlement in ({"settlement_method": "L/C一覧払", "lc_bank_code": "304-000101"},  # EA: not a G/SA bank
                       {"settlement_method": "送金", "lc_bank_code": "205-000501"}):  # not an L/C: ignored  # fmt: skip
        page = walk(portal, ENDPOINT, answers(app, day, LC, settlement))
        assert page.h1.endswith(CONFIRM), page.error_summary
        assert "信用危険 0%" in page.text()


def test_the_recorded_shipment_keeps_its_bank_for_a_correction(app, portal, staff, day):
    portal.login("demo-user")
    number = submit(
        portal, ENDPOINT, answers(app, day, LC, {"settlement_method": "L/C一覧払", "lc_bank_code": "205-000501"})
    )
    assert not complete(staff, number).error_summary
    [shipment] = shipments(app)
    assert (shipment.post_commercial, shipment.lc_bank_code) == (90, "205-000501")


def test_an_lc_bank_in_a_suspended_country_is_refused_at_its_field(app, portal, day):
    with_buyer(app, "224-000009", "224", "SA")
    portal.login("demo-user")
    page = walk(
        portal, ENDPOINT, answers(app, day, LC, {"settlement_method": "L/C一覧払", "lc_bank_code": "224-000009"})
    )
    assert page.field_error("lc_bank_code") == "ロシアは引受停止国のため、船積確定通知はできません"


def test_the_shipment_falls_within_the_contracts_period(app, portal, day):
    contract = contract_of(app)
    assert (contract.starts_on.month, contract.starts_on.day) == (1, 1)  # the demo's: its calendar year
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, answers(app, day, {"shipped_on": f"{day - 1}-12-31", "due_on": ""}))
    assert page.field_error("shipped_on") == (
        f"船積日は包括保険契約の保険期間（{day}年1月1日〜{day}年12月31日）内の日付を入力してください"
    )
    monthly = {"aggregation": "monthly", "shipped_on": "", "count": "3"}
    page = walk(portal, ENDPOINT, answers(app, day, monthly | {"shipped_month": f"{day - 1}-12"}))
    assert page.error_summary == [
        f"船積月は包括保険契約の保険期間（{day}年1月1日〜{day}年12月31日）にかかる年月を入力してください"
    ]
    page = walk(portal, ENDPOINT, answers(app, day, monthly | {"shipped_month": f"{day}-01"}))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_nexi_completes_after_the_period_a_notice_of_a_shipment_within_it(app, portal, staff, day):
    app.config["NEXI_NOW"] = f"{day}-12-28T10:00:00"
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, answers(app, day, {"shipped_on": f"{day}-12-20"}, {"due_on": f"{day + 1}-03-20"}))
    app.config["NEXI_NOW"] = f"{day + 1}-01-05T10:00:00"  # NEXI's 完了 in January: the shipment's date decides
    assert not complete(staff, number).error_summary
    [shipment] = shipments(app)
    assert shipment.shipped_on.isoformat() == f"{day}-12-20"
