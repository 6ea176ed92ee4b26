"""Login rules (DOMAIN.md 3-1): lockout per submitted ID string, TOTP without replay.

Unknown IDs go through exactly the same steps as known ones — a password hash is checked, the
failure is counted under the submitted string, the lock engages at the same count — so neither
the messages, the lock nor the timing reveal which IDs exist.
"""

import hmac
import re
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from flask import current_app
from sqlalchemy import case, func
from sqlmodel import col, or_, select, update

from nexi import db
from nexi.audit import audit
from nexi.clock import real_now
from nexi.models import LoginFailure, WebUser
from nexi.security import login_key, verify_password


@dataclass(frozen=True)
class Attempt:
    user: WebUser | None  # set only when the password was right and the ID is usable
    key: str
    locked: bool


def threshold() -> int:
    return current_app.config["NEXI_LOCKOUT_THRESHOLD"]


def is_locked(key: str) -> bool:
    failure = db.session().get(LoginFailure, key)
    return failure is not None and failure.locked_at is not None


def record_failure(key: str, kind: str) -> bool:
    """Count one failure for `key`; True when the ID is (now) locked."""
    now = real_now()
    table = LoginFailure.__table__
    statement = db.insert(table).values(
        login_key=key, count=1, last_failed_at=now, locked_at=now if threshold() <= 1 else None
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.login_key],
        set_={
            "count": table.c.count + 1,
            "last_failed_at": now,
            "locked_at": case(
                (table.c.count + 1 >= threshold(), func.coalesce(table.c.locked_at, now)),
                else_=table.c.locked_at,
            ),
        },
    ).returning(table.c.locked_at)
    locked_at = db.session().execute(statement).scalar_one()
    audit(kind, login_key=key)
    if locked_at is not None:
        audit("login.locked", login_key=key)
    return locked_at is not None


def reset_failures(key: str) -> None:
    failure = db.session().get(LoginFailure, key)
    if failure is not None:
        db.session().delete(failure)


def find_user(key: str) -> WebUser | None:
    return db.session().exec(select(WebUser).where(WebUser.login_key == key)).first()


def check_password(login_id: str, password: str) -> Attempt:
    key = login_key(login_id)
    user = find_user(key)
    usable = user is not None and user.active
    right = verify_password(user.password_hash if usable else None, password)
    if is_locked(key):
        return Attempt(None, key, True)
    if not right:
        return Attempt(None, key, record_failure(key, "login.failure"))
    return Attempt(user, key, False)


def otp_code_matches(user: WebUser, code: str) -> bool:
    """Accept a current TOTP code (±1 step) whose step is newer than the last one accepted."""
    code = re.sub(r"\s", "", code or "")
    if not user.otp_secret or not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(user.otp_secret)
    now = real_now()
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=offset * totp.interval)
        step = totp.timecode(moment)
        if not hmac.compare_digest(totp.at(moment), code):
            continue
        # Claim the step atomically: of two requests with one code, only one gets it.
        claimed = db.session().execute(
            update(WebUser)
            .where(
                col(WebUser.id) == user.id,
                or_(col(WebUser.otp_last_step).is_(None), col(WebUser.otp_last_step) < step),
            )
            .values(otp_last_step=step, otp_last_used_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            user.otp_last_step, user.otp_last_used_at = step, now
            return True
        return False
    return False
