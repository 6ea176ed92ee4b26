"""The engine's own test procedure (tests/support/sample.py), declared for the session on an app
of its own: a procedure's start route is mounted when an app is made (nexi/blueprints/procedure
mount), and the suite's app was made before it was declared."""

import pytest

from nexi import create_app
from nexi import help as help_texts
from nexi.procedures import registry
from tests.support import sample
from tests.support.portal import Portal


@pytest.fixture(scope="session")
def sample_base(base_app):
    for procedure in (sample.SAMPLE, sample.TWIN):
        registry.declare(procedure)
    help_texts.add(sample.HELP)
    keys = (
        "TESTING",
        "NEXI_DATABASE_URL",
        "NEXI_PASSWORD_HASH",
        "NEXI_SQL_COUNT",
        "NEXI_NOTICE_CACHE_SECONDS",
        "NEXI_MASTER_CACHE_SECONDS",
    )
    app = create_app({key: base_app.config[key] for key in keys} | {"SERVER_NAME": None})
    app.extensions["nexi_test_snapshot"] = base_app.extensions["nexi_test_snapshot"]
    yield app
    for procedure in (sample.SAMPLE, sample.TWIN):
        registry.withdraw(procedure.code)
    help_texts.remove(sample.HELP)


@pytest.fixture
def sample_app(sample_base, app):
    """The test procedure's app, on the database `app` has just reset."""
    return sample_base


@pytest.fixture
def sample_portal(sample_app):
    return Portal(sample_app, sample_app.test_client(), "plain")


@pytest.fixture(params=["plain", "htmx"])
def sample_both(request, sample_app):
    return Portal(sample_app, sample_app.test_client(), request.param)
