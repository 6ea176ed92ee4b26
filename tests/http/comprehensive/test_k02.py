"""K02 支払限度額増額申請 (DOMAIN.md 8-2, C.5, S.3): only EE/EA/SA buyers, once per 特約期間 (完了 ones
count), not before add_months(限度額設定日, 3), the renewal info within 5 months of the 満了日, one
pending per registration, and NEXI's 完了 raising the limit and counting it."""

from datetime import date

import pytest
from sqlalchemy import update

from nexi import db
from nexi.models import AuditEvent, RiderBuyer, Status
from nexi.procedures.engine import Refused
from tests.http.comprehensive.helpers import (
    CONFIRM,
    K02,
    add_rider,
    at,
    change_registration,
    complete,
    errors_of,
    k02,
    record,
    registration,
    submit,
    walk,
)

RIDER = "T202600050"  # 1 June 2026 – 31 May 2027, 304-000102's limit set on 30 November 2026


def number(year: int) -> str:
    return f"T{year}00001"


@pytest.fixture
def late_rider(app):
    add_rider(app, RIDER, "2026-06-01", "2027-05-31", [("304-000102", 200_000_000, "2026-11-30", 0)])
    return RIDER


def test_the_current_limit_is_shown_and_nexi_raises_it_and_counts_it(app, portal, staff, day):
    portal.login("demo-user")
    page = walk(portal, K02, {"target": k02(number(day))["target"]})
    assert page.one("input[name=current_limit]")["value"] == "200,000,000円"
    assert page.one("input[name=current_limit]").has_attr("readonly")
    page = walk(portal, K02, k02(number(day)))
    assert page.h1 == f"支払限度額増額申請{CONFIRM}", page.error_summary
    assert "200,000,000円" in page.text("main")
    assert "引き継がれます" not in page.text()  # 20 April: more than 5 months before 31 December
    web = page.text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert registration(app, "304-000102").limit_jpy == 200_000_000  # effects only at 完了
    page = complete(staff, web, new_limit="250,000,000")
    assert not page.error_summary, page.error_summary
    row = registration(app, "304-000102")
    assert (row.limit_jpy, row.limit_set_on.isoformat(), row.increases) == (250_000_000, f"{day}-04-20", 1)
    assert record(app, web).status == Status.COMPLETED
    assert record(app, web).result["支払限度額"] == "250,000,000円"
    with app.app_context():
        from sqlmodel import select

        event = db.session().exec(select(AuditEvent).where(AuditEvent.kind == "staff.rider_buyer.increased")).one()
        assert (event.detail["before"]["limit_jpy"], event.detail["after"]["limit_jpy"]) == (200_000_000, 250_000_000)
    portal.login("demo-user")  # the 特約期間's one increase is taken
    page = walk(portal, K02, k02(number(day), requested_limit="400,000,000"))
    assert "この特約期間の支払限度額の増額はすでに行われています" in page.text()


def test_nexis_new_limit_must_exceed_the_current_one(app, portal, staff, day):
    portal.login("demo-user")
    web = submit(portal, K02, k02(number(day)))
    page = complete(staff, web, new_limit="200,000,000")
    assert "現限度額（200,000,000円）より大きい金額を入力してください" in errors_of(page)
    assert registration(app, "304-000102").increases == 0


def test_the_requested_limit_must_exceed_the_current_one(portal, day):
    portal.login("demo-user")
    page = walk(portal, K02, k02(number(day), requested_limit="200,000,000"))
    assert "希望限度額は現限度額（200,000,000円）より大きい金額を入力してください" in page.text()


def test_the_reason_is_required(portal, day):
    portal.login("demo-user")
    page = walk(portal, K02, k02(number(day), reason=""))
    assert "理由を入力してください" in page.text()


def test_only_ee_ea_and_sa_buyers(portal, day):
    portal.login("demo-user")
    page = walk(portal, K02, k02(number(day), "105-000201"))  # EM
    assert "格付EE・EA・SAのバイヤーに限ります（このバイヤーの格付：EM）" in page.text()
    page = walk(portal, K02, k02(number(day), "111-000301"))  # EA without a limit
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_a_buyer_not_registered_under_the_rider_is_refused(portal, day):
    portal.login("demo-user")
    page = walk(portal, K02, k02(number(day), "304-000101"))
    assert "「304-000101」はこの特約に企総登録されていません" in page.text()


def test_a_completed_increase_counts_for_the_rider_period(app, portal, day):
    change_registration(app, "304-000102", increases=1)
    portal.login("demo-user")
    page = walk(portal, K02, k02(number(day)))
    assert "特約期間中1回まで" in page.text()


@pytest.mark.parametrize(("today", "allowed"), [("2027-02-27", False), ("2027-02-28", True)])
def test_three_months_after_the_setting_at_a_month_end(app, portal, monkeypatch, late_rider, today, allowed):
    """Set on 30 November 2026: add_months gives 28 February 2027, the first day it may be filed."""
    at(app, monkeypatch, today)
    portal.login("demo-user")
    page = walk(portal, K02, k02(late_rider))
    assert page.h1.endswith(CONFIRM) is allowed, page.error_summary
    assert ("2027年2月28日以降にお申し込みください" in page.text()) is not allowed


def test_the_three_months_are_judged_again_at_submission(app, portal, monkeypatch, late_rider):
    at(app, monkeypatch, "2027-02-28")
    portal.login("demo-user")
    assert walk(portal, K02, k02(late_rider)).h1.endswith(CONFIRM)
    change_registration(app, "304-000102", late_rider, limit_set_on=date(2026, 12, 1))  # set again meanwhile
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert "2027年3月1日以降にお申し込みください" in page.text()


@pytest.mark.parametrize(("today", "carried"), [("2026-12-30", False), ("2026-12-31", True)])
def test_an_increase_within_5_months_before_expiry_carries_into_the_renewal(app, portal, monkeypatch, today, carried):
    """満了日 31 May 2027: add_months(−5) = 31 December 2026."""
    add_rider(app, RIDER, "2026-06-01", "2027-05-31", [("304-000102", 200_000_000, "2026-06-01", 0)])
    at(app, monkeypatch, today)
    portal.login("demo-user")
    page = walk(portal, K02, k02(RIDER))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert ("特約の更新後も引き継がれます" in page.text()) is carried


def test_one_pending_increase_per_registration(portal, other_portal, day):
    portal.login("demo-user")
    submit(portal, K02, k02(number(day)))
    other_portal.login("demo-admin")
    page = walk(other_portal, K02, k02(number(day)))
    assert "この企総登録の支払限度額増額申請は、すでに申込み中です" in page.text()
    page = walk(other_portal, K02, k02(number(day), "111-000301"))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_completion_refuses_a_registration_changed_meanwhile(app, portal, day):
    """The optimistic version check: a change between NEXI's read and write refuses the 完了."""
    from nexi.procedures.comprehensive import increase, own

    portal.login("demo-user")
    web = submit(portal, K02, k02(number(day)))
    application, row_id = record(app, web), registration(app, "304-000102").id
    with app.test_request_context():
        own.registered(application.customer_id, number(day), "304-000102")  # read (and kept for the request)
        db.session().execute(
            update(RiderBuyer).where(RiderBuyer.id == row_id)
            .values(version=RiderBuyer.version + 1).execution_options(synchronize_session=False)
        )  # fmt: skip
        with pytest.raises(Refused, match="同時に変更されました"):
            increase.complete(db.session().merge(application), {"new_limit": "300,000,000"})
        db.session().rollback()
