"""The engine and the request-scoped session.

One transaction per request: the session is opened on first use, committed after the view
returns (before the response leaves, so a failed commit is a 500 rather than a silent loss) and
closed at teardown. Outside requests (commands, tests) it lives as long as the app context and
is rolled back and closed with it: commit explicitly.

SQLite needs two adjustments to behave like PostgreSQL under concurrent use:

* The driver's own transaction handling is switched off and SQLAlchemy emits BEGIN itself, so a
  transaction covers the reads that precede its first write.
* Every request's transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock before it
  reads. Two simultaneous submissions of one form then run one after the other and the second
  sees what the first committed (the navigation guard relies on this; PostgreSQL gets the same
  from the row lock of the guard's token UPDATE). Nearly every request writes (the guard's token,
  the session's last activity); a deferred transaction that read first and writes later would
  fail with "database is locked" (SQLITE_BUSY_SNAPSHOT under WAL) instead of waiting its turn.
  Commands and tests outside requests use plain deferred transactions, and so does what a
  request reads after `done_writing()`.
"""

import fcntl
import os
import threading
import time

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import create_engine, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session

from nexi.models.types import UTCDateTime  # noqa: F401 — the migrations name it nexi.db.UTCDateTime


class WriterLock:
    """Mutual exclusion between the threads of all processes using one SQLite file."""

    def __init__(self, path: str):
        self.path = path
        self.thread_lock = threading.Lock()
        self.handle = None
        self.pid = None

    def acquire(self) -> None:
        self.thread_lock.acquire()
        if self.pid != os.getpid():  # first use in this (forked) process
            self.handle = open(self.path, "a+b")  # noqa: SIM115 — held for the process's life
            self.pid = os.getpid()
        fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX)

    def release(self) -> None:
        fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
        self.thread_lock.release()


class _SQLiteHints(SQLiteCompiler):
    """Writes `select.with_hint(table, "INDEXED BY …", "sqlite")` after the table, which
    SQLAlchemy's SQLite compiler leaves out. SQLite's planner (built without STAT4 histograms)
    cannot tell how much of a range matches and did not weigh the LIMIT, so the statements that
    can stop early name the index that lets them (status/queries.py)."""

    def get_from_hint_text(self, table, text):
        return text


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        engine.dialect.statement_compiler = _SQLiteHints

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        # Request transactions queue on a lock instead of SQLite's busy handler, which polls with
        # sleeps of up to 100 ms: under load a process could starve while another one's threads
        # take the database in turn. The lock is a thread lock (within the process) plus an OS
        # file lock (between gunicorn workers), both of which wake the next waiter at once.
        writers = WriterLock(url.removeprefix("sqlite:///") + ".writers")

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            if has_request_context() and not g.get("db_done_writing"):
                writers.acquire()
                connection.info["nexi_writer"] = True
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("BEGIN")

        def _end_then_release(ending: str):
            """SQLAlchemy calls its commit and rollback listeners before it ends the transaction.
            Releasing the lock there let the next request's BEGIN IMMEDIATE find SQLite still
            locked, and SQLite's busy handler sleeps a millisecond or more while that request
            holds the lock (often, under the bench's load). So the
            transaction is ended here, through the driver, and the lock released after it;
            SQLAlchemy's own COMMIT or ROLLBACK that follows finds nothing left to end."""

            def listener(connection):
                if not connection.info.pop("nexi_writer", False):
                    return
                try:
                    driver_connection = connection.connection.dbapi_connection
                    if driver_connection is not None:  # None once SQLAlchemy has invalidated it
                        getattr(driver_connection, ending)()
                finally:
                    writers.release()

            return listener

        event.listen(engine, "commit", _end_then_release("commit"))
        event.listen(engine, "rollback", _end_then_release("rollback"))
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=10)
    _ping_after_idle(engine)
    return engine


# A pooled connection idle longer than this is pinged before a request gets it.
PING_AFTER_IDLE_SECONDS = 5.0


def _ping_after_idle(engine: Engine) -> None:
    """Test a pooled connection before use only when it has been idle for a while.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: on PostgreSQL a round trip per request,
    a fair share of a small fragment. A connection handed back seconds ago by a
    request that just used it is alive; a server restart or a dropped link is what an idle one
    may have missed. One that fails its ping is replaced before the request sees it, as with
    `pool_pre_ping` (the pool retries on DisconnectionError)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        if record is not None:
            record.info["nexi_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        idle_since = record.info.get("nexi_idle_since")  # cleared when the connection is replaced
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the pooled connection failed its ping") from error


def plan_each_run(connection) -> None:
    """For the rest of the transaction, PostgreSQL plans each statement with its parameters.

    psycopg prepares a statement on the server after its fifth run, and PostgreSQL may then use
    one plan for any parameters. Web申込状況一覧's page, planned without knowing its 期間, sorted
    every match of it instead of walking the list's index, several times slower. Planning every
    statement of every request this way slowed the other screens, so only the list asks."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")


def _count_statement(_conn, _cursor, statement, *_args):
    if has_request_context() and not statement.startswith("BEGIN"):
        g.sql_count = g.get("sql_count", 0) + 1


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["NEXI_DATABASE_URL"])
    app.extensions["nexi_engine"] = engine
    if app.config["NEXI_SQL_COUNT"]:
        event.listen(engine, "before_cursor_execute", _count_statement)

        @app.after_request
        def _sql_count_header(response):
            response.headers["X-SQL-Count"] = str(g.get("sql_count", 0))
            return response

    @app.after_request
    def _commit(response):
        db = g.pop("db_session", None)
        if db is not None:
            try:
                if not db.in_transaction():
                    pass  # everything was committed early (commit_early): nothing left to end
                elif response.status_code < 500:
                    db.commit()
                else:
                    db.rollback()
            finally:
                db.close()
        return response

    @app.teardown_appcontext
    def _close(_exc):
        db = g.pop("db_session", None)
        if db is not None:
            db.close()  # rolls back whatever was not committed; loaded objects stay readable


def insert(table):
    """An INSERT that understands ON CONFLICT on the engine in use (SQLite or PostgreSQL)."""
    if engine().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table)


def commit_early() -> None:
    """Commit the request's work before the response is rendered.

    Called once a request has read and written everything it needs (the navigation guard calls
    it, after writing its state, before a screen's templates render): the write lock (SQLite) and
    row locks (PostgreSQL) are held for the database work only, not while templates render. A
    request that waited for this one (a double click, see nexi/navigation.py) reads its final
    state.
    """
    session = g.get("db_session")
    if session is not None and session.in_transaction():
        session.commit()


def done_writing() -> None:
    """The request has written all it will: commit, and read the rest without the write lock.

    For screens that read much after the navigation state is written (a list page, the user
    page; the guard writes it before any screen renders): on SQLite their queries then run beside
    other requests' writes (WAL) instead of inside the one write lock every request queues for.
    Nothing may be written afterwards, unless `rollback()` starts over. PostgreSQL locks only the
    rows written (this login's session), so there the reads follow in the same transaction, a
    commit and a BEGIN fewer.
    """
    if engine().dialect.name != "sqlite":
        return
    commit_early()
    g.db_done_writing = True


def rollback() -> None:
    """Undo what the request did since it last committed; what it does next may write again
    (on SQLite under the write lock, even after `done_writing()`)."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    g.pop("db_done_writing", None)


def engine() -> Engine:
    return current_app.extensions["nexi_engine"]


def session() -> Session:
    """The session of this request (or of this app context, in commands and tests)."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session
