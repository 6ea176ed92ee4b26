"""A02 入金通知 (DOMAIN.md 11-2) and A03 猶予期間設定申請 (11-3) on a 事故, and the daily job of §11:
元本 against the 未回収残額 (全額回収 takes no more), the one-month deadline from the 入金日 or the 受理,
the note after 支払済; 猶予 ≤ 6 months after the current 請求期限, filed by its last day, one pending per
事故, approved ≤ the date asked, kept in the history; 受理 → 請求可能 → 請求期限経過 unless an A03 is pending."""

from datetime import date

import pytest
from sqlmodel import select

from nexi import db, losses
from nexi.models import Application, Loss, LossState, Status
from tests.http.limits.test_l02 import made, read
from tests.http.staff.test_review import decide
from tests.support import contracts
from tests.support.losses import accepted_loss
from tests.support.procedures import submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")

A02, A03 = "losses.receipt", "losses.extension"


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-12-01T10:00:00")


def loss_of(app, customer_index=0, **values) -> str:
    def make():
        (customer, user) = contracts.customers(2)[customer_index]
        return accepted_loss(customer, user, contracts.buyer_with_limit(3_000_000_000), **values).number

    return made(app, make)


def loss_row(app, number) -> Loss:
    return read(app, Loss, number=number)


def receipt(number, **values) -> dict:
    return {
        "loss": {"loss_number": number},
        "receipt": {"received_on": "2026-12-01", "amount": "10,000.00", "receipt_kind": "元本"} | values,
    }


def extension(number, **values) -> dict:
    return {
        "loss": {"loss_number": number},
        "request": {"requested_until": "2027-08-31", "reason": "交渉中", "detail": "分割返済を交渉中"} | values,
    }


# --- A02 ---------------------------------------------------------------------------------------------


def test_only_own_losses_are_offered(app, portal):
    mine, theirs = loss_of(app), loss_of(app, 1)
    portal.login("demo-user")
    page = walk(portal, A02, {"loss": {}})
    assert [o["value"] for o in page.select("#loss_number option") if o["value"]] == [mine]
    page = walk(portal, A02, receipt(theirs))
    assert page.field_error("loss_number") == "事故番号を一覧から選択してください"


def test_principal_lowers_the_outstanding_at_once_and_never_below_zero(app, portal):
    number = loss_of(app)  # USD 100,000.00 unpaid
    portal.login("demo-user")
    page = walk(portal, A02, receipt(number, amount="100,000.01"))
    assert page.field_error("amount") == "元本の入金額は未回収残額（USD 100,000.00）以下で入力してください"
    assert page.one("#amount")["value"] == "100,000.01"
    page = walk(portal, A02, receipt(number, amount="40,000.00"))
    web = page.text(".panel .number")
    done = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert read(app, Application, number=web).status == Status.COMPLETED
    assert "未回収残額 USD 60,000.00" in done.text("section[aria-labelledby=result-title]")  # shown at once
    assert (loss_row(app, number).received, loss_row(app, number).outstanding) == (4_000_000, 6_000_000)
    submit(portal, A02, receipt(number, amount="500.00", receipt_kind="利息"))
    assert (loss_row(app, number).received, loss_row(app, number).received_other) == (4_000_000, 50_000)
    web = submit(portal, A02, receipt(number, amount="60,000.00"))
    assert read(app, Application, number=web).result["回収の状況"] == "全額回収"
    page = walk(portal, A02, receipt(number, amount="1.00"))
    assert (
        page.field_error("amount") == "この事故は全額回収済みのため、元本の入金は通知できません（利息等は通知できます）"
    )
    assert walk(portal, A02, receipt(number, amount="1.00", receipt_kind="遅延損害金")).h1.endswith("（申込内容確認）")


def test_the_received_date_is_at_most_today(app, portal):
    number = loss_of(app)
    portal.login("demo-user")
    page = walk(portal, A02, receipt(number, received_on="2026-12-02"))
    assert page.field_error("received_on") == "入金日は本日以前の日付を入力してください"


def test_the_deadline_is_a_month_from_the_receipt_or_from_the_acceptance_if_earlier(app, portal):
    number = loss_of(app)  # accepted 2026-12-01
    app.config["NEXI_NOW"] = "2027-01-15T10:00:00"
    portal.login("demo-user")
    page = walk(portal, A02, receipt(number, received_on="2026-11-01"))  # before 受理: due 2027-01-01
    assert "期限：2027年1月1日" in page.screen_text
    assert "損失等発生通知の日" in page.screen_text  # received before the A01 was filed
    page = walk(portal, A02, receipt(number, received_on="2026-12-15"))  # due 2027-01-15: in time
    assert "期限超過" not in page.screen_text
    page = walk(portal, A02, receipt(number, received_on="2026-12-14"))
    assert "期限：2027年1月14日" in page.screen_text
    web = submit(portal, A02, receipt(number, received_on="2026-12-14"))
    assert read(app, Application, number=web).overdue


def test_after_payment_the_screen_notes_the_recovery_is_shared(app, portal):
    number = loss_of(app)
    with app.app_context():
        db.session().exec(select(Loss).where(Loss.number == number)).one().state = LossState.PAID
        db.session().commit()
    portal.login("demo-user")
    page = walk(portal, A02, receipt(number))
    assert "NEXIへの納付の対象となります" in page.screen_text


# --- A03 ---------------------------------------------------------------------------------------------


def test_only_open_losses_are_offered_for_an_extension(app, portal):
    open_one, paid = loss_of(app), loss_of(app)
    with app.app_context():
        db.session().exec(select(Loss).where(Loss.number == paid)).one().state = LossState.PAID
        db.session().commit()
    portal.login("demo-user")
    page = walk(portal, A03, {"loss": {}})
    assert [o["value"] for o in page.select("#loss_number option") if o["value"]] == [open_one]


def test_the_date_asked_is_after_the_current_deadline_and_at_most_six_months_later(app, portal):
    number = loss_of(app)  # 請求期限 2027-05-29
    portal.login("demo-user")
    page = walk(portal, A03, extension(number, requested_until="2027-05-29"))
    assert (
        page.field_error("requested_until")
        == "希望猶予期限は現在の請求期限（2027年5月29日）より後の日付を入力してください"
    )
    page = walk(portal, A03, extension(number, requested_until="2027-11-30"))
    assert (
        page.field_error("requested_until")
        == "希望猶予期限は現在の請求期限から6か月以内（2027年11月29日まで）で入力してください"
    )
    assert walk(portal, A03, extension(number, requested_until="2027-11-29")).h1.endswith("（申込内容確認）")


def test_it_is_filed_by_the_last_day_of_the_current_deadline(app, portal):
    number = loss_of(app)
    app.config["NEXI_NOW"] = "2027-05-29T23:59:59"
    portal.login("demo-user")
    assert walk(portal, A03, extension(number)).h1.endswith("（申込内容確認）")
    app.config["NEXI_NOW"] = "2027-05-30T00:00:00"
    page = walk(portal, A03, extension(number))
    assert page.field_error("loss_number") == "請求期限（2027年5月29日）を過ぎているため、猶予期間設定申請はできません"


def test_one_pending_request_per_loss_and_nexi_approves_at_most_the_date_asked(app, portal, staff):
    number = loss_of(app)
    portal.login("demo-user")
    web = submit(portal, A03, extension(number, requested_until="2027-08-31"))
    page = walk(portal, A03, extension(number))
    assert page.field_error("loss_number") == f"事故番号「{number}」の猶予期間設定申請は、すでに申込み中です"
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    page = decide(staff, web, "complete", approved_until="2027-09-01")
    assert "承認する猶予期限は希望猶予期限以前の日付を入力してください" in page.screen_text
    decide(staff, web, "complete", approved_until="2027-07-31")
    row = loss_row(app, number)
    assert row.claim_until == date(2027, 7, 31)
    assert row.extensions == [{"from": "2027-05-29", "to": "2027-07-31", "number": web, "on": "2026-12-01"}]
    assert walk(portal, A03, extension(number, requested_until="2028-01-31")).h1.endswith("（申込内容確認）")


# --- the daily job -----------------------------------------------------------------------------------


def test_the_daily_job_makes_losses_claimable_and_lapses_them_unless_a_request_is_pending(app, portal):
    accepted = loss_of(app, due_on=date(2026, 11, 15))  # 請求開始日 2027-02-15
    lapsing = loss_of(app, due_on=date(2026, 8, 29))  # 請求期限 2027-05-29
    held = loss_of(app, due_on=date(2026, 8, 29))
    assert loss_row(app, accepted).state == LossState.ACCEPTED
    portal.login("demo-user")
    submit(portal, A03, extension(held))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["run-daily", "--date", "2027-02-15"]).exit_code == 0
    assert loss_row(app, accepted).state == LossState.CLAIMABLE
    for _twice in range(2):
        result = runner.invoke(args=["run-daily", "--date", "2027-05-30"])
        assert result.exit_code == 0, result.output
    assert loss_row(app, lapsing).state == LossState.LAPSED
    assert loss_row(app, held).state == LossState.CLAIMABLE  # its A03 keeps the claim alive
    assert "請求期限経過にした事故: 0件" in result.output  # the second run changes nothing


def test_claim_dates_of_a_pre_shipment_loss_use_the_configured_months(app):
    app.config["NEXI_PRESHIPMENT_CLAIM_MONTHS"] = 9
    with app.app_context():
        dates = losses.claim_dates("船積前損失発生通知", "03", None, date(2026, 5, 31))
        assert (dates.start, dates.until) == (date(2026, 5, 31), date(2027, 2, 28))
