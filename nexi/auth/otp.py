"""ワンタイムパスワード (DOMAIN.md 3-3): TOTP per RFC 6238, secrets encrypted at rest, enrolment.

The customer login and the NEXI staff login share it: an *account* is any table row with the
columns `otp_secret` (a `SealedText` column, nexi/models/auth.py), `otp_enrolled_at`,
`otp_last_step` and `otp_last_used_at`.

* Codes: SHA-1, 6 digits, 30-second steps, one step early or late accepted; a code whose step is
  at or below the last step accepted for the account is refused, so no code works twice, even
  on two requests racing each other (the step is claimed by one conditional UPDATE).
* Secrets are encrypted with Fernet under `NEXI_OTP_KEY` (a list: the first key encrypts, every
  key decrypts, so the key can be rotated, README "Rotating the OTP key"). Outside production the
  key is derived from the secret key.
* Provisioning: an `otpauth://totp/` URI with the issuer 「NEXI Webサービス」 and the user ID,
  shown as a QR code in inline SVG rendered here (no `style` attribute: the CSP forbids them),
  and the secret as text for typing in.
"""

import base64
import hmac
import re
from datetime import datetime, timedelta
from functools import cache

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app
from markupsafe import Markup
from sqlmodel import col, or_, select, update

from nexi import db
from nexi.clock import real_now
from nexi.models import StaffUser, WebUser
from nexi.models.auth import SEALED_CIPHER, LoginChallenge, Sealed

ISSUER = "NEXI Webサービス"
DIGITS = 6
STEP_SECONDS = 30
WINDOW = (0, -1, 1)  # the current step first, then one step late, then one early


class KeyMissing(RuntimeError):
    """A secret was encrypted with a key that NEXI_OTP_KEY no longer lists."""


def derived_key(secret_key: str) -> bytes:
    """The development and test key: a Fernet key derived from NEXI_SECRET_KEY."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"nexi otp secrets", info=b"NEXI_OTP_KEY")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@cache
def _cipher(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    config = current_app.config
    keys = tuple(key.encode() for key in config.get("OTP_KEYS") or ())
    return _cipher(keys or (derived_key(config["SECRET_KEY"]),))


def seal(secret: str) -> str:
    """The secret as stored: a Fernet token under the first key."""
    return cipher().encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise KeyMissing("an OTP secret is encrypted with a key NEXI_OTP_KEY does not list") from exc


def reseal(token: str) -> str:
    """The same secret under the first key (key rotation)."""
    try:
        return cipher().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise KeyMissing("an OTP secret is encrypted with a key NEXI_OTP_KEY does not list") from exc


def reveal(stored: Sealed | str | None) -> str | None:
    """The plain secret of a `SealedText` column's value: a `Sealed` as read from the database, or
    a plain string assigned in this request and not yet read back."""
    if stored is None:
        return None
    return stored.reveal() if isinstance(stored, Sealed) else stored


def new_secret() -> str:
    """160 random bits in base32, the size RFC 4226 recommends for HMAC-SHA1."""
    return pyotp.random_base32(32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS, issuer=ISSUER)


def provisioning_uri(secret: str, login_id: str) -> str:
    return _totp(secret).provisioning_uri(name=login_id, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The URI as a QR code in inline SVG; its colours are SVG attributes, not styles."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="otp-qr__image", lineclass=None, omitsize=False
    )
    # An image with a name for screen readers (the secret in text follows it on the page).
    svg = svg.replace("<svg ", '<svg role="img" aria-label="ワンタイムパスワード登録用のQRコード" ', 1)
    return Markup(svg)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an authenticator app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str | None) -> str:
    return re.sub(r"\s", "", code or "")


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step, within ±1 of `now`, whose code is `code`; None when none is."""
    code = normalise_code(code)
    if not re.fullmatch(rf"\d{{{DIGITS}}}", code):
        return None
    totp = _totp(secret)
    for offset in WINDOW:
        moment = now + timedelta(seconds=offset * STEP_SECONDS)
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def is_enrolled(account) -> bool:
    return bool(account.otp_secret) and account.otp_enrolled_at is not None


def verify(account, code: str, *, model=None) -> bool:
    """Accept a current code of the account's secret whose step is newer than the last accepted one.

    `model` is the account's table when `account` is not an ORM object of it (a row read with Core)."""
    if not is_enrolled(account):
        return False
    now = real_now()
    step = matching_step(reveal(account.otp_secret), code, now)
    if step is None:
        return False
    model = model or type(account)
    # Claim the step atomically: of two requests with one code, only one gets it.
    claimed = db.session().execute(
        update(model)
        .where(
            col(model.id) == account.id,
            or_(col(model.otp_last_step).is_(None), col(model.otp_last_step) < step),
        )
        .values(otp_last_step=step, otp_last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    account.otp_last_step, account.otp_last_used_at = step, now
    return True


def enrol(account, secret: str, code: str) -> bool:
    """Make `secret` the account's secret if `code` is one of its current codes (3-3).

    The last accepted step restarts with the new secret: the codes of the old one were never codes
    of this one, so the confirmation needs no wait after the current code that 再登録 asks first."""
    now = real_now()
    step = matching_step(secret, code, now)
    if step is None:
        return False
    account.otp_secret = secret
    account.otp_enrolled_at = now
    account.otp_last_step, account.otp_last_used_at = step, now
    db.session().add(account)
    return True


def reset_enrolment(account) -> None:
    """Forget the account's secret (lost device): the next login enrols a new one (3-3, 3-6, S.8)."""
    account.otp_secret = None
    account.otp_enrolled_at = None
    account.otp_last_step = None
    db.session().add(account)


def rotate_all() -> int:
    """Re-encrypt every sealed secret (accounts, logins waiting to enrol) with the first key; the
    caller commits. Raises `KeyMissing`, before anything is written, if one opens with no key."""
    connection = db.session().connection()
    rotated = []
    for model in (WebUser, StaffUser, LoginChallenge):
        column = model.secret if model is LoginChallenge else model.otp_secret
        table, name = model.__table__, column.key
        for row_id, sealed in connection.execute(select(table.c.id, table.c[name]).where(table.c[name].is_not(None))):
            rotated.append((table, name, row_id, Sealed(reseal(sealed.token))))
    for table, name, row_id, sealed in rotated:
        connection.execute(table.update().where(table.c.id == row_id).values({name: sealed}))
    return len(rotated)


class _Cipher:
    """What a `SealedText` column calls, inside the app's context."""

    seal = staticmethod(seal)
    unseal = staticmethod(unseal)


def init_app(app: Flask) -> None:
    """Give the `SealedText` columns (nexi/models/auth.py, which may not import this) the cipher."""
    app.extensions[SEALED_CIPHER] = _Cipher()
