import pytest

from tests.support.contracts import empty_contract_book  # noqa: F401  (tests written against an empty book)
from tests.support.staff import StaffPortal


@pytest.fixture
def staff(app):
    """A staff member's browser without JavaScript."""
    return StaffPortal(app, app.test_client(), "plain")


@pytest.fixture(params=["plain", "htmx"])
def staff_both(request, app):
    """The same staff test with JavaScript off and on."""
    return StaffPortal(app, app.test_client(), request.param)


@pytest.fixture
def other_staff(app):
    """A second staff browser."""
    return StaffPortal(app, app.test_client(), "plain")
