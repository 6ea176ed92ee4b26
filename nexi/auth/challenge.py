"""The login between its two factors (DOMAIN.md 3-1): the password was right, the one-time password
(or, for an account without a secret yet, its enrolment, 3-3) is still owed.

That state lives in a `LoginChallenge` row. The cookie session holds only a random id whose hash
names the row, so a cookie signed with a leaked or default key cannot claim "password already
checked": without the row, which only a right password creates, there is nothing to continue. The
row expires after `NEXI_OTP_PENDING_SECONDS` (real time) and is deleted when used.

A challenge belongs to a Web user or, at the NEXI staff login (S.1), to a staff member (its
`staff_user_id`); each login reads only its own kind (`current(staff=…)`).
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from sqlmodel import col, delete, or_

from nexi import db
from nexi.auth import otp
from nexi.clock import real_now
from nexi.models import StaffUser
from nexi.models.auth import LoginChallenge

COOKIE_KEY = "login_challenge"


def _key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _oldest_alive():
    return real_now() - timedelta(seconds=current_app.config["NEXI_OTP_PENDING_SECONDS"])


def begin(account, login_key: str) -> LoginChallenge:
    """Open the second step for `account` (its password was right): its older challenges and every
    expired one end, and the browser gets a fresh cookie session naming only the new one."""
    database = db.session()
    owner = "staff_user_id" if isinstance(account, StaffUser) else "user_id"
    database.exec(
        delete(LoginChallenge).where(
            or_(getattr(LoginChallenge, owner) == account.id, col(LoginChallenge.created_at) < _oldest_alive())
        )
    )
    raw = secrets.token_urlsafe(32)
    challenge = LoginChallenge(
        id=_key(raw),
        **{owner: account.id},
        login_key=login_key,
        created_at=real_now(),
        secret=None if otp.is_enrolled(account) else otp.new_secret(),
    )
    database.add(challenge)
    session.clear()
    session[COOKIE_KEY] = raw
    return challenge


def current(*, staff: bool = False) -> tuple[LoginChallenge | None, bool]:
    """This browser's challenge (a staff member's with `staff`), and whether it had one that expired."""
    raw = session.get(COOKIE_KEY)
    if not isinstance(raw, str):
        return None, False
    challenge = db.session().get(LoginChallenge, _key(raw))
    if challenge is not None and (challenge.staff_user_id is not None) != staff:
        challenge = None  # the other area's: nothing to continue here
    if challenge is None:
        session.pop(COOKIE_KEY, None)
        return None, False
    if challenge.created_at < _oldest_alive():
        finish(challenge)
        return None, True
    return challenge, False


def finish(challenge: LoginChallenge) -> None:
    """The challenge is used up (login complete, or locked, or expired)."""
    db.session().delete(challenge)
    session.pop(COOKIE_KEY, None)
