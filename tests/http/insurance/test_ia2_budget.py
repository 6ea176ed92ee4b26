"""IA2's screens (the generic procedure screens with the 9-5 forms, and NEXI's review and 完了
screens of an IA2) render within the statement budget of tests/http/test_statement_budget.py,
however many policies the customer holds (one statement lists them)."""

import pytest

from tests.http.insurance.helpers import IA2, IA2_TODAY, ia2, ia2_confirmation, ia2_policy
from tests.http.staff.test_review import decide, open_review
from tests.http.test_statement_budget import BUDGET, statements


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", IA2_TODAY)


def test_each_ia2_screen_renders_within_the_budget(app, portal, staff):
    number = ia2_policy(app)
    for _ in range(5):
        ia2_policy(app)
    quoted = ia2_confirmation(app, 5_000_000)
    answers = ia2(
        number,
        "increase",
        "destination",
        "settlement",
        increased_amount="140,000.00",
        confirmation_number=quoted,
        new_destination="234",
        extended_instalment="1",
        new_due_on="2026-07-15",
    )
    portal.login("demo-admin")
    states = []
    page = portal.go(IA2)
    states.append(portal.state())
    if "手続きの流れ" in page.h1:
        portal.go("procedure.intro", {"action": "next"})
        states.append(portal.state())
    for values in answers.values():
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
        states.append(portal.state())
    assert states[-1]["screen"] == "procedure.confirm"
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    states.append(portal.state())
    counts = {}
    for state in states:
        count, page = statements(portal, state)
        counts[f"{state['screen']} {page.h1}"] = count
    web = states[-1]["procedure"]["number"]
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    page = open_review(staff, web)
    for screen in (staff.state(), None):
        if screen is None:
            version = page.one("input[name=version]")["value"]
            staff.go("staff.decide", {"decision": "complete", "version": version})
            screen = staff.state()
        count, shown = statements(staff, screen)
        counts[f"{screen['screen']} {shown.h1}"] = count
    assert all(count <= BUDGET for count in counts.values()), list(counts.items())
