"""Staff accounts (S.1): creating one, and what a 管理担当 (or a command) does to another one —
unlock, a new 仮パスワード, a new TOTP enrolment. Each writes its audit entry with the values
before and after; the caller commits."""

from sqlmodel import col, select

from nexi import db, sessions
from nexi.audit import audit
from nexi.auth import lockout, otp, passwords
from nexi.clock import real_now
from nexi.models import LoginFailure, StaffUser
from nexi.models.staff import MANAGER, REVIEWER, role_names
from nexi.security import login_key


def find(login_id: str) -> StaffUser | None:
    return lockout.find_user(login_key(login_id), StaffUser)


def get(staff_id: int) -> StaffUser | None:
    return db.session().get(StaffUser, staff_id)


def all_staff() -> list[StaffUser]:
    return list(db.session().exec(select(StaffUser).order_by(col(StaffUser.login_key))).all())


def locked_keys() -> set[str]:
    """The staff keys locked now (one query for a whole list)."""
    rows = db.session().exec(
        select(LoginFailure.login_key).where(
            col(LoginFailure.login_key).startswith(lockout.STAFF), col(LoginFailure.locked_at).is_not(None)
        )
    )
    return set(rows.all())


def is_locked(staff) -> bool:
    return lockout.is_locked(lockout.staff_key(staff.login_id))


def status(staff, locked: set[str] | None = None) -> str:
    """有効 / ロック中 / 無効, as the list shows it."""
    if not staff.active:
        return "無効"
    key = lockout.staff_key(staff.login_id)
    if (key in locked) if locked is not None else lockout.is_locked(key):
        return "ロック中"
    return "有効"


def snapshot(staff: StaffUser) -> dict:
    """What an audit entry records of an account, before and after (never a secret)."""
    return {
        "login_id": staff.login_id,
        "name": staff.name,
        "roles": role_names(staff),
        "active": staff.active,
        "locked": is_locked(staff),
        "temporary_password": staff.temporary_password,
        "otp_enrolled": otp.is_enrolled(staff),
    }


def create(
    login_id: str, name: str, roles: list[str], password: str | None = None, *, by=None
) -> tuple[StaffUser, str]:
    """A new staff account with a 仮パスワード (`password`, or a generated one), TOTP to enrol at
    its first login. Returns the account and the 仮パスワード, to be shown once."""
    password = password or passwords.generate(login_id)
    staff = StaffUser(
        login_id=login_id,
        login_key=login_key(login_id),
        name=name,
        reviewer=REVIEWER in roles,
        manager=MANAGER in roles,
        password_hash="",
        created_at=real_now(),
    )
    passwords.set_password(staff, password, temporary=True)
    db.session().add(staff)
    db.session().flush()
    lockout.reset_failures(lockout.staff_key(login_id))  # a count left from attempts before it existed
    audit("staff.account.created", staff=by, target=staff.id, before=None, after=snapshot(staff))
    return staff, password


def unlock(staff: StaffUser, *, by=None, command: bool = False) -> bool:
    """Reset the failure count (the password stays, 3-1); True when the account was locked."""
    before = snapshot(staff)
    lockout.reset_failures(lockout.staff_key(staff.login_id))
    db.session().flush()
    audit("staff.account.unlocked", staff=by, target=staff.id, by_command=command, before=before, after=snapshot(staff))
    return before["locked"]


def reset_password(staff: StaffUser, *, by=None) -> str:
    """A new 仮パスワード: the staff member changes it at its next login; its sessions end now."""
    before = snapshot(staff)
    password = passwords.generate(staff.login_id)
    passwords.set_password(staff, password, temporary=True)
    db.session().add(staff)
    sessions.end_staff_sessions(staff.id, "password_reset")
    audit("staff.account.password_reset", staff=by, target=staff.id, before=before, after=snapshot(staff))
    return password


def reset_otp(staff: StaffUser, *, by=None) -> None:
    """Forget the TOTP secret (lost device): enrolment again at the next login; sessions end now."""
    before = snapshot(staff)
    otp.reset_enrolment(staff)
    sessions.end_staff_sessions(staff.id, "otp_reset")
    audit("staff.account.otp_reset", staff=by, target=staff.id, before=before, after=snapshot(staff))
