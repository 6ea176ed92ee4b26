"""The stack's floor: what the portal's framework costs before any portal code runs.

A Flask app with the portal's own pieces and nothing else: the signed session cookie, Flask-Login
with a user loaded from the database, Flask-WTF's CSRF check, and per request one SELECT by key
and one UPDATE in one transaction, on the portal's engine (`nexi.db.make_engine`: the same SQLite
write lock and PostgreSQL pool), answered with a tiny template. It is measured under the same
gunicorn settings as the ceiling and the portal, so the table can say how much of the gap to the
ceiling belongs to the stack and how much to the portal's screens.

gunicorn serves `bench.floor:create_app()`. The bench creates the app's one table before the run
(`prepare`) and drops it afterwards (`clean_up`).

The navigation guard keeps each login's state and token in the database and rotates the token on
every request (DESIGN.md), so every screen after login reads its login and writes: no screen can
be faster than this floor, and the report marks a ratio target above it unreachable on this stack.
`create_app(database=False)` is the framework alone, the same app with the user taken from the
session cookie and no SQL at all: it shows how much of the distance is Flask's own.
"""

import os
import secrets

from flask import Flask, g
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy import text

from nexi.db import make_engine

TABLE = "bench_floor_login"
PAGE = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>floor</title></head>'
    '<body><p>{{ name }}</p><input type="hidden" name="_nav" value="{{ token }}"></body></html>'
)


def prepare(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, name TEXT, token TEXT)"))
        connection.execute(text(f"DELETE FROM {TABLE}"))
        connection.execute(text(f"INSERT INTO {TABLE} VALUES (1, 'bench', 'start')"))
    engine.dispose()


def clean_up(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    engine.dispose()


class User(UserMixin):
    def __init__(self, user_id: int, name: str):
        self.id, self.name = user_id, name


def create_app(database: bool = True) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=os.environ.get("NEXI_SECRET_KEY") or secrets.token_hex(32))
    CSRFProtect(app)
    login_manager = LoginManager(app)
    engine = make_engine(os.environ["NEXI_DATABASE_URL"]) if database else None
    page = app.jinja_env.from_string(PAGE)

    def connection():
        """One transaction per request, as in the portal."""
        if "connection" not in g:
            g.connection = engine.connect()
            g.connection.begin()
        return g.connection

    @app.teardown_request
    def _end(error):
        used = g.pop("connection", None)
        if used is not None:
            used.rollback() if error else used.commit()
            used.close()

    @login_manager.user_loader
    def _load(user_id: str):
        if not database:
            return User(int(user_id), "bench")
        row = connection().execute(text(f"SELECT id, name FROM {TABLE} WHERE id = :id"), {"id": int(user_id)}).first()
        return User(*row) if row else None

    @app.get("/setup")
    def setup():
        """Log in and return the CSRF token: the load tool's session."""
        login_user(User(1, "bench"))
        return generate_csrf()

    @app.post("/page")
    @login_required
    def page_view():
        token = secrets.token_urlsafe(18)
        if database:
            connection().execute(text(f"UPDATE {TABLE} SET token = :token WHERE id = :id"), {"token": token, "id": 1})
        return page.render(name=current_user.name, token=token)

    return app
