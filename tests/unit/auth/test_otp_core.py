"""The OTP core (nexi/auth/otp.py): RFC 6238 codes within ±1 step, sealed secrets, key rotation,
and the migration that sealed the secrets stored before."""

import base64
import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlmodel import select

from nexi import db
from nexi.auth import otp
from nexi.demo import DEMO_OTP_SECRET
from nexi.models import WebUser

NOW = datetime(2026, 11, 25, 12, 0, 15, tzinfo=UTC)
TOTP = pyotp.TOTP(DEMO_OTP_SECRET)


@pytest.mark.parametrize(("offset", "accepted"), [(0, True), (-30, True), (30, True), (-60, False), (60, False)])
def test_a_code_is_accepted_one_step_early_or_late_not_two(offset, accepted):
    code = TOTP.at(NOW + timedelta(seconds=offset))
    step = otp.matching_step(DEMO_OTP_SECRET, code, NOW)
    assert (step == TOTP.timecode(NOW + timedelta(seconds=offset))) if accepted else step is None


def test_codes_are_six_digits_sha1_thirty_seconds():
    # RFC 6238 appendix B, SHA-1, at T = 59 s: 94287082 (8 digits): its last 6 are the 6-digit code.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert otp.matching_step(secret, "287082", datetime.fromtimestamp(59, UTC)) == 1
    assert otp.matching_step(secret, "28708", datetime.fromtimestamp(59, UTC)) is None


def test_a_sealed_secret_opens_and_does_not_show_it(app):
    with app.app_context():
        token = otp.seal(DEMO_OTP_SECRET)
        assert DEMO_OTP_SECRET not in token and otp.unseal(token) == DEMO_OTP_SECRET
        assert otp.seal(DEMO_OTP_SECRET) != token  # a fresh IV each time


def _stored(app) -> str:
    with app.app_context():
        return db.session().execute(text("SELECT otp_secret FROM web_user WHERE login_key = 'demo-otp'")).scalar_one()


def _revealed(app) -> str:
    with app.app_context():
        user = db.session().exec(select(WebUser).where(WebUser.login_key == "demo-otp")).one()
        return otp.reveal(user.otp_secret)


def test_rotating_the_key_re_encrypts_every_secret(app, monkeypatch):
    old = otp.derived_key(app.config["SECRET_KEY"]).decode()
    new = Fernet.generate_key().decode()
    before = _stored(app)
    monkeypatch.setitem(app.config, "OTP_KEYS", (new, old))  # NEXI_OTP_KEY="new,old"
    assert _revealed(app) == DEMO_OTP_SECRET  # the old key still opens it
    result = app.test_cli_runner().invoke(args=["rotate-otp-key"])
    assert result.exit_code == 0, result.output
    assert "3件" in result.output  # demo-otp's and the two demo staff members' (S.1)
    assert _stored(app) != before
    monkeypatch.setitem(app.config, "OTP_KEYS", (new,))  # the old key dropped
    assert _revealed(app) == DEMO_OTP_SECRET
    with app.app_context():
        from nexi.demo.staff import MANAGER_SECRET
        from nexi.models import StaffUser

        manager = db.session().exec(select(StaffUser).where(StaffUser.login_key == "demo-manager")).one()
        assert otp.reveal(manager.otp_secret) == MANAGER_SECRET


def test_rotation_changes_nothing_when_a_secret_opens_with_no_listed_key(app, monkeypatch):
    before = _stored(app)
    monkeypatch.setitem(app.config, "OTP_KEYS", (Fernet.generate_key().decode(),))
    result = app.test_cli_runner().invoke(args=["rotate-otp-key"])
    assert result.exit_code != 0 and "何も変更しませんでした" in result.output
    assert _stored(app) == before


def _migration():
    path = Path(__file__).resolve().parents[3] / "migrations" / "versions"
    (found,) = path.glob("*_otp_sealed_login_state.py")
    spec = importlib.util.spec_from_file_location(found.stem, found)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_encrypts_the_secrets_stored_in_plain_text(app):
    migration = _migration()
    engine = sa.create_engine("sqlite://")
    with app.app_context(), engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE web_user (id INTEGER PRIMARY KEY, otp_secret VARCHAR(64))"))
        connection.execute(sa.text(f"INSERT INTO web_user VALUES (1, '{DEMO_OTP_SECRET}'), (2, NULL)"))
        with Operations.context(MigrationContext.configure(connection)):
            migration.upgrade()
        rows = dict(connection.execute(sa.text("SELECT id, otp_secret FROM web_user")).all())
        assert rows[2] is None and rows[1].startswith("gAAAAA") and otp.unseal(rows[1]) == DEMO_OTP_SECRET
        with Operations.context(MigrationContext.configure(connection)):
            migration.downgrade()
        assert connection.execute(sa.text("SELECT otp_secret FROM web_user WHERE id = 1")).scalar() == DEMO_OTP_SECRET
