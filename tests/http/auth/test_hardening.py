"""Login hardening (issue 14): NEXI_ENV, the secret key, the session cookie over HTTPS, the real
client address behind the proxy, the password hash in production and its upgrade at login."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from cryptography.fernet import Fernet
from sqlmodel import select

from nexi import config, create_app, db
from nexi.models import AuditEvent, LoginSession, WebUser

KEY = "k" * 40
OTP_KEY = Fernet.generate_key().decode()


def production(**extra) -> dict:
    return {"NEXI_ENV": "production", "NEXI_SECRET_KEY": KEY, "NEXI_OTP_KEY": OTP_KEY, **extra}


@pytest.mark.parametrize("value", ["Production", "prod", "PRODUCTION", "staging", " production"])
def test_a_misspelt_nexi_env_stops_the_app(value):
    with pytest.raises(RuntimeError, match="NEXI_ENV has an invalid value"):
        config.load(production(NEXI_ENV=value))


def test_without_nexi_env_the_app_needs_a_long_secret_key_and_runs_as_production():
    with pytest.raises(RuntimeError, match="NEXI_ENV is not set"):
        config.load({})
    with pytest.raises(RuntimeError, match="NEXI_ENV is not set"):
        config.load({"NEXI_SECRET_KEY": "short"})
    settings = config.load({"NEXI_SECRET_KEY": KEY, "NEXI_OTP_KEY": OTP_KEY})
    assert settings["NEXI_ENV"] == "production"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SECRET_KEY"] == KEY


def test_production_refuses_a_short_secret_key_and_a_missing_otp_key():
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        config.load(production(NEXI_SECRET_KEY="x" * 31))
    with pytest.raises(RuntimeError, match="NEXI_OTP_KEY must be set"):
        config.load({"NEXI_ENV": "production", "NEXI_SECRET_KEY": KEY})
    with pytest.raises(RuntimeError, match="NEXI_OTP_KEY has an invalid value"):
        config.load(production(NEXI_OTP_KEY="not a key"))


def test_development_and_test_keep_the_development_key():
    for env in ("development", "test"):
        settings = config.load({"NEXI_ENV": env})
        assert settings["SECRET_KEY"].startswith("development-only")
        assert settings["SESSION_COOKIE_NAME"] == "nexi_session" and not settings["SESSION_COOKIE_SECURE"]


def test_production_refuses_the_fast_password_hash():
    with pytest.raises(RuntimeError, match="NEXI_PASSWORD_HASH=fast"):
        config.load(production(NEXI_PASSWORD_HASH="fast"))
    assert config.load(production())["NEXI_PASSWORD_HASH"] == "standard"
    with pytest.raises(RuntimeError, match="NEXI_PASSWORD_HASH"):
        config.load({"NEXI_ENV": "test", "NEXI_PASSWORD_HASH": "quick"})


def _production_app(app, **extra):
    """The suite's database served as production."""
    environ = production(NEXI_DATABASE_URL=app.config["NEXI_DATABASE_URL"], **extra)
    overrides = {"NEXI_ENV": "production", "NEXI_OTP_KEY": OTP_KEY, "NEXI_SECRET_KEY": KEY, "NEXI_LOGIN_RATE": 10**6}
    for name, value in environ.items():
        overrides.setdefault(name, value)
    return create_app(overrides | {"NEXI_PROXY_HOPS": int(extra.get("NEXI_PROXY_HOPS", 0))})


def test_over_https_in_production_the_session_cookie_is_a_host_cookie(app):
    production_app = _production_app(app)
    client = production_app.test_client()
    response = client.get("/login", base_url="https://portal.example.jp")
    csrf = response.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"csrf_token": csrf, "login_id": "demo-admin", "password": "DemoPass#2026"},
        base_url="https://portal.example.jp",
        headers={"Referer": "https://portal.example.jp/login"},  # Flask-WTF's check over HTTPS
    )
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-nexi_session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def _login_address(app, **headers) -> str:
    """The address the audit log gives a failed login from 10.0.0.5 (the proxy, when there is one)."""
    client = app.test_client()
    base = "https://portal.example.jp"
    page = client.get("/login", base_url=base)
    csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"csrf_token": csrf, "login_id": "nobody-at-all", "password": "wrong"},
        headers={"Referer": f"{base}/login", **headers},
        environ_base={"REMOTE_ADDR": "10.0.0.5"},
        base_url=base,
    )
    with app.app_context():
        event = db.session().exec(select(AuditEvent).where(AuditEvent.login_key == "nobody-at-all")).one()
        db.session().delete(event)
        db.session().commit()
    return event.remote_addr


def test_behind_the_configured_proxy_the_audit_log_has_the_clients_own_address(app):
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    assert _login_address(_production_app(app, NEXI_PROXY_HOPS=1), **forwarded) == "203.0.113.7"


def test_without_a_configured_proxy_a_forwarded_address_is_not_believed(app):
    assert _login_address(app, **{"X-Forwarded-For": "203.0.113.7"}) == "10.0.0.5"


def test_a_spoofed_address_before_the_proxys_own_is_not_believed(app):
    forwarded = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}  # the client wrote the first one
    assert _login_address(_production_app(app, NEXI_PROXY_HOPS=1), **forwarded) == "203.0.113.7"


def test_a_hash_with_old_parameters_is_upgraded_at_the_next_login(app, portal):
    old = PasswordHasher(time_cost=3, memory_cost=2048, parallelism=1).hash("DemoPass#2026")
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-user")).one()
        user.password_hash = old
        db.session().add(user)
        db.session().commit()
    assert portal.login("demo-user").h1 == "ユーザーページ"
    with app.app_context():
        upgraded = db.session().exec(select(WebUser.password_hash).where(WebUser.login_key == "demo-user")).one()
    assert upgraded != old and "m=1024,t=1,p=1" in upgraded  # the profile in use (the tests': fast)
    portal.client.post("/logout", data={"csrf_token": portal.csrf})
    assert portal.login("demo-user").h1 == "ユーザーページ"


def test_a_wrong_password_does_not_touch_an_old_hash(app, portal):
    old = PasswordHasher(time_cost=3, memory_cost=2048, parallelism=1).hash("DemoPass#2026")
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-user")).one()
        user.password_hash = old
        db.session().add(user)
        db.session().commit()
    portal.login("demo-user", "wrong password")
    with app.app_context():
        assert db.session().exec(select(WebUser.password_hash).where(WebUser.login_key == "demo-user")).one() == old


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, portal, monkeypatch):
    portal.login("demo-admin")
    with app.app_context():
        login_session = db.session().exec(select(LoginSession)).one()
        login_session.created_at -= timedelta(seconds=43201)  # logged in 12 hours ago, active just now
        db.session().add(login_session)
        db.session().commit()
    page = portal.go("home.notices")
    assert page.h1 == "ログイン"
    assert "ログインしてから一定時間が経過した" in page.text(".message")
    with app.app_context():
        assert db.session().exec(select(LoginSession)).one().ended_reason == "expired"


def test_the_absolute_lifetime_is_a_setting(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_SESSION_MAX_SECONDS", 60)
    portal.login("demo-admin")
    with app.app_context():
        login_session = db.session().exec(select(LoginSession)).one()
        login_session.created_at -= timedelta(seconds=61)
        db.session().add(login_session)
        db.session().commit()
    assert portal.get("/").h1 == "ログイン"
