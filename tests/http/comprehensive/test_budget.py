"""K01–K03's screens (the generic procedure screens with the 8章 forms, and NEXI's review and 完了
screens) render within the statement budget of tests/http/test_statement_budget.py, as B01's do."""

import pytest

from tests.http.comprehensive.helpers import K01, K02, K03, k01, k02, k03
from tests.http.staff.test_review import decide, open_review
from tests.http.test_statement_budget import BUDGET, statements


def walked(portal, endpoint: str, answers: dict) -> list[dict]:
    states = []
    page = portal.go(endpoint)
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
    return states


@pytest.mark.parametrize(
    ("endpoint", "answers"),
    [
        (K01, lambda rider: k01(rider, {"department": "EXP01"}, {"settlement_method": "L/C一覧払",
                                                                "lc_bank_code": "205-000501"})),
        (K02, lambda rider: k02(rider)),
        (K03, lambda rider: k03(rider, new_destination="305", new_usance_days="60")),
        (K03, lambda rider: k03(rider, kind="削除")),
    ],
)  # fmt: skip
def test_each_screen_renders_within_the_budget(portal, staff, day, endpoint, answers):
    portal.login("demo-admin")
    states = walked(portal, endpoint, answers(f"T{day}00001"))
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
