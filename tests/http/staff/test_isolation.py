"""S.1: a customer's session never authenticates a staff request, nor a staff session a customer's
(each area has its own cookie, signed apart, and its own session rows)."""

from sqlmodel import select

from nexi import db
from nexi.models import AuditEvent
from tests.support.portal import Portal
from tests.support.staff import STAFF_COOKIE, StaffPortal


def test_a_customer_session_reaches_no_staff_screen(app, portal):
    portal.login("demo-admin")
    assert portal.get(portal.url("staff.current")).h1 == "職員ログイン"
    # A staff action posted with the customer's navigation token (and the CSRF token of the staff
    # login page just shown, so that CSRF is not what stops it): the staff login, nothing run.
    for endpoint in ("staff.home", "staff.accounts", "staff.password"):
        page = portal.go(endpoint)
        assert page.h1 == "職員ログイン", endpoint
    assert portal.get(portal.url("home.current")).h1 == "ユーザーページ"  # its own session lives on


def test_a_staff_session_reaches_no_customer_screen(app, staff):
    staff.login("demo-manager")
    assert staff.get(staff.url("home.current")).h1 == "ログイン"
    for endpoint in ("home.home", "home.notices", "users.password", "status.index"):
        page = staff.go(endpoint)
        assert page.h1 == "ログイン", endpoint
    assert staff.current().h1 == "職員コンソール"


def test_a_cookie_copied_into_the_other_area_opens_nothing(app, portal, staff):
    portal.login("demo-admin")
    staff.login("demo-manager")
    customer_cookie = portal.client.get_cookie("nexi_session").value
    staff_cookie = staff.client.get_cookie(STAFF_COOKIE).value

    thief = StaffPortal(app, app.test_client())
    thief.client.set_cookie(STAFF_COOKIE, customer_cookie)
    assert thief.current().h1 == "職員ログイン"
    other = Portal(app, app.test_client())
    other.client.set_cookie("nexi_session", staff_cookie)
    assert other.get(other.url("home.current")).h1 == "ログイン"


def test_one_browser_holds_both_logins_apart(app, staff):
    """A customer login and a staff login in one browser: two cookies, neither disturbs the other."""
    customer = Portal(app, staff.client)
    customer.login("demo-admin")
    staff.login("demo-manager")
    assert customer.get(customer.url("home.current")).h1 == "ユーザーページ"
    assert staff.current().h1 == "職員コンソール"
    assert staff.client.get_cookie("nexi_session") and staff.client.get_cookie(STAFF_COOKIE)


def test_customer_screens_never_show_a_staff_name(app, staff, portal):
    staff.login("demo-manager")
    portal.login("demo-admin")
    for page in (portal.get(portal.url("home.current")), portal.go("status.index"), portal.go("users.manage")):
        assert "清水" not in page.text() and "木村" not in page.text()


def test_a_staff_guard_event_names_the_staff_member_not_a_web_user(app, staff):
    staff.login("demo-manager")
    staff.go("staff.home", token=False)
    with app.app_context():
        event = db.session().exec(select(AuditEvent).where(AuditEvent.kind == "guard.invalid")).one()
    assert event.staff_user_id is not None and event.user_id is None and event.customer_id is None


def test_a_typed_staff_address_shows_the_current_staff_screen_or_the_staff_login(app, staff):
    assert staff.get("/staff/accounts").h1 == "職員ログイン"  # a POST-only address, no login
    staff.login("demo-manager")
    page = staff.get("/staff/accounts")
    assert page.h1 == "職員コンソール"
    assert "URLの直接入力" in page.text(".messages")
