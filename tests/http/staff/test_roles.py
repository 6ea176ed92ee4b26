"""S.1: each staff action checks its role, and the two areas never serve each other's sessions.

The sweeps read the app's routes, so an action added later is covered without being listed: a
staff action replayed by the other role and by a customer, a customer action by staff."""

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import AuditEvent
from nexi.models.staff import MANAGER, REVIEWER

# Staff endpoints open to every staff member (the login, the console, one's own password).
EVERY_STAFF = {
    "staff.login",
    "staff.login_submit",
    "staff.otp",
    "staff.otp_submit",
    "staff.logout",
    "staff.current",
    "staff.home",
    "staff.password",
    "staff.password_submit",
}
HOLDER = {REVIEWER: "demo-reviewer", MANAGER: "demo-manager"}
OTHER = {REVIEWER: MANAGER, MANAGER: REVIEWER}
DENIED = {MANAGER: "管理担当のみ", REVIEWER: "審査担当のみ"}


def endpoints(app, prefix: str) -> list[str]:
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(prefix) and "POST" in rule.methods
        }
    )


def staff_actions(app) -> list[str]:
    return [endpoint for endpoint in endpoints(app, "staff.") if endpoint not in EVERY_STAFF]


def role_of(app, endpoint: str) -> str | None:
    return getattr(app.view_functions[endpoint], "staff_role", None)


def test_every_staff_action_declares_its_role(app):
    missing = [endpoint for endpoint in staff_actions(app) if role_of(app, endpoint) not in (REVIEWER, MANAGER)]
    assert not missing, f"staff actions without a role check (console.role_only): {missing}"
    assert {role_of(app, e) for e in staff_actions(app)} == {REVIEWER, MANAGER}


@pytest.mark.parametrize("role", [REVIEWER, MANAGER])
def test_the_other_role_is_refused_every_action(app, staff, role):
    """Every action of `role`, posted by a staff member holding only the other role."""
    staff.login(HOLDER[OTHER[role]])
    actions = [endpoint for endpoint in staff_actions(app) if role_of(app, endpoint) == role]
    for endpoint in actions:
        page = staff.go(endpoint, {"number": "W20260101000001", "decision": "accept", "version": "0"})
        assert page.h1 == "職員コンソール", endpoint
        assert any(DENIED[role] in message for message in page.messages), endpoint
    with app.app_context():
        denied = db.session().exec(select(AuditEvent.detail).where(AuditEvent.kind == "staff.denied")).all()
    assert sorted(detail["endpoint"] for detail in denied) == sorted(actions)


def test_a_customer_reaches_no_staff_action(app, portal):
    portal.login("demo-admin")
    # The staff login page first: its CSRF token, so that CSRF is not what stops the posts.
    assert portal.get(portal.url("staff.current")).h1 == "職員ログイン"
    for endpoint in staff_actions(app):
        assert portal.go(endpoint).h1 == "職員ログイン", endpoint
    assert portal.get(portal.url("home.current")).h1 == "ユーザーページ"


CUSTOMER_OPEN = {"auth.login_submit", "auth.otp_submit", "auth.logout"}


def test_staff_reach_no_customer_action(app, staff):
    staff.login("demo-manager")
    assert staff.get(staff.url("home.current")).h1 == "ログイン"  # the customers' CSRF token
    for endpoint in endpoints(app, ""):
        if endpoint.startswith("staff.") or endpoint in CUSTOMER_OPEN:
            continue
        page = staff.go(endpoint)
        assert page.h1 == "ログイン", endpoint
    assert staff.current().h1 == "職員コンソール"
