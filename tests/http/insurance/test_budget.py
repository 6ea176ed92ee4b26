"""IA1's screens (the generic procedure screens with the 9-1 forms, and NEXI's review and 完了
screens of an IA1) render within the statement budget of tests/http/test_statement_budget.py, as
B01's do."""

from tests.http.insurance.helpers import ENDPOINT, confirmed, credit, ia1
from tests.http.staff.test_review import decide, open_review
from tests.http.test_statement_budget import BUDGET, statements

ANSWERS = ia1(
    contract={"guarantor_code": "304-000102", "department": "EXP01"},
    money={"settlement_method": "L/C一覧払", "lc_bank_code": "304-000102"},
)


def test_each_ia1_screen_renders_within_the_budget(app, portal, staff):
    number = confirmed(portal, staff)
    portal.login("demo-admin")
    states = []
    page = portal.go(ENDPOINT)
    states.append(portal.state())
    if "手続きの流れ" in page.h1:
        portal.go("procedure.intro", {"action": "next"})
        states.append(portal.state())
    for step, values in ANSWERS.items():
        values = values | credit(number) if step == "cover" else values
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
