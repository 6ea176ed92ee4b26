"""A screen that cannot be rendered from its saved state falls back to the user page with a
message, instead of a 500 on every later request of the session (issue 13)."""

import pytest
from sqlalchemy import text
from sqlmodel import select

from nexi import db, navigation
from nexi.models import LoginSession
from nexi.rendering import render_screen

UNRENDERABLE = "画面を表示できなかったため、ユーザーページを表示しています。"


def _fails_in_its_queries(**_args):
    raise OverflowError("date value out of range")  # e.g. a search up to 9999-12-31, one day on


def _fails_in_the_database(**_args):
    # e.g. a huge page number: SQLite's driver refuses it, PostgreSQL aborts the transaction
    db.session().execute(text("SELECT CAST(:number AS INTEGER)"), {"number": 10**30})


def _fails_in_its_template(**_args):
    return render_screen("no/such/template.html")  # rendered after the request has committed


@pytest.fixture(params=[_fails_in_its_queries, _fails_in_the_database, _fails_in_its_template])
def broken(request, monkeypatch):
    """A screen of its own whose render raises: in its own code, in a statement, or in its templates."""
    monkeypatch.setitem(navigation.SCREENS, "test.broken", navigation.Screen("test.broken", request.param, 1))
    return "test.broken"


def _store_screen(app, name: str, **args) -> None:
    with app.app_context():
        login_session = db.session().exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()
        login_session.screen, login_session.screen_args = name, args
        db.session().add(login_session)
        db.session().commit()


def _stored_screen(app) -> tuple[str, dict]:
    with app.app_context():
        login_session = db.session().exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()
        return login_session.screen, login_session.screen_args


def test_a_stored_screen_that_fails_shows_the_user_page_once_and_is_forgotten(app, portal, broken, caplog):
    portal.login()
    _store_screen(app, broken, since="9999-12-31")
    page = portal.get("/")
    assert page.h1 == "ユーザーページ"
    assert UNRENDERABLE in page.messages
    assert "test.broken failed to render" in caplog.text  # logged with its traceback
    assert _stored_screen(app) == ("home.index", {})
    again = portal.get("/")  # a refresh: the user page, reported as such, not a 500
    assert again.h1 == "ユーザーページ" and UNRENDERABLE not in again.messages
    assert portal.get("/login").h1 == "ユーザーページ"  # the login page while logged in leads here
    assert portal.go("home.notices").h1 == "掲載中のお知らせ一覧"  # the session goes on


def test_a_screen_that_fails_after_a_post_shows_the_user_page_in_either_transport(app, both, monkeypatch):
    both.login()
    monkeypatch.setitem(navigation.SCREENS, "home.notices", navigation.Screen("home.notices", _fails_in_its_queries, 1))
    page = both.go("home.notices", {"page": 2})
    assert page.h1 == "ユーザーページ"
    assert UNRENDERABLE in page.messages
    assert _stored_screen(app) == ("home.index", {})
    assert both.go("home.home").h1 == "ユーザーページ"  # the token the fallback gave is the current one


def test_a_user_page_with_arguments_it_cannot_take_falls_back_to_the_user_page_without_them(app, portal):
    portal.login()
    _store_screen(app, "home.index", unexpected=1)
    page = portal.get("/")
    assert page.h1 == "ユーザーページ" and UNRENDERABLE in page.messages
    assert _stored_screen(app) == ("home.index", {})
