"""run-daily's automatic 使用額 release (DOMAIN.md 10-3, C.5): a policy with neither 決済通知 nor a
loss notice releases its remaining 使用額 NEXI_AUTO_RELEASE_DAYS after its last 決済期限; idempotent."""

from datetime import date

import pytest

from nexi.models import PolicyState
from tests.http.limits.test_l02 import covered_policy_of, made, own_and_other, policy_row
from tests.http.limits.test_l03 import SCHEDULE, answers
from tests.support import losses
from tests.support.procedures import submit

LAST_DUE = date(2026, 10, 1)  # of SCHEDULE; + 90 days = 2026-12-30


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


def run_daily(app, day: str) -> str:
    result = app.test_cli_runner().invoke(args=["run-daily", "--date", day])
    assert result.exit_code == 0, result.output
    return result.output


def held(app, key) -> tuple[int, int]:
    row = policy_row(app, key)
    return row.credit_outstanding, row.used_jpy


def test_the_use_is_released_from_the_ninetieth_day_after_the_last_due_date_once(app):
    (mine, user), (other, other_user) = own_and_other(app)
    key = covered_policy_of(app, mine, user, SCHEDULE)
    theirs = covered_policy_of(app, other, other_user, SCHEDULE)  # the job runs for every customer
    assert "使用額を自動解放した保険: 0件" in run_daily(app, "2026-12-29")
    assert held(app, key) == (10_000_000, 15_123_000)
    assert "使用額を自動解放した保険: 2件" in run_daily(app, "2026-12-30")
    assert held(app, key) == held(app, theirs) == (0, 0)
    assert "使用額を自動解放した保険: 0件" in run_daily(app, "2026-12-30")  # idempotent
    assert "使用額を自動解放した保険: 0件" in run_daily(app, "2027-01-15")
    assert policy_row(app, key).state == PolicyState.IN_FORCE  # nothing was settled


def test_the_number_of_days_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_AUTO_RELEASE_DAYS", 10)
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, SCHEDULE)
    assert "使用額を自動解放した保険: 0件" in run_daily(app, "2026-10-10")
    assert "使用額を自動解放した保険: 1件" in run_daily(app, "2026-10-11")
    assert held(app, key) == (0, 0)


def test_a_policy_with_a_settlement_notice_keeps_its_use(app, portal):
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, SCHEDULE)
    portal.login("demo-user")
    submit(portal, "limits.settlement", answers(key, amount="1,000.00"))
    before = held(app, key)
    assert "使用額を自動解放した保険: 0件" in run_daily(app, "2027-03-01")
    assert held(app, key) == before == (9_900_000, 15_123_000 - 151_230)


def test_a_policy_with_a_loss_notice_keeps_its_use(app, monkeypatch):
    (mine, user), _other = own_and_other(app)
    key = covered_policy_of(app, mine, user, SCHEDULE)
    made(app, lambda: losses.notice_on(policy_row(app, key).id))
    assert "使用額を自動解放した保険: 0件" in run_daily(app, "2027-03-01")
    assert held(app, key) == (10_000_000, 15_123_000)
