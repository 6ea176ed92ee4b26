"""Web users of the logged-in 保険利用者 and the rules of 3-6 (and 3-2's effects).

Every query is scoped by `current_user.customer`: a user id of another customer, posted by hand,
finds nothing (`find`). Users are never deleted, only disabled, so the unique `login_key`
(the casefolded ID) alone keeps every ID unique case-insensitively and never reused: a retired
ID stays taken by its disabled user.

NEXI staff (S.8) act on the Web users of any customer through the same functions and rules: they
name the customer (`customer_id`) and themselves (`by`, a StaffUser), which writes the staff audit
entry (`staff.webusers.*`, the user's values before and after) instead of the 管理者's; the rules
about oneself do not apply to them.
"""

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user
from sqlmodel import col, func, select, update

from nexi import db
from nexi.audit import audit
from nexi.auth import lockout as login_service
from nexi.auth import passwords
from nexi.clock import real_now
from nexi.models import Customer, LoginFailure, LoginSession, Role, WebUser
from nexi.security import login_key

ACTIVE, LOCKED, DISABLED = "有効", "ロック中", "無効"


class Refused(Exception):
    """A rule of 3-6 forbids the action; the message says which."""


@dataclass(frozen=True)
class Listed:
    """A user as 一覧 shows it."""

    user: WebUser
    status: str


def _customer_id() -> int:
    return current_user.customer.id


def find(user_id: int | None) -> WebUser | None:
    """The Web user of the current 保険利用者 with this id, or None."""
    if user_id is None:
        return None
    return (
        db.session()
        .exec(select(WebUser).where(col(WebUser.id) == user_id, col(WebUser.customer_id) == _customer_id()))
        .first()
    )


def locked_keys(keys: list[str]) -> set[str]:
    """Which of these login keys are locked now (one query for a whole list)."""
    if not keys:
        return set()
    rows = db.session().exec(
        select(LoginFailure.login_key).where(
            col(LoginFailure.login_key).in_(keys), col(LoginFailure.locked_at).is_not(None)
        )
    )
    return set(rows.all())


def status_of(user: WebUser, locked: set[str] | None = None) -> str:
    if not user.active:
        return DISABLED
    locked = locked_keys([user.login_key]) if locked is None else locked
    return LOCKED if user.login_key in locked else ACTIVE


def listed(customer_id: int | None = None) -> list[Listed]:
    """Every Web user of the current 保険利用者 (or of `customer_id`), by ID, with its 状態."""
    customer_id = customer_id or _customer_id()
    users = (
        db.session()
        .exec(select(WebUser).where(col(WebUser.customer_id) == customer_id).order_by(col(WebUser.login_key)))
        .all()
    )
    locked = locked_keys([user.login_key for user in users])
    return [Listed(user, status_of(user, locked)) for user in users]


def is_self(user: WebUser) -> bool:
    return user.id == current_user.user.id


def _counted(exclude: int | None = None, *, admins: bool = False, customer_id: int | None = None) -> int:
    query = (
        select(func.count())
        .select_from(WebUser)
        .where(col(WebUser.customer_id) == (customer_id or _customer_id()), col(WebUser.active).is_(True))
    )
    if admins:
        query = query.where(col(WebUser.role) == Role.ADMIN)
    if exclude is not None:
        query = query.where(col(WebUser.id) != exclude)
    return db.session().exec(query).one()


def room_for_one(customer_id: int | None = None) -> None:
    limit = current_app.config["NEXI_MAX_USERS"]
    if _counted(customer_id=customer_id) >= limit:
        raise Refused(
            f"有効なWebユーザーは1つの保険利用者につき{limit}人までです。"
            "不要なWebユーザーを無効化してから操作してください。"
        )


def _lock_customer(customer_id: int) -> None:
    """Serialise the 管理者 rule per customer: of two 管理者 disabled at the same moment (by the
    customer and by NEXI), the second sees the first (PostgreSQL: a row lock until commit;
    SQLite: every request's transaction already holds the write lock, nexi/db.py)."""
    table = Customer.__table__
    db.session().execute(select(table.c.id).where(table.c.id == customer_id).with_for_update())


def _admin_remains(user: WebUser) -> None:
    """At least one active 管理者 stays after `user` stops being one (3-6)."""
    if not (user.active and user.role == Role.ADMIN):
        return
    _lock_customer(user.customer_id)
    if _counted(user.id, admins=True, customer_id=user.customer_id) == 0:
        raise Refused("有効な管理者が1人もいなくなるため、この操作は行えません。")


def snapshot(user: WebUser) -> dict:
    """What a staff audit entry records of a Web user, before and after (never a secret)."""
    db.session().flush()  # a failure count just reset is seen as gone
    return {
        "login_id": user.login_id,
        "name": user.name,
        "role": str(user.role),
        "status": status_of(user),
        "temporary_password": user.temporary_password,
        "otp_enabled": user.otp_enabled,
        "otp_enrolled": user.otp_enrolled_at is not None,
    }


def _by_staff(kind: str, user: WebUser, by, before: dict | None) -> None:
    audit(f"staff.webusers.{kind}", staff=by, user=user, before=before, after=snapshot(user))


def end_sessions(user_id: int, reason: str, *, keep: str | None = None) -> None:
    """End the user's login sessions at once (all but `keep`, the current one)."""
    statement = update(LoginSession).where(col(LoginSession.user_id) == user_id, col(LoginSession.ended_at).is_(None))
    if keep is not None:
        statement = statement.where(col(LoginSession.id) != keep)
    db.session().exec(statement.values(ended_at=real_now(), ended_reason=reason))


def id_taken(login_id: str) -> bool:
    return login_service.find_user(login_key(login_id)) is not None


def add(
    values: dict, password_hash: str | None, password: str | None, *, customer_id: int | None = None, by=None
) -> WebUser:
    """3-6 追加: a new Web user with a 仮パスワード (typed: its hash; generated: the password)."""
    customer_id = customer_id or _customer_id()
    room_for_one(customer_id)
    key = login_key(values["login_id"])
    if id_taken(values["login_id"]):
        raise Refused("このWebユーザーIDは既に使われています。別のIDを入力してください。")
    user = WebUser(
        customer_id=customer_id,
        login_id=values["login_id"],
        login_key=key,
        name=values["name"],
        name_kana=values.get("name_kana") or "",
        department=values.get("department") or "",
        phone=values["phone"],
        email=values["email"],
        role=Role(values["role"]),
        otp_enabled=values["otp"] == "on",
        password_hash="",
        created_at=real_now(),
    )
    if password is not None:
        passwords.set_password(user, password, temporary=True)
    else:
        user.password_hash, user.temporary_password, user.temporary_password_at = password_hash, True, real_now()
    login_service.reset_failures(key)  # a count kept for this ID string before it existed
    db.session().add(user)
    db.session().flush()
    if by is not None:
        _by_staff("added", user, by, None)
        return user
    audit("users.added", user=current_user.user, target=user.login_id, role=user.role, otp=user.otp_enabled)
    return user


EDITABLE = ("name", "name_kana", "department", "phone", "email", "role")


def change(user: WebUser, values: dict) -> None:
    """3-6 変更 of a Web user's data; a 管理者 cannot demote itself, nor the last 管理者."""
    if values["role"] != user.role:
        if is_self(user):
            raise Refused("ご自身の権限は変更できません。")
        if values["role"] != Role.ADMIN:
            _admin_remains(user)
    before = {name: getattr(user, name) for name in EDITABLE}
    for name in EDITABLE:
        setattr(user, name, values.get(name) or "")
    user.role = Role(user.role)
    db.session().add(user)
    after = {name: getattr(user, name) for name in EDITABLE}
    changed = {name: [before[name], after[name]] for name in EDITABLE if before[name] != after[name]}
    audit("users.changed", user=current_user.user, target=user.login_id, changed=changed)


def check_disable(user: WebUser, _action: str = "disable", *, by=None) -> None:
    if by is None and is_self(user):
        raise Refused("ご自身を無効化することはできません。")
    if not user.active:
        raise Refused("このWebユーザーは既に無効です。")
    _admin_remains(user)


def disable(user: WebUser, *, by=None) -> None:
    """無効化: the user cannot log in any more, and its sessions end at once (3-1)."""
    check_disable(user, by=by)
    before = snapshot(user) if by is not None else None
    user.active = False
    db.session().add(user)
    end_sessions(user.id, "disabled")
    if by is not None:
        _by_staff("disabled", user, by, before)
        return
    audit("users.disabled", user=current_user.user, target=user.login_id)


def check_enable(user: WebUser, _action: str = "enable", *, by=None) -> None:
    if user.active:
        raise Refused("このWebユーザーは既に有効です。")
    room_for_one(user.customer_id)


def enable(user: WebUser, *, by=None) -> None:
    check_enable(user, by=by)
    before = snapshot(user) if by is not None else None
    user.active = True
    db.session().add(user)
    if by is not None:
        _by_staff("enabled", user, by, before)
        return
    audit("users.enabled", user=current_user.user, target=user.login_id)


def check_unlock(user: WebUser, _action: str = "unlock", *, by=None) -> None:
    if by is None and is_self(user):
        raise Refused("ご自身のロックは解除できません。NEXIにお問い合わせください。")
    if status_of(user) != LOCKED:
        raise Refused("このWebユーザーはロックされていません。")


def unlock(user: WebUser, *, by=None) -> None:
    """ロック解除: the failure count goes, the password stays (3-1). Locks never expire."""
    check_unlock(user, by=by)
    before = snapshot(user) if by is not None else None
    login_service.reset_failures(user.login_key)
    if by is not None:
        _by_staff("unlocked", user, by, before)
        return
    audit("login.unlock", user=current_user.user, login_key=user.login_key, by="admin", target=user.login_id)


def check_reset(user: WebUser, *, by=None) -> None:
    if by is None and is_self(user):
        raise Refused("ご自身のパスワードは「パスワード変更」で変更してください。")
    if not user.active:
        raise Refused("無効のWebユーザーのパスワードは再設定できません。再有効化してから操作してください。")


def reset_password(user: WebUser, password_hash: str | None, password: str | None, *, by=None) -> None:
    """パスワード再設定: a new 仮パスワード; the user's sessions end."""
    check_reset(user, by=by)
    before = snapshot(user) if by is not None else None
    if password is not None:
        passwords.set_password(user, password, temporary=True)
    else:
        user.password_hash, user.temporary_password, user.temporary_password_at = password_hash, True, real_now()
    db.session().add(user)
    end_sessions(user.id, "password_reset")
    if by is not None:
        _by_staff("password_reset", user, by, before)
        return
    audit("users.password_reset", user=current_user.user, target=user.login_id)


def check_otp(user: WebUser, action: str, *, by=None) -> None:
    if not user.active:
        raise Refused("無効のWebユーザーのワンタイムパスワードは設定できません。")
    if (action == "otp_on") == bool(user.otp_enabled):
        raise Refused("ワンタイムパスワードの設定は既にそのとおりです。")


def set_otp(user: WebUser, action: str, *, by=None) -> None:
    """ワンタイムパスワード 利用設定: on or off; turning it on, or a reset (再登録), makes the user
    enrol at its next login: the secret and its enrolment are cleared."""
    check_otp(user, "otp_on" if action == "otp_on" else "otp_off", by=by)
    before = snapshot(user) if by is not None else None
    user.otp_enabled = action != "otp_off"
    user.otp_secret, user.otp_enrolled_at, user.otp_last_step = None, None, None
    db.session().add(user)
    if by is not None:
        _by_staff(action, user, by, before)
        return
    audit(f"users.{action}", user=current_user.user, target=user.login_id)
