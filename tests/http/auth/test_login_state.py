"""3-1: "password checked, one-time password owed" is a row on the server, never a claim of the
cookie: a session cookie signed with the (public) development key cannot skip the password."""

import time

import pyotp
from flask.sessions import SecureCookieSessionInterface
from sqlmodel import select

from nexi import db
from nexi.demo import DEMO_OTP_SECRET
from nexi.models import WebUser
from nexi.models.auth import LoginChallenge

TOTP = pyotp.TOTP(DEMO_OTP_SECRET)


def forge(app, client, contents: dict) -> None:
    """Put a session cookie signed with the app's key (the development key: public) in `client`."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], serializer.dumps(contents))


def demo_otp_id(app) -> int:
    with app.app_context():
        return db.session().exec(select(WebUser.id).where(WebUser.login_key == "demo-otp")).one()


def test_a_forged_password_checked_cookie_does_not_log_in(app, portal):
    """What the login trusted before: {"otp": {"user_id", "key", "at"}} in the signed cookie."""
    portal.get("/login")
    forge(app, portal.client, {"otp": {"user_id": demo_otp_id(app), "key": "demo-otp", "at": time.time()}})
    assert portal.get("/login/otp").h1 == "ログイン"
    forge(app, portal.client, {"otp": {"user_id": demo_otp_id(app), "key": "demo-otp", "at": time.time()}})
    csrf = portal.get("/login").csrf_token
    response = portal.client.post("/login/otp", data={"csrf_token": csrf, "code": TOTP.now()})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert portal.get("/").h1 == "ログイン"


def test_a_forged_challenge_id_finds_nothing(app, portal):
    portal.get("/login")
    forge(app, portal.client, {"login_challenge": "guessed-or-made-up"})
    assert portal.get("/login/otp").h1 == "ログイン"


def test_the_challenge_is_kept_on_the_server_and_the_cookie_holds_only_its_random_id(app, portal):
    portal.login("demo-otp")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    contents = serializer.loads(portal.client.get_cookie("nexi_session").value)
    assert set(contents) <= {"login_challenge", "csrf_token"}
    with app.app_context():
        challenge = db.session().exec(select(LoginChallenge)).one()
    assert challenge.id != contents["login_challenge"] and challenge.login_key == "demo-otp"


def test_the_challenge_is_used_once(app, portal):
    page = portal.login("demo-otp", otp=TOTP.now())
    assert page.h1 == "ユーザーページ"
    with app.app_context():
        assert db.session().exec(select(LoginChallenge)).all() == []


def test_a_new_password_check_replaces_the_older_challenge(app, portal, other_portal):
    portal.login("demo-otp")
    other_portal.login("demo-otp")
    with app.app_context():
        assert len(db.session().exec(select(LoginChallenge)).all()) == 1
    assert portal.get("/login/otp").h1 == "ログイン"
    assert other_portal.get("/login/otp").h1 == "ワンタイムパスワード入力"
