"""K01 期中企総登録 (DOMAIN.md 8-1, C.2, S.3): every rule of 8-1, one pending per 特約 and buyer, and
NEXI's 完了 creating the 企総登録 with the limit it sets."""

from nexi import db, registrations
from nexi.models import RegistrationState, Status
from tests.http.comprehensive.helpers import (
    CONFIRM,
    K01,
    add_rider,
    change_registration,
    complete,
    errors_of,
    k01,
    record,
    registration,
    remove_departments,
    submit,
    walk,
)


def number(year: int) -> str:
    return f"T{year}00001"


def test_the_only_rider_is_offered_and_chosen(portal, day):
    portal.login("demo-user")
    page = portal.go(K01)
    page = portal.go("procedure.intro", {"action": "next"})
    chosen = page.one("select[name=rider_number] option[selected]")
    assert chosen["value"] == number(day)


def test_a_buyer_reaches_confirm_and_nexi_registers_it_with_the_limit_it_sets(app, portal, staff, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), {"department": "EXP01"}))
    assert page.h1 == f"期中企総登録{CONFIRM}", page.error_summary
    assert "EXP01" in page.text("main")  # the 部門 the 特約 covers
    web = page.text(".panel .number")
    assert portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"}).h1.endswith("（申込完了）")
    assert registration(app, "304-000101") is None  # effects only at 完了 (C.3)
    page = complete(staff, web, limit="150,000,000")
    assert not page.error_summary, page.error_summary
    application = record(app, web)
    assert application.status == Status.COMPLETED
    assert application.result["支払限度額"] == "150,000,000円"
    row = registration(app, "304-000101")
    assert (row.state, row.limit_jpy, row.limit_set_on.isoformat()) == ("有効", 150_000_000, f"{day}-04-20")
    assert (row.destination, row.settlement_method, row.max_usance_days, row.increases) == ("304", "送金", 90, 0)
    with app.app_context():
        assert registrations.rider_registration(row.rider_id, row.buyer_id).id == row.id
        from sqlmodel import select

        from nexi.models import AuditEvent

        event = db.session().exec(select(AuditEvent).where(AuditEvent.kind == "staff.rider_buyer.registered")).one()
        assert event.detail["after"]["limit_jpy"] == 150_000_000 and event.staff_user_id is not None


def test_nexis_proposal_is_the_desired_limit(portal, staff, day):
    portal.login("demo-user")
    web = submit(portal, K01, k01(number(day)))
    staff.login("demo-reviewer")
    from tests.http.staff.test_review import decide, open_review

    decide(staff, web, "accept")
    page = open_review(staff, web)
    version = page.one("input[name=version]")["value"]
    page = staff.go("staff.decide", {"decision": "complete", "version": version})
    assert page.one("input[name=limit]")["value"] == "100,000,000"


def test_a_blank_or_zero_limit_registers_the_buyer_without_one(app, portal, staff, day):
    portal.login("demo-user")
    web = submit(portal, K01, k01(number(day), terms={"desired_limit": ""}))
    assert not complete(staff, web, limit="").error_summary
    row = registration(app, "304-000101")
    assert (row.state, row.limit_jpy, row.limit_set_on) == ("有効", None, None)
    assert record(app, web).result["支払限度額"] == "なし"
    portal.login("demo-user")
    web = submit(portal, K01, k01(number(day), {"buyer_code": "213-000401", "destination": "213"}))
    assert not complete(staff, web, limit="0").error_summary
    assert registration(app, "213-000401").limit_jpy is None


def test_a_buyer_not_in_the_register_points_to_the_new_buyer_registration(portal, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), {"buyer_code": "304-999999"}))
    assert "「304-999999」は海外商社名簿に登録されていません" in page.text()
    assert "先に「海外商社新規登録」" in errors_of(page)


def test_a_deleted_buyer_is_not_registered(portal, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), {"buyer_code": "224-000001", "destination": "304"}))
    assert "「224-000001」は海外商社名簿に登録されていません" in page.text()


def test_a_buyer_already_registered_under_the_rider_is_refused(portal, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), {"buyer_code": "304-000102"}))
    assert "この特約にすでに企総登録されています" in page.text()


def test_a_buyer_deleted_from_the_rider_may_be_registered_again(app, portal, staff, day):
    change_registration(app, "304-000102", state=RegistrationState.REMOVED)
    portal.login("demo-user")
    web = submit(portal, K01, k01(number(day), {"buyer_code": "304-000102"}))
    assert not complete(staff, web, limit="50,000,000").error_summary
    row = registration(app, "304-000102")
    assert (row.state, row.limit_jpy) == ("有効", 50_000_000)


def test_a_destination_under_suspension_is_refused(portal, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), {"destination": "224"}))
    assert "仕向国（ロシア）は引受停止国のため、お申込みできません" in page.text()


def test_a_department_the_rider_does_not_cover_is_refused(app, portal, day):
    remove_departments(app, number(day), keep="EXP01")
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), {"department": "EXP02"}))
    assert "部門を一覧から選択してください" in page.text()
    page = walk(portal, K01, k01(number(day), {"department": "EXP01"}))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_another_customers_rider_is_no_choice(app, portal, day):
    add_rider(app, f"T{day}00077", f"{day}-01-01", f"{day}-12-31", customer="987654321")
    portal.login("demo-user")
    page = walk(portal, K01, k01(f"T{day}00077"))
    assert "特約番号を一覧から選択してください" in page.text()


def test_the_usance_is_0_to_729_days(portal, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), terms={"usance_days": "730"}))
    assert not page.h1.endswith(CONFIRM) and "729" in page.text()


def test_the_annual_amount_is_required(portal, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), terms={"annual_amount": ""}))
    assert "予定年間取引額（円）を入力してください" in page.text()


def test_a_desired_limit_must_be_blank_for_a_rating_without_credit_cover(portal, day):
    portal.login("demo-user")
    ec = {"buyer_code": "110-000701", "destination": "110"}
    page = walk(portal, K01, k01(number(day), ec))
    assert "格付ECのバイヤーは信用危険のてん補ができないため、希望支払限度額は空欄にしてください" in page.text()
    page = walk(portal, K01, k01(number(day), ec, {"desired_limit": ""}))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_ninety_percent_is_only_for_em_and_ef_buyers_and_says_the_premium_factor(portal, day):
    portal.login("demo-user")
    page = walk(portal, K01, k01(number(day), terms={"ninety_percent": "y"}))
    assert "90%てん補希望は、格付EM・EFのバイヤーの場合に選択できます" in page.text()
    ef = {"buyer_code": "123-000601", "destination": "123"}
    page = walk(portal, K01, k01(number(day), ef, {"ninety_percent": "y"}))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "保険料率は2.8倍" in page.text()
    page = walk(portal, K01, k01(number(day), ef))
    assert "2.8倍" not in page.text() and "50%てん補" in page.text()


def test_an_lc_of_a_g_or_sa_rated_bank_needs_no_limit(portal, day):
    portal.login("demo-user")
    lc = {"settlement_method": "L/C一覧払", "lc_bank_code": ""}
    page = walk(portal, K01, k01(number(day), terms=lc))
    assert "L/C発行銀行を入力してください" in page.text()
    page = walk(portal, K01, k01(number(day), terms=lc | {"lc_bank_code": "205-000501"}))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "支払限度額は不要です" in page.text()
    page = walk(portal, K01, k01(number(day), terms=lc | {"lc_bank_code": "304-000102"}))  # EE: no bank rating
    assert page.h1.endswith(CONFIRM) and "支払限度額は不要です" not in page.text()


def test_one_pending_registration_per_rider_and_buyer(portal, other_portal, day):
    portal.login("demo-user")
    submit(portal, K01, k01(number(day)))
    other_portal.login("demo-admin")  # the same 保険利用者: its pending one counts (C.4)
    page = walk(other_portal, K01, k01(number(day)))
    assert "すでに申込み中です" in page.text()
    page = walk(other_portal, K01, k01(number(day), {"buyer_code": "213-000401", "destination": "213"}))
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_completion_refuses_a_buyer_registered_meanwhile(app, portal, staff, day):
    portal.login("demo-user")
    web = submit(portal, K01, k01(number(day)))
    with app.app_context():
        from datetime import UTC, datetime

        from nexi.models import RiderBuyer
        from tests.http.comprehensive.helpers import buyer_id, customer_id, demo_rider

        moment = datetime(2026, 1, 1, tzinfo=UTC)
        db.session().add(RiderBuyer(rider_id=demo_rider(app).id, customer_id=customer_id(app),
                                    buyer_id=buyer_id("304-000101"), destination="304", settlement_method="送金",
                                    created_at=moment, updated_at=moment))  # fmt: skip
        db.session().commit()
    page = complete(staff, web, limit="1")
    assert "すでにこの特約に企総登録されています" in page.text()
    assert record(app, web).status == Status.REVIEWING
