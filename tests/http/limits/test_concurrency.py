"""Simultaneous changes of one buyer's 個別保証枠 (DOMAIN.md §10, S.3, S.4): NEXI staff acting at
the same moment never take the same 残高 twice nor leave it below 0, and the one refused is told
why in Japanese with nothing of its change kept. The demo contract book stays in place (its 確認
on the buyer count in the 残高), and each race is bounded to 30 s.

SQLite runs the requests one after the other (the writer lock, nexi/db.py), PostgreSQL at once
with the buyer's row lock deciding (nexi/limits.py); run these on both
(`scripts/with-postgres .venv/bin/pytest tests/http/limits/test_concurrency.py`)."""

import threading
from decimal import Decimal

import pytest
from sqlmodel import col, select

from nexi import db, limits, masters
from nexi.clock import real_now
from nexi.demo import DEMO_PASSWORD
from nexi.models import Application, ApplicationEvent, Buyer, Confirmation, Sequence, StaffUser, Status
from nexi.security import hash_password, login_key
from tests.http.insurance.helpers import l01_request
from tests.http.staff.test_buyers import change
from tests.http.staff.test_review import open_review
from tests.support.procedures import submit
from tests.support.staff import StaffPortal, code

BUYER = "304-000101"  # ACME: both demo customers already hold a 確認 on it
AMOUNT = "100,000.00"  # USD, what each L01 asks for and NEXI confirms
SECOND = "demo-reviewer2"
SECOND_SECRET = "NEXISECONDREVIEWERNEXISECONDREVW"
REFUSED = "確認額が支払人の個別保証枠の残高を超えています"
TIMEOUT = 30


def _buyer(app) -> Buyer:
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == BUYER)).one()
        db.session().expunge(buyer)
        return buyer


def _amounts(app) -> limits.Amounts:
    with app.app_context():
        return limits.amounts(db.session().exec(select(Buyer).where(Buyer.code == BUYER)).one())


def _room_for_one(app) -> int:
    """Set the 設定額 so that the 残高 is exactly one 確認 of AMOUNT: its 確認額円."""
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == BUYER)).one()
        held = limits.amounts(buyer)
        assert held.used + held.reserved > 0, "the demo contract book holds part of the buyer's 枠"
        one = limits.yen(int(Decimal(AMOUNT.replace(",", "")) * 100), 2, masters.currencies()["USD"].rate)
        buyer.limit_amount = held.used + held.reserved + one
        db.session().commit()
        return one


def _second_reviewer(app) -> StaffPortal:
    """Another 審査担当 (the demo has one), logged in in a browser of its own."""
    with app.app_context():
        moment = real_now()
        db.session().add(
            StaffUser(
                login_id=SECOND, login_key=login_key(SECOND), name="井上 亮", reviewer=True, manager=False,
                password_hash=hash_password(DEMO_PASSWORD), otp_secret=SECOND_SECRET, otp_enrolled_at=moment,
                created_at=moment,
            )
        )  # fmt: skip
        db.session().commit()
    staff = StaffPortal(app, app.test_client(), "plain")
    staff.login(SECOND, otp=code(SECOND_SECRET))
    return staff


def _at_result_form(staff, number: str):
    """受付, then the 完了 screen with its result form (the 確認額), not yet posted."""
    page = open_review(staff, number)
    staff.go("staff.decide", {"decision": "accept", "version": page.one("input[name=version]")["value"]})
    page = open_review(staff, number)
    page = staff.go("staff.decide", {"decision": "complete", "version": page.one("input[name=version]")["value"]})
    assert page.select("#confirmed_amount"), page.h1
    return page


def _complete(staff):
    return staff.go("staff.decide_submit", {"action": "submit", "confirmed_amount": AMOUNT})


def _at_once(*posts) -> list:
    """Run the posts in threads released together; their pages, in order. A request that raised
    (a 500 in production) fails the test with what it raised."""
    start, pages, raised = threading.Barrier(len(posts)), [None] * len(posts), []

    def run(index, post):
        start.wait(timeout=TIMEOUT)
        try:
            pages[index] = post()
        except Exception as error:  # noqa: BLE001 — reported below, in the test's thread
            raised.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=run, args=(index, post)) for index, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), f"the requests did not finish within {TIMEOUT} s"
    assert not raised, f"a request failed: {raised}"
    return pages


def _application(app, number: str) -> tuple[Application, list[str]]:
    with app.app_context():
        row = db.session().exec(select(Application).where(Application.number == number)).one()
        events = db.session().exec(
            select(ApplicationEvent.status)
            .where(ApplicationEvent.application_id == row.id)
            .order_by(ApplicationEvent.id)
        )
        db.session().expunge(row)
        return row, list(events)


def _confirmations_of(app, numbers: list[str]) -> list[Confirmation]:
    with app.app_context():
        ids = select(Application.id).where(col(Application.number).in_(numbers))
        return list(db.session().exec(select(Confirmation).where(col(Confirmation.application_id).in_(ids))))


def test_of_two_l01_completions_against_the_last_balance_one_wins_and_nothing_of_the_other_is_kept(
    app, portal, other_portal, staff
):
    one = _room_for_one(app)
    portal.login("demo-user")
    other_portal.login("other-admin")  # two customers, one buyer
    numbers = [submit(portal, "limits.confirmation", l01_request()),
               submit(other_portal, "limits.confirmation", l01_request())]  # fmt: skip
    staff.login("demo-reviewer")
    second = _second_reviewer(app)
    _at_result_form(staff, numbers[0])
    _at_result_form(second, numbers[1])
    with app.app_context():
        before = db.session().exec(select(Sequence.value).where(Sequence.name.like("confirmation:%"))).all()

    pages = _at_once(lambda: _complete(staff), lambda: _complete(second))

    rows = [_application(app, number) for number in numbers]
    won = [index for index, (row, _events) in enumerate(rows) if row.status == Status.COMPLETED]
    assert len(won) == 1, [page.messages + page.error_summary for page in pages]
    winner, loser = won[0], 1 - won[0]
    assert REFUSED in " ".join(pages[loser].messages), pages[loser].messages
    row, events = rows[loser]
    assert row.status == Status.REVIEWING and row.result == {}
    assert events == [Status.DRAFT, Status.SUBMITTED, Status.REVIEWING]  # no 完了 recorded
    (confirmation,) = _confirmations_of(app, numbers)  # the winner's only
    assert confirmation.application_id == rows[winner][0].id and confirmation.amount_jpy == one
    assert rows[winner][0].result["確認管理番号"] == confirmation.number
    with app.app_context():  # the loser's 確認管理番号 went back with its transaction
        after = db.session().exec(select(Sequence.value).where(Sequence.name.like("confirmation:%"))).all()
    assert sum(after) == sum(before) + 1
    assert _amounts(app).balance == 0


def _dialect(app) -> str:
    with app.app_context():
        return db.engine().dialect.name


def _lowering(app, staff, limit: int):
    """The manager at 設定額の変更's 確認 with `limit`, about to 「実行する」."""
    staff.login("demo-manager")
    page = change(staff, BUYER, "limit", limit_amount=f"{limit:,}")
    assert not page.error_summary, page.error_summary
    return lambda: staff.go("staff.buyer_change_apply", {"action": "apply"})


@pytest.mark.parametrize("order", ["at once", "approval between the check and the lock"])
def test_lowering_the_limit_while_an_l01_is_approved_never_leaves_the_balance_below_zero(
    app, portal, staff, monkeypatch, order
):
    one = _room_for_one(app)
    limit = _buyer(app).limit_amount
    portal.login("demo-user")
    number = submit(portal, "limits.confirmation", l01_request())
    reviewer = StaffPortal(app, app.test_client(), "plain")
    reviewer.login("demo-reviewer")
    _at_result_form(reviewer, number)
    apply = _lowering(app, staff, limit - 1)  # fits what is held now, not with the 確認 beside it
    approved = threading.Event()

    def approve():
        page = _complete(reviewer)
        approved.set()
        return page

    if order != "at once":
        # The change's own check has passed on the old sums; the approval commits before the
        # change locks the buyer (PostgreSQL). SQLite holds the change's write lock meanwhile,
        # so the approval waits and comes after: either order must keep the 残高 ≥ 0.
        lock_buyer, changing = limits.lock_buyer, []

        def late_lock(buyer_id):
            if threading.current_thread() in changing:
                approved.wait(timeout=3 if _dialect(app) == "sqlite" else 10)
            return lock_buyer(buyer_id)

        monkeypatch.setattr(limits, "lock_buyer", late_lock)
        original = apply

        def apply():
            changing.append(threading.current_thread())
            return original()

    change_page, approval_page = _at_once(apply, approve)

    assert change_page.status == 200 and approval_page.status == 200
    held = _amounts(app)
    assert held.balance >= 0, held
    row, _events = _application(app, number)
    if order != "at once" and _dialect(app) == "postgresql":  # the window was hit: the change came second
        assert row.status == Status.COMPLETED
    if row.status == Status.COMPLETED:  # the approval first: the change is refused, 設定額 as it was
        assert held.limit == limit and held.balance == 0
        assert change_page.field_error("limit_amount") == (
            f"設定額は使用額と予約額の合計（{limit:,}円）以上で入力してください"
        ) or "設定額が使用額・予約額の合計を下回ります" in " ".join(change_page.messages), change_page.messages
    else:  # the change first: the approval is refused and keeps nothing
        assert held.limit == limit - 1 and held.balance == one - 1
        assert row.status == Status.REVIEWING and row.result == {}
        assert REFUSED in " ".join(approval_page.messages), approval_page.messages
        assert not _confirmations_of(app, [number])
