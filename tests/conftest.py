"""Fixtures shared by every test: the database (SQLite, or PostgreSQL when
NEXI_TEST_DATABASE_URL names one), the app, and clients that use the portal as a browser would."""

import os
import tempfile
from pathlib import Path

import pytest
from flask import template_rendered
from sqlalchemy import text
from sqlmodel import SQLModel

from nexi import create_app, db, demo
from nexi.forms import NexiForm
from tests.support.portal import Portal


@pytest.fixture(scope="session")
def database_url():
    url = os.environ.get("NEXI_TEST_DATABASE_URL")
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="nexi-test-")
    yield f"sqlite:///{Path(folder) / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def base_app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "NEXI_DATABASE_URL": database_url,
            "NEXI_PASSWORD_HASH": "fast",
            "NEXI_SQL_COUNT": True,
            "NEXI_NOTICE_CACHE_SECONDS": 0,  # tests publish notices between requests
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        if db.engine().dialect.name == "postgresql":
            with db.engine().begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        from nexi.cli import upgrade_database

        upgrade_database()
    return app


MASTER_TABLES = {"country"}  # loaded by the migrations, like in production


def reset_database(app) -> None:
    """Empty every table but the masters and load the demo data again."""
    with app.app_context():
        engine = db.engine()
        tables = [table for table in SQLModel.metadata.sorted_tables if table.name not in MASTER_TABLES]
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                names = ", ".join(f'"{table.name}"' for table in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    connection.execute(table.delete())
        demo.seed()
        db.session().close()


@pytest.fixture
def app(base_app, monkeypatch):
    reset_database(base_app)
    # Settings a test changes with monkeypatch.setitem(app.config, …) are restored afterwards.
    yield base_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def portal(app):
    """A portal client without JavaScript (plain form posts, full pages)."""
    return Portal(app, app.test_client(), "plain")


@pytest.fixture(params=["plain", "htmx"])
def both(request, app):
    """The same test with JavaScript off (plain) and on (htmx fragments)."""
    return Portal(app, app.test_client(), request.param)


@pytest.fixture
def other_portal(app):
    """A second, independent browser."""
    return Portal(app, app.test_client(), "plain")


@pytest.fixture(autouse=True)
def _forms_are_passed_as_form(request):
    """STYLE.md 8: the layout prints the error summary of `form`, so the main form must be passed
    under that name and no other."""
    if "base_app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("base_app")
    misnamed = []

    def check(_sender, template, context, **_extra):
        for name, value in context.items():
            if isinstance(value, NexiForm) and name != "form":
                misnamed.append((template.name, name))

    template_rendered.connect(check, app)
    yield
    template_rendered.disconnect(check, app)
    assert not misnamed, f"forms passed under another name than 'form': {misnamed}"


@pytest.fixture
def app_client_sharing_cookies(app):
    """Another tab of the same browser: a client holding the same session cookie."""

    def make(portal):
        client = app.test_client()
        client.set_cookie("nexi_session", portal.client.get_cookie("nexi_session").value)
        return Portal(app, client, portal.transport)

    return make
