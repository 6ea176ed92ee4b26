"""Login rules (DOMAIN.md 3-1), part of the authentication core (nexi/auth/): the password step and
the lockout per submitted ID string (one-time passwords: nexi/auth/otp.py; the policy of 3-2:
nexi/auth/passwords.py).

Unknown IDs go through exactly the same steps as known ones — a password hash is checked, the
failure is counted under the submitted string, the lock engages at the same count — so neither
the messages, the lock nor the timing reveal which IDs exist.

The NEXI staff login (S.1) runs the same steps on its own accounts (`StaffUser`), with its failures
counted under `staff_key()`: keys no customer login can produce, so the counts stay apart.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func
from sqlmodel import select

from nexi import db
from nexi.audit import audit
from nexi.auth import passwords
from nexi.clock import real_now
from nexi.models import LoginFailure, StaffUser, WebUser
from nexi.security import hash_password, login_key, needs_rehash, verify_password

# Staff failure counts live under "STAFF:" + the key: login_key() casefolds, so no key of a
# customer's login (whatever was typed) contains a capital letter, and none can collide.
STAFF = "STAFF:"


def staff_key(login_id: str) -> str:
    """The key a staff login ID's failures are counted under (never a customer's key)."""
    return (STAFF + login_key(login_id))[:64]


@dataclass(frozen=True)
class Attempt:
    user: WebUser | StaffUser | None  # set only when the password was right and the ID is usable
    key: str
    locked: bool
    expired: bool = False  # the right 仮パスワード, past its validity: no login (3-2)


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


def find_user(key: str, model=WebUser):
    return db.session().exec(select(model).where(model.login_key == key)).first()


def check_password(login_id: str, password: str, *, staff: bool = False) -> Attempt:
    """The password step of a customer's login, or with `staff` of a NEXI staff login (S.1)."""
    model, key, prefix = (StaffUser, staff_key(login_id), "staff.") if staff else (WebUser, login_key(login_id), "")
    user = find_user(login_key(login_id), model)
    usable = user is not None and user.active
    right = verify_password(user.password_hash if usable else None, password)
    who = {"staff": user} if staff else {"user": user}
    if is_locked(key):
        return Attempt(None, key, True)
    if not right:
        return Attempt(None, key, record_failure(key, f"{prefix}login.failure"))
    if passwords.temporary_expired(user):
        audit(f"{prefix}login.temporary_expired", **who)
        return Attempt(None, key, False, expired=True)
    if needs_rehash(user.password_hash):  # made with older parameters: the password is at hand now
        user.password_hash = hash_password(password)
        db.session().add(user)
        audit(f"{prefix}login.password_rehashed", **who)
    return Attempt(user, key, False)
