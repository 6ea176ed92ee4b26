"""3-3 enrolment at login: an account whose ワンタイムパスワード is on but has no secret is shown a QR
code (inline SVG, no style attribute) and the secret after its password, and enrols with one code;
until then nothing else is reachable. Secrets are stored encrypted."""

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
from sqlalchemy import text
from sqlmodel import select

from nexi import db
from nexi.auth import otp
from nexi.demo import DEMO_OTP_SECRET
from nexi.models import AuditEvent, WebUser

NOW = datetime(2026, 11, 25, 12, 0, 15, tzinfo=UTC)
T = NOW.timestamp()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(otp, "real_now", lambda: NOW)


@pytest.fixture
def unenrolled(app):
    """demo-user with ワンタイムパスワード switched on by its 管理者, not enrolled yet."""
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-user")).one()
        user.otp_enabled = True
        db.session().add(user)
        db.session().commit()
    return "demo-user"


def shown_secret(page) -> str:
    return page.text(".otp-secret").replace(" ", "")


def test_after_the_password_the_qr_code_and_the_secret_are_shown(portal, unenrolled):
    page = portal.login(unenrolled)
    assert page.h1 == "ワンタイムパスワード登録"
    svg = page.one("figure.otp-qr svg")
    assert svg.get("role") == "img" and svg.get("aria-label")
    assert svg.select("path") and not any("style" in element.attrs for element in [svg, *svg.find_all(True)])
    assert re.fullmatch(r"[A-Z2-7]{32}", shown_secret(page))
    assert page.texts("form button") == ["登録"]


def test_the_qr_code_holds_the_otpauth_uri_with_the_issuer_and_the_user_id():
    uri = otp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "demo-user")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert unquote(parsed.path) == "/NEXI Webサービス:demo-user"
    query = parse_qs(parsed.query)
    assert query["issuer"] == ["NEXI Webサービス"] and query["secret"] == ["JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"]
    assert 'style="' not in otp.qr_svg(uri) and otp.qr_svg(uri).startswith("<svg")


def test_nothing_else_is_reachable_before_enrolment(portal, unenrolled):
    portal.login(unenrolled)
    assert portal.get("/").h1 == "ログイン"
    assert portal.post("/notices", {}, token="x", follow=True).h1 == "ログイン"
    assert portal.get("/login/otp").h1 == "ワンタイムパスワード登録"


def test_a_refresh_shows_the_same_secret_and_a_new_login_a_new_one(portal, unenrolled):
    first = shown_secret(portal.login(unenrolled))
    assert shown_secret(portal.get("/login/otp")) == first
    assert shown_secret(portal.login(unenrolled)) != first


def test_one_current_code_enrols_and_logs_in(app, portal, unenrolled):
    secret = shown_secret(portal.login(unenrolled))
    page = portal.post("/login/otp", {"code": pyotp.TOTP(secret).at(T)})
    assert page.h1 == "ユーザーページ"
    assert "利用中" in page.text("#area-otp")
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-user")).one()
        assert user.otp_enrolled_at is not None and otp.reveal(user.otp_secret) == secret
        kinds = db.session().exec(select(AuditEvent.kind).where(AuditEvent.user_id == user.id)).all()
    assert "otp.enrolled" in kinds


def test_the_next_login_asks_for_a_code_of_the_enrolled_secret(portal, other_portal, unenrolled):
    secret = shown_secret(portal.login(unenrolled))
    totp = pyotp.TOTP(secret)
    portal.post("/login/otp", {"code": totp.at(T)})
    page = other_portal.login(unenrolled)
    assert page.h1 == "ワンタイムパスワード入力"
    assert other_portal.post("/login/otp", {"code": totp.at(T)}).h1 == "ワンタイムパスワード入力"  # used
    assert other_portal.post("/login/otp", {"code": totp.at(T + 30)}).h1 == "ユーザーページ"


def test_a_wrong_code_does_not_enrol_and_counts_as_a_failure(app, portal, unenrolled):
    portal.login(unenrolled)
    page = portal.post("/login/otp", {"code": pyotp.TOTP(DEMO_OTP_SECRET).at(T)})
    assert page.h1 == "ワンタイムパスワード登録"
    assert "正しくありません" in " ".join(page.error_summary)
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-user")).one()
        assert user.otp_secret is None and user.otp_enrolled_at is None
        assert "login.otp_failure" in db.session().exec(select(AuditEvent.kind)).all()


def test_secrets_are_stored_encrypted(app):
    with app.app_context():
        raw = db.session().execute(text("SELECT otp_secret FROM web_user WHERE login_key = 'demo-otp'")).scalar_one()
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-otp")).one()
    assert raw.startswith("gAAAAA") and DEMO_OTP_SECRET not in raw
    assert "JBSW" not in repr(user.otp_secret)
    with app.app_context():
        assert otp.reveal(user.otp_secret) == DEMO_OTP_SECRET


def test_the_secret_being_enrolled_is_stored_encrypted_too(app, portal, unenrolled):
    secret = shown_secret(portal.login(unenrolled))
    with app.app_context():
        raw = db.session().execute(text("SELECT secret FROM login_challenge")).scalar_one()
    assert raw.startswith("gAAAAA") and secret not in raw


def test_the_demo_has_a_user_to_enrol(portal):
    """README's demo-otp-new: ワンタイムパスワード on, not enrolled — its login shows the QR code."""
    page = portal.login("demo-otp-new")
    assert page.h1 == "ワンタイムパスワード登録" and page.one("figure.otp-qr svg")
