"""IA1 and the 個別保証枠 (DOMAIN.md 9-3, §10, C.2): 申込む earmarks the 船後保険価額 on the quoted 確認,
取下げ and 不承認 give it back, a short 残額 stops 申込む at the field with nothing changed, and a
resubmission after 差戻し takes the edited amount, the 確認's expiry judged as of the first 申込む."""

import threading
from datetime import date

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Confirmation, ConfirmationState, EarmarkState, Status
from tests.http.insurance.helpers import (
    CONFIRM,
    ENDPOINT,
    confirmation,
    confirmed,
    credit,
    days,
    earmarks,
    ia1,
    reach_confirm,
    record,
)
from tests.http.staff.test_review import decide
from tests.support.procedures import submit

pytestmark = pytest.mark.usefixtures("empty_contract_book")  # written against an empty contract book

NINETY = [(days(60), "45,000.00"), (days(90), "45,000.00")]


def test_submitting_earmarks_the_post_shipment_value_on_the_confirmation(app, portal, staff):
    number = confirmed(portal, staff)
    portal.login("demo-user")
    submit(portal, ENDPOINT, ia1(money={"advance": "10,000.00"}, cover=credit(number), schedule=NINETY))
    held = confirmation(app, number)
    (mark,) = earmarks(app)
    assert (mark.amount, mark.state) == (9_000_000, EarmarkState.OPEN)  # USD 90,000.00 = 契約金額 − 前受金
    assert (held.earmarked, held.state) == (9_000_000, ConfirmationState.PART_USED)
    assert mark.amount_jpy == int(90_000 * held.rate)


def test_withdrawal_by_the_customer_releases_the_earmark(app, portal, staff):
    number = confirmed(portal, staff)
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, ia1(cover=credit(number)))
    portal.go("status.detail", {"number": web})
    page = portal.go("status.withdraw", {"number": web, "confirmed": "yes"})
    assert record(app, web).status == Status.WITHDRAWN, page.messages
    (mark,) = earmarks(app)
    assert mark.state == EarmarkState.RELEASED
    assert confirmation(app, number).earmarked == 0


def test_refusal_by_nexi_releases_the_earmark(app, portal, staff):
    number = confirmed(portal, staff)
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, ia1(cover=credit(number)))
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    decide(staff, web, "reject", comment="引受できません")
    assert record(app, web).status == Status.REJECTED
    assert [mark.state for mark in earmarks(app)] == [EarmarkState.RELEASED]
    held = confirmation(app, number)
    assert (held.earmarked, held.state) == (0, ConfirmationState.CONFIRMED)


def test_a_short_balance_at_submission_stops_at_the_field_and_changes_nothing(app, portal, staff):
    number = confirmed(portal, staff, amount="100,000.00")
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(cover=credit(number)))
    assert page.h1.endswith(CONFIRM), page.error_summary
    web = page.text(".panel .number")
    with app.app_context():  # meanwhile the 確認 was partly given back (L02)
        held = db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()
        held.returned = 1
        db.session().commit()
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.h1.endswith("（付保・確認）")
    assert "確認の残額が" in page.field_error("confirmation_number")
    assert record(app, web).status == Status.DRAFT
    assert earmarks(app) == []
    assert confirmation(app, number).earmarked == 0


def test_a_resubmission_takes_the_edited_amount_judging_expiry_on_the_first_submission(app, portal, staff, monkeypatch):
    number = confirmed(portal, staff)
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, ia1(cover=credit(number)))
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    decide(staff, web, "return", comment="前受金を入力してください")
    held = confirmation(app, number)
    later = held.valid_until.toordinal() + 1  # the 確認 has expired by the resubmission
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{date.fromordinal(later).isoformat()}T10:00")
    portal.login("demo-user")
    portal.go("status.detail", {"number": web})
    page = portal.go("status.resume", {"number": web, "action": "resubmit"})
    assert page.h1.endswith("（契約・当事者）"), page.h1
    page = portal.go("procedure.input_submit", {"action": "next", **ia1()["contract"]})
    page = portal.go(
        "procedure.input_submit", {"action": "next", **ia1(money={"advance": "10,000.00"}, schedule=NINETY)["money"]}
    )
    page = portal.go("procedure.input_submit", {"action": "next", **ia1(cover=credit(number))["cover"]})
    assert page.h1.endswith(CONFIRM), page.error_summary
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.h1.endswith("（申込完了）"), page.error_summary
    assert record(app, web).status == Status.SUBMITTED
    marks = earmarks(app)
    assert [(mark.amount, mark.state) for mark in marks] == [
        (10_000_000, EarmarkState.RELEASED),  # the first 申込む's, kept on record
        (9_000_000, EarmarkState.OPEN),
    ]
    assert confirmation(app, number).earmarked == 9_000_000


def test_of_two_users_earmarking_the_last_of_one_confirmation_at_once_one_wins(app, portal, staff):
    number = confirmed(portal, staff, amount="100,000.00")
    portal.login("demo-admin")
    second = type(portal)(app, app.test_client(), "plain")
    second.login("demo-user")  # two users of the same customer, both at 確認 with the whole 残額
    webs = []
    for tab in (portal, second):
        page = reach_confirm(tab, ia1(cover=credit(number)))
        assert page.h1.endswith(CONFIRM), page.error_summary
        webs.append(page.text(".panel .number"))
    start, pages = threading.Barrier(2), {}

    def submit_in(tab, key):
        start.wait(timeout=30)
        pages[key] = tab.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})

    threads = [threading.Thread(target=submit_in, args=(tab, key)) for key, tab in enumerate((portal, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "the submissions did not finish within 30 s"
    done = [key for key, page in pages.items() if page.h1.endswith("（申込完了）")]
    assert len(done) == 1, [page.h1 for page in pages.values()]
    lost = pages[1 - done[0]]
    assert lost.h1.endswith("（付保・確認）")
    assert "確認の残額が" in lost.field_error("confirmation_number")  # the check, or the earmark under the lock
    assert [record(app, web).status for web in webs] == [
        Status.SUBMITTED if key == done[0] else Status.DRAFT for key in range(2)
    ]
    assert [mark.amount for mark in earmarks(app)] == [10_000_000]
    assert confirmation(app, number).earmarked == 10_000_000


def test_an_earmark_that_does_not_fit_under_the_lock_is_a_conflict_at_the_field(app, portal, staff, monkeypatch):
    """The race the check cannot see: the 残額 is judged again under the 確認's lock (limits.earmark)."""
    from nexi.procedures.insurance import checks

    number = confirmed(portal, staff, amount="100,000.00")
    portal.login("demo-user")
    page = reach_confirm(portal, ia1(cover=credit(number)))
    web = page.text(".panel .number")
    with app.app_context():
        held = db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()
        held.returned = 1
        db.session().commit()
    monkeypatch.setattr(checks, "_confirmation", lambda *args: None)  # as if read before the change
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.field_error("confirmation_number") == (
        f"確認管理番号「{number}」の確認から引き当てられませんでした：確認の残額が不足しています"
    )
    assert record(app, web).status == Status.DRAFT and earmarks(app) == []
