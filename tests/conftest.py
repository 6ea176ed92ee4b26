"""Fixtures shared by every test: the database (SQLite, or PostgreSQL when
NEXI_TEST_DATABASE_URL names one), the app, and clients that use the portal as a browser would."""

import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from flask import template_rendered
from sqlalchemy import select, text
from sqlmodel import SQLModel

from nexi import cache, create_app, db, demo
from nexi.forms import NexiForm
from nexi.models.master import MASTER_TABLES
from tests.support.portal import Portal

# Every app the tests create (base_app, the procedure tests' own, tests/bench's and the gunicorn it
# starts) reads these: the app refuses to start without NEXI_ENV, and the suite logs in from one
# address far more often than the login throttle allows (tests/http/auth/test_throttle.py turns it on).
os.environ["NEXI_ENV"] = "test"
os.environ["NEXI_LOGIN_RATE"] = "1000000"


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
            "NEXI_ENV": "test",
            "NEXI_DATABASE_URL": database_url,
            "NEXI_PASSWORD_HASH": "fast",
            "NEXI_SQL_COUNT": True,
            "NEXI_NOTICE_CACHE_SECONDS": 0,  # tests publish notices between requests
            "NEXI_MASTER_CACHE_SECONDS": 0,  # and add master versions
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        if db.engine().dialect.name == "postgresql":
            with db.engine().begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        from nexi.cli import upgrade_database

        upgrade_database()
        app.extensions["nexi_test_snapshot"] = _seed_once(db.engine())
    return app


class Snapshot:
    """The database every test starts from: the masters as the migrations loaded them and the demo
    data, seeded once per session. A test starts from a copy of its rows (on SQLite, of its
    pages) rather than from the seeding code run again, which grew with every model and demo row.

    SQLite copies it back with its backup API (a page copy). PostgreSQL empties every table with
    TRUNCATE, inserts the snapshot's rows and sets each id sequence past the highest id, as a fresh
    load would leave them. (DELETE was faster, but new rows then fill the space of deleted ones,
    and a query without ORDER BY no longer reads in insertion order as on a fresh database.)"""

    def __init__(self, engine):
        self.engine = engine
        self.tables = SQLModel.metadata.sorted_tables  # parents before children
        with engine.connect() as connection:
            self.rows = {table: _rows(connection, table) for table in self.tables}
        serials = [table for table in self.tables if table.autoincrement_column is not None]
        self.sequences = ", ".join(
            f"setval(pg_get_serial_sequence('{table.name}', '{table.autoincrement_column.name}'), "
            f"{max((row[table.autoincrement_column.name] for row in self.rows[table]), default=0) + 1}, false)"
            for table in serials
        )
        self.copy = None
        if engine.dialect.name == "sqlite":
            self.copy = sqlite3.connect(":memory:")
            self._backup(lambda live: live.backup(self.copy))

    def _backup(self, copy) -> None:
        connection = self.engine.raw_connection()
        try:
            copy(connection.driver_connection)
        finally:
            connection.close()

    def restore(self) -> None:
        if self.copy is not None:
            self._backup(self.copy.backup)
            return
        with self.engine.begin() as connection:
            connection.execute(text("TRUNCATE " + ", ".join(f'"{table.name}"' for table in self.tables)))
            for table in self.tables:
                if self.rows[table]:
                    connection.execute(table.insert(), self.rows[table])
            if self.sequences:
                connection.execute(text(f"SELECT {self.sequences}"))


def _rows(connection, table) -> list[dict]:
    return [dict(row._mapping) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]


def _seed_once(engine) -> Snapshot:
    """Seed the demo data on the migrated database and take the snapshot. Masters are loaded by
    the migrations alone (nexi/models/master.py): a table the migrations fill must be declared
    one, and the demo data must leave them as they are."""
    with engine.connect() as connection:
        filled = {table.name for table in SQLModel.metadata.sorted_tables if _rows(connection, table)}
        masters = {table: _rows(connection, table) for table in SQLModel.metadata.sorted_tables
                   if table.name in MASTER_TABLES}  # fmt: skip
    assert filled == MASTER_TABLES, (
        f"the migrations load rows into {sorted(filled)}; the masters declared in nexi/models/master.py "
        f"are {sorted(MASTER_TABLES)}"
    )
    demo.seed()
    db.session().close()
    snapshot = Snapshot(engine)
    changed = [table.name for table, rows in masters.items() if snapshot.rows[table] != rows]
    assert not changed, f"demo.seed() changed the master tables {changed}: masters are loaded by migrations"
    return snapshot


def reset_database(app) -> None:
    """Put the database back to the session's snapshot: the demo data as seeded, the masters as
    migrated (a row a test added to a master is removed, one it changed restored), and forget
    what the process keeps of them (nexi/cache.py: countries, notices)."""
    app.extensions["nexi_test_snapshot"].restore()
    cache.clear()


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
