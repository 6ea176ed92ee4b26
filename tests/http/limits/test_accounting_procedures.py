"""個別保証枠 accounting through the screens (DOMAIN.md §10): a property-based test that drives the
procedures as the customer and NEXI staff do — L01 確認申請 and its 完了, IA1 申込む quoting a 確認
and then 取下げ / 不承認 / 完了, L02 予約分 and 使用分, L03 決済通知, IA2 金額減額 and the daily job's
expiry — and checks after every step that the buyer's 予約額 and 使用額 are the sums of what its 確認,
earmarks and policies store, that no 残高 or 残額 goes below 0, and that an action the portal
refuses (a message at a field, or to NEXI) leaves every amount as it was.

A RuleBasedStateMachine rather than a list of actions: whether an action can run depends on what
the earlier ones left in the database (a 確認 to quote, an IA1 pending, a policy holding 使用額), so
each rule's precondition reads it and no drawn step is spent on one that cannot run (a list would
skip them, and with a handful of slow examples every step counts); the invariant runs after every
step; and a failure shrinks to the shortest sequence of named steps, printed as code that replays it.
The service-level counterpart, over nexi/limits.py alone, is test_accounting.py."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import select

from nexi import db, limits, masters
from nexi.clock import today
from nexi.models import Application, EarmarkState, PolicyState, Status
from nexi.models.contract import OPEN_CONFIRMATION
from tests.conftest import reset_database
from tests.http.insurance.helpers import CONFIRM, ENDPOINT, L01, credit, days, l01_request
from tests.http.insurance.helpers import ia1 as ia1_answers
from tests.http.staff.test_review import decide, open_review
from tests.support import contracts
from tests.support.limit_book import Book, Covered, Held, read_book
from tests.support.portal import Portal
from tests.support.procedures import walk
from tests.support.staff import StaffPortal

BUYER = "304-000101"
LIMIT = 60_000_000  # 設定額: two 確認 of up to USD 300,000.00 at ¥150 may not both fit
START = date(2026, 4, 20)  # USD is ¥150.00 until 2026-06-30, ¥152.35 from 2026-07-01 (the masters)
CENTS = st.integers(min_value=100_000, max_value=30_000_000)  # USD 1,000.00 – 300,000.00
PICK = st.integers(min_value=0, max_value=7)  # which of the candidates, modulo their number
SHARE = st.integers(min_value=1, max_value=120)  # % of what is left; above 100 the portal refuses
PENDS = "保留"
# how an IA1 ends; 完了 twice as likely, as only a policy opens L02 使用分, L03 and IA2
OUTCOME = st.sampled_from(["完了", "完了", "取下げ", "不承認", PENDS])
REFUSED_L01 = "確認額が支払人の個別保証枠の残高を超えています"


def usd(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def share_of(left: int, share: int) -> int:
    """`share` % of `left` minor units (at least 1)."""
    return max(left * share // 100, 1)


class Accounting(RuleBasedStateMachine):
    """One example: a clean contract book, the demo customer and a reviewer logged in, then steps."""

    app = monkeypatch = None  # bound by the test (the fixtures are per test, the examples many)

    def __init__(self):
        super().__init__()
        app = self.app
        reset_database(app)  # every example from the session's snapshot…
        contracts.without_demo_book(app)  # …without the demo's 確認 and policies
        with app.test_request_context():
            contracts.buyer_with_limit(LIMIT, BUYER)
            db.session().commit()
        self.move_clock(START)
        self.portal = Portal(app, app.test_client(), "plain")
        self.portal.login("demo-user")
        self.staff = StaffPortal(app, app.test_client(), "plain")
        self.staff.login("demo-reviewer")
        self.pending: list[str] = []  # IA1 Web申込番号 submitted, not yet withdrawn, refused or completed
        self._book: Book | None = None

    def book(self) -> Book:
        """The book as the last step left it (read once per step: the preconditions ask often)."""
        if self._book is None:
            self._book = read_book(self.app, BUYER)
        return self._book

    def changed(self) -> Book:
        self._book = None
        return self.book()

    def move_clock(self, day: date) -> None:
        """The business clock (NEXI_NOW) is fixed, and moves only on: to a 決済日 on or after the
        first shipment, or to the day the daily job runs."""
        self.day = day
        self.monkeypatch.setitem(self.app.config, "NEXI_NOW", f"{day.isoformat()}T10:00:00")

    def status(self, number: str) -> str:
        with self.app.app_context():
            return db.session().exec(select(Application.status).where(Application.number == number)).one()

    def refused(self, before: Book, page, field: str, message: str) -> None:
        """The portal stopped at the field with its message, and no amount moved."""
        assert page.field_error(field).startswith(message), (page.h1, page.error_summary)
        assert self.changed() == before, "a refused action changed the amounts"

    def apply(self, endpoint: str, answers: dict) -> str:
        """申込む of answers already checked to reach 確認: the Web申込番号."""
        page = walk(self.portal, endpoint, answers)
        assert page.h1.endswith(CONFIRM), page.error_summary
        number = page.text(".panel .number")
        done = self.portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
        assert done.h1.endswith("（申込完了）"), done.error_summary
        return number

    def complete(self, number: str) -> None:
        """NEXI's 受付 and 完了 with what the result screen proposes (保険料, 保険責任開始日, …)."""
        decide(self.staff, number, "accept")
        page = open_review(self.staff, number)
        version = page.one("input[name=version]")["value"]
        page = self.staff.go("staff.decide", {"decision": "complete", "version": version})
        page = self.staff.go("staff.decide_submit", {"action": "submit", **page.form_values()})
        assert self.status(number) == Status.COMPLETED, page.messages + page.error_summary

    # --- L01 ------------------------------------------------------------------------------------

    def confirm(self, cents: int) -> None:
        """確認申請 of USD `cents` and NEXI's 完了 with it as 確認額: refused beyond the 残高."""
        before = self.book()
        with self.app.app_context():
            rate = masters.currencies(today())["USD"].rate
            answers = l01_request(amount=usd(cents))
        number = self.apply(L01, answers)
        decide(self.staff, number, "accept")
        page = decide(self.staff, number, "complete", confirmed_amount=usd(cents))
        if limits.yen(cents, 2, rate) > before.balance:
            assert any(REFUSED_L01 in message for message in page.messages), page.messages
            assert self.status(number) == Status.REVIEWING
            assert self.changed() == before, "a refused 完了 changed the amounts"
        else:
            assert self.status(number) == Status.COMPLETED, page.messages + page.error_summary
            assert self.changed().reserved == before.reserved + limits.yen(cents, 2, rate)

    @initialize(cents=CENTS)
    def first_confirmation(self, cents):
        self.confirm(cents)

    @precondition(lambda self: len(self.book().open_confirmations()) < 3)  # a third adds nothing new
    @rule(cents=CENTS)
    def l01_confirmation(self, cents):
        self.confirm(cents)

    # --- IA1 ------------------------------------------------------------------------------------

    @precondition(lambda self: self.book().open_confirmations(self.day))
    @rule(pick=PICK, share=SHARE, outcome=OUTCOME, stale=st.sampled_from([False, False, False, True]))
    def ia1_application(self, pick, share, outcome, stale):
        """申込む quoting one of the 確認 open today (or, `stale`, any: one over or past its 有効期限 is
        refused) for a 船後保険価額 of a share of its 残額 (above 100 % refused), earmarked; then its
        outcome, or (保留) the application pends for a later step to end."""
        before = self.book()
        offered = before.confirmations if stale else before.open_confirmations(self.day)
        quoted = offered[pick % len(offered)]
        cents = share_of(quoted.remaining or quoted.amount, share) + 1  # two instalments of at least 0.01
        half = cents // 2
        with self.app.app_context():
            answers = ia1_answers(
                money={"contract_amount": usd(cents)}, cover=credit(quoted.number),
                schedule=[(days(60), usd(half)), (days(90), usd(cents - half))],
            )  # fmt: skip
        if quoted not in before.open_confirmations(self.day) or cents > quoted.remaining:
            self.refused(before, walk(self.portal, ENDPOINT, answers), "confirmation_number", "確認")
            return
        number = self.apply(ENDPOINT, answers)
        after = self.changed()
        assert [mark.amount for mark in after.marks if mark not in before.marks] == [cents]
        if outcome == PENDS:
            self.pending.append(number)
        else:
            self.end(number, outcome)

    @precondition(lambda self: self.pending)
    @rule(pick=PICK, outcome=OUTCOME.filter(lambda outcome: outcome != PENDS))
    def ia1_outcome(self, pick, outcome):
        """The outcome of an IA1 left pending (the clock may have moved, its 確認 expired or been given back)."""
        self.end(self.pending.pop(pick % len(self.pending)), outcome)

    def end(self, number: str, outcome: str) -> None:
        """取下げ by the customer (4-4) or 不承認 by NEXI give the earmark back; NEXI's 完了 with the
        proposed 保険料 and 保険責任開始日 turns it into the new policy's 使用額."""
        if outcome == "取下げ":
            self.portal.go("status.detail", {"number": number})
            page = self.portal.go("status.withdraw", {"number": number, "confirmed": "yes"})
            assert self.status(number) == Status.WITHDRAWN, page.messages
        elif outcome == "不承認":
            decide(self.staff, number, "accept")
            page = decide(self.staff, number, "reject", comment="引受できません")
            assert self.status(number) == Status.REJECTED, page.messages
        else:
            self.complete(number)

    # --- L02 ------------------------------------------------------------------------------------

    def returnable(self) -> list[Held]:
        return [row for row in self.book().open_confirmations(self.day) if row.remaining > 0]

    @precondition(lambda self: self.returnable())
    @rule(pick=PICK, share=SHARE, whole=st.booleans())
    def l02_reserved(self, pick, share, whole):
        """予約分 (flow A): 全部, or a share of the 確認's 残額 (above it: refused at the field)."""
        before = self.book()
        target = self.returnable()[pick % len(self.returnable())]
        amount = share_of(target.remaining, share)
        answers = {
            "target": {"target_kind": "予約分", "confirmation_number": target.number},
            "content": {"reason": "契約不成立", "return_kind": "全部" if whole else "一部",
                        "amount": "" if whole else usd(amount)},
        }  # fmt: skip
        if not whole and amount > target.remaining:
            self.refused(before, walk(self.portal, "limits.give_back", answers), "amount", "戻し金額は確認の残額")
            return
        assert self.status(self.apply("limits.give_back", answers)) == Status.COMPLETED

    def holding_use(self) -> list[Covered]:
        return [
            row for row in self.book().policies
            if row.used_jpy > 0 and row.credit_outstanding > 0 and row.state != PolicyState.CANCELLED
        ]  # fmt: skip

    @precondition(lambda self: self.holding_use())
    @rule(pick=PICK, share=SHARE, whole=st.booleans())
    def l02_used(self, pick, share, whole):
        """使用分 (flow R) and NEXI's 完了: a share of the credit-covered outstanding, or all of it."""
        before = self.book()
        target = self.holding_use()[pick % len(self.holding_use())]
        amount = share_of(target.credit_outstanding, share)
        answers = {
            "target": {"target_kind": "使用分", "policy_number": f"{target.number}-00"},
            "content": {"reason": "金額減少", "return_kind": "全部" if whole else "一部",
                        "amount": "" if whole else usd(amount)},
        }  # fmt: skip
        if not whole and amount > target.credit_outstanding:
            page = walk(self.portal, "limits.give_back", answers)
            self.refused(before, page, "amount", "戻し金額は信用危険てん補対象の残額")
            return
        self.complete(self.apply("limits.give_back", answers))

    # --- L03 ------------------------------------------------------------------------------------

    def settleable(self) -> list[Covered]:
        states = (PolicyState.IN_FORCE, PolicyState.PART_SETTLED, PolicyState.LOSS)
        return [row for row in self.book().policies if row.state in states and row.outstanding > 0]

    @precondition(lambda self: self.settleable())
    @rule(pick=PICK, share=SHARE, whole=st.booleans())
    def l03_settlement(self, pick, share, whole):
        """決済通知 (flow A) in due order, on the first shipment's day or later (the clock moves on)."""
        before = self.book()
        target = self.settleable()[pick % len(self.settleable())]
        self.move_clock(max(self.day, target.first_shipment_on))
        amount = share_of(target.outstanding, share)
        answers = {
            "policy": {"policy_number": f"{target.number}-00"},
            "settlement": {"instalment": "", "settled_on": self.day.isoformat(),
                           "settle_kind": "全額" if whole else "一部", "amount": "" if whole else usd(amount)},
        }  # fmt: skip
        if not whole and amount > target.outstanding:
            self.refused(before, walk(self.portal, "limits.settlement", answers), "amount", "決済金額は未決済額")
            return
        assert self.status(self.apply("limits.settlement", answers)) == Status.COMPLETED

    # --- IA2 ------------------------------------------------------------------------------------

    def changeable(self) -> list[Covered]:
        return [row for row in self.book().policies if row.state in (PolicyState.IN_FORCE, PolicyState.PART_SETTLED)]

    @precondition(lambda self: self.changeable())
    @rule(pick=PICK, share=st.integers(min_value=40, max_value=100))
    def ia2_decrease(self, pick, share):
        """金額減額 to `share` % and NEXI's 完了 with the proposed 返還保険料 (not below what was
        settled, and 100 % is no decrease: refused at the field)."""
        before = self.book()
        target = self.changeable()[pick % len(self.changeable())]
        amount = target.contract_amount * share // 100
        answers = {
            "target": {"policy_number": target.number, "branch": "00", "occurred_on": self.day.isoformat(),
                       "reason": "契約の変更のため", "kinds": ["decrease"]},
            "content": {"decreased_amount": usd(amount)},
        }  # fmt: skip
        if not target.settled <= amount < target.contract_amount:
            page = walk(self.portal, "insurance.individual_change", answers)
            self.refused(before, page, "decreased_amount", "新契約金額は")
            return
        self.complete(self.apply("insurance.individual_change", answers))

    # --- the daily job ------------------------------------------------------------------------------

    @precondition(lambda self: self.book().open_confirmations())
    @rule(pick=PICK)
    def run_daily_expiry(self, pick):
        """`run-daily --date` the day after an open 確認's 有効期限 (the clock moves there): every
        open 確認 valid through an earlier day becomes 期限切れ."""
        held = self.book().open_confirmations()
        day = max(self.day, held[pick % len(held)].valid_until + timedelta(days=1))
        expected = sum(1 for row in held if row.valid_until < day)
        output = self.app.test_cli_runner().invoke(args=["run-daily", "--date", day.isoformat()]).output
        assert f"期限切れにした確認: {expected}件" in output, output
        self.move_clock(day)

    # --- after every step ---------------------------------------------------------------------------

    @invariant()
    def sums_hold_and_nothing_goes_below_zero(self):
        book = self.changed()
        reserved = sum(row.reserved_jpy for row in book.open_confirmations())
        reserved += sum(mark.amount_jpy for mark in book.marks if mark.state == EarmarkState.OPEN)
        assert book.reserved == reserved, "予約額 is not Σ 予約残円 of the open 確認 + Σ their open earmarks"
        used = sum(row.used_jpy for row in book.policies if row.confirmation is not None)
        assert book.used == used, "使用額 is not Σ 使用額円 of the policies covered by the buyer's 確認"
        assert book.balance >= 0, f"残高 {book.balance:,} < 0"
        for row in book.confirmations:
            marks = [mark for mark in book.marks if mark.confirmation == row.number]
            assert row.remaining >= 0 and min(row.earmarked, row.used, row.returned, row.reserved_jpy) >= 0, row
            assert row.earmarked == sum(mark.amount for mark in marks if mark.state == EarmarkState.OPEN), row
            assert row.used == sum(mark.amount for mark in marks if mark.state == EarmarkState.USED), row
            if row.state not in OPEN_CONFIRMATION:
                assert row.reserved_jpy == 0, row
                continue
            # yen are moved, never made: 予約残円 + the yen of its earmarks (open or used) = 確認額円
            # (less, once part was given back: the 予約残円 left then is floored again)
            moved = row.reserved_jpy + sum(mark.amount_jpy for mark in marks if mark.state != EarmarkState.RELEASED)
            assert moved <= row.amount_jpy if row.returned else moved == row.amount_jpy, (row, marks)
        for row in book.policies:
            assert row.used_jpy >= 0 and row.credit_outstanding >= 0, row
            assert row.credit_outstanding > 0 or row.used_jpy == 0, row  # nothing left behind


@pytest.fixture
def accounting(app, monkeypatch):
    """The machine bound to this test's app and monkeypatch (hypothesis makes one per example)."""
    Accounting.app, Accounting.monkeypatch = app, monkeypatch
    yield Accounting
    Accounting.app = Accounting.monkeypatch = None


def test_any_sequence_of_procedures_keeps_the_sums_and_no_balance_below_zero(accounting):
    run_state_machine_as_test(
        accounting,
        settings=settings(
            max_examples=10, stateful_step_count=6, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )


def test_a_policy_whose_tariff_premium_is_0_yen_can_be_completed(accounting):
    """The smallest sequence the test above found failing, replayed: an IA1 of USD 10.01 quoting a
    確認, for which the §6 tariff proposes 保険料 0円; the result form accepts 0 (zero=True), but
    its 完了 is refused with 「保険料と保険責任開始日を入力してください。」 and the IA1 stays 審査中
    (nexi/procedures/insurance/completion.py reads the 保険料 0 as missing)."""
    state = accounting()
    state.first_confirmation(cents=100_000)  # USD 1,000.00
    state.sums_hold_and_nothing_goes_below_zero()
    state.ia1_application(pick=0, share=1, outcome="完了", stale=False)  # USD 10.01 = 1 % of it + 0.01
