"""The engine's 申込む and 取下げ / 不承認 hooks (Procedure.submitted, .ended), on its test procedure:
the hook runs in 申込む's transaction and may stop it at a field with nothing changed; 取下げ by the
customer and 不承認 or 取下げ by NEXI give back what it took (the earmarks of §10 use them)."""

from dataclasses import replace

import pytest

from nexi import applications
from nexi.models import Status
from nexi.procedures import registry
from tests.http.procedure.test_engine_features import reach_confirm, record
from tests.http.staff.test_review import decide
from tests.support import sample
from tests.support.staff import StaffPortal


class Calls:
    def __init__(self):
        self.seen: list[tuple] = []
        self.refuse = False

    def submitted(self, application, context, first):
        if self.refuse:
            raise applications.Conflict("確認の残額が不足しています", step="target", field="target_code")
        self.seen.append(("submitted", application.number, first, context.values.get("target_code")))

    def ended(self, application):
        self.seen.append(("ended", application.number))


@pytest.fixture
def calls(monkeypatch):
    """T01 with hooks that note each call; `calls.refuse = True` makes 申込む's hook refuse."""
    noted = Calls()
    hooked = replace(sample.SAMPLE, submitted=noted.submitted, ended=noted.ended)
    monkeypatch.setitem(registry.PROCEDURES, "T01", hooked)
    return noted


def submitted_number(portal) -> str:
    portal.login()
    page = reach_confirm(portal)
    number = page.text(".panel .number")
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.h1.endswith("（申込完了）"), page.error_summary
    return number


def test_the_submit_hook_runs_once_at_the_first_submission(sample_portal, calls):
    number = submitted_number(sample_portal)
    assert calls.seen == [("submitted", number, True, "X-1")]


def test_a_refusing_hook_stops_the_submission_at_its_field_with_nothing_changed(sample_app, sample_portal, calls):
    calls.refuse = True
    sample_portal.login()
    page = reach_confirm(sample_portal)
    number = page.text(".panel .number")
    page = sample_portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert page.field_error("target_code") == "確認の残額が不足しています"
    assert record(sample_app, number).status == Status.DRAFT
    assert record(sample_app, number).version == 0  # the 申込む's UPDATE was rolled back with the hook


def test_the_customers_withdrawal_runs_the_end_hook(sample_app, sample_portal, calls):
    number = submitted_number(sample_portal)
    sample_portal.go("status.withdraw", {"number": number, "confirmed": "yes"})
    assert record(sample_app, number).status == Status.WITHDRAWN
    assert calls.seen[-1] == ("ended", number)


@pytest.mark.parametrize("key", ["reject", "withdraw"])
def test_nexis_rejection_or_withdrawal_runs_the_end_hook(sample_app, sample_portal, calls, key):
    number = submitted_number(sample_portal)
    staff = StaffPortal(sample_app, sample_app.test_client(), "plain")
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    decide(staff, number, key, comment="理由")
    assert record(sample_app, number).status == (Status.REJECTED if key == "reject" else Status.WITHDRAWN)
    assert calls.seen[-1] == ("ended", number)


def test_a_return_keeps_what_the_submission_took(sample_app, sample_portal, calls):
    number = submitted_number(sample_portal)
    staff = StaffPortal(sample_app, sample_app.test_client(), "plain")
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    decide(staff, number, "return", comment="修正してください")
    assert record(sample_app, number).status == Status.RETURNED
    assert [call[0] for call in calls.seen] == ["submitted"]
