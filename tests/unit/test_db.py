"""The request transaction on SQLite: the write lock first, then reads beside other writers. On
PostgreSQL: pooled connections are tested before use only after sitting idle."""

import pytest
from sqlalchemy import text

from nexi import db


@pytest.fixture
def sqlite_only(app):
    if not app.config["NEXI_DATABASE_URL"].startswith("sqlite"):
        pytest.skip("the write lock is SQLite's (PostgreSQL locks the guard's row)")


def test_a_request_reads_and_writes_under_the_write_lock_until_it_is_done_writing(app, sqlite_only):
    with app.test_request_context("/"):
        connection = db.session().connection()
        assert connection.info.get("nexi_writer") is True  # BEGIN IMMEDIATE, behind the lock
        db.done_writing()
        reading = db.session().connection()
        reading.execute(text("SELECT 1"))
        assert not reading.info.get("nexi_writer")  # a plain BEGIN: other requests may write meanwhile
        db.session().commit()


def test_after_a_rollback_a_request_that_was_done_writing_may_write_again(app, sqlite_only):
    """The navigation guard's fallback for a screen that failed to render writes the user page."""
    with app.test_request_context("/"):
        db.session().connection()
        db.done_writing()
        db.session().connection().execute(text("SELECT 1"))
        db.rollback()
        assert db.session().connection().info.get("nexi_writer") is True  # behind the lock again
        db.session().commit()


@pytest.fixture
def postgresql_engine(app):
    """An engine of its own, so that the connections these tests break are none of the app's."""
    url = app.config["NEXI_DATABASE_URL"]
    if not url.startswith("postgresql"):
        pytest.skip("pooled connections to a server are PostgreSQL's")
    engine = db.make_engine(url)
    yield engine
    engine.dispose()


def _backend(connection) -> int:
    return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_pooled_connection_idle_for_a_while_is_tested_and_replaced_if_the_server_dropped_it(
    app, postgresql_engine, monkeypatch
):
    with postgresql_engine.connect() as connection:
        dropped = _backend(connection)
    with app.app_context(), db.engine().begin() as admin:  # the server ends it while it sits in the pool
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has been idle long enough
    with postgresql_engine.connect() as connection:
        assert _backend(connection) != dropped  # replaced before use, not an error for the request


def test_a_connection_back_in_use_within_seconds_is_not_pinged(postgresql_engine, monkeypatch):
    pings = []
    monkeypatch.setattr(postgresql_engine.dialect, "do_ping", lambda connection: pings.append(connection) or True)
    for _ in range(3):
        with postgresql_engine.connect() as connection:
            _backend(connection)
    assert pings == []  # a round trip saved on every request under load
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    with postgresql_engine.connect() as connection:
        _backend(connection)
    assert len(pings) == 1


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_the_write_lock_is_released_only_once_the_transaction_has_ended(app, sqlite_only, monkeypatch, ending):
    """Released earlier, the next request's BEGIN IMMEDIATE finds SQLite still locked and sleeps in
    its busy handler while it holds the lock, and every other request waits behind it."""
    still_open = []
    release = db.WriterLock.release

    def watched(lock):
        still_open.append(dbapi_connection.in_transaction)
        release(lock)

    monkeypatch.setattr(db.WriterLock, "release", watched)
    with app.test_request_context("/"):
        connection = db.session().connection()
        dbapi_connection = connection.connection.dbapi_connection
        connection.execute(text("UPDATE customer SET name_en = name_en"))
        getattr(db.session(), ending)()
    assert still_open == [False]
