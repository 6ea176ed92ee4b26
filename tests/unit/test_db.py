"""The request transaction on SQLite: the write lock first, then reads beside other writers."""

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
