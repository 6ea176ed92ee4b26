"""The staff console (S.1): the area's one address, its home, and a staff member's own password
(3-2's policy; forced while the login holds a 仮パスワード)."""

from functools import wraps

from flask import request, session, url_for
from flask_login import current_user, login_required, logout_user

from nexi import db, sessions
from nexi.audit import audit
from nexi.auth import lockout, passwords
from nexi.blueprints.staff import bp, menu
from nexi.blueprints.staff.forms import StaffForcedPasswordForm, StaffPasswordForm
from nexi.models import StaffUser
from nexi.models.staff import MANAGER, REVIEWER
from nexi.navigation import (
    HOLDS,
    ScreenGone,
    arrived_by_typing,
    claim_ticket,
    finalize,
    guarded,
    reissue,
    render_current,
    screen,
    show,
    while_held,
)
from nexi.rendering import add_message, redirect_page, render_screen
from nexi.security import verify_password

HOME = "staff.home"
PASSWORD = "staff.password"
WRONG_CURRENT = "現在のパスワードが正しくありません"
DENIED = {
    MANAGER: "この操作を行う権限がありません（管理担当のみ）。",
    REVIEWER: "この操作を行う権限がありません（審査担当のみ）。",
}


def holds(role: str) -> bool:
    staff = current_user.staff
    return bool(staff.manager if role == MANAGER else staff.reviewer)


def role_only(role: str):
    """A screen action for one role: anyone else is told so, on the console home. The view is
    marked with its role (`view.staff_role`): tests/http/staff/test_roles.py replays every staff
    action as the other role and as a customer."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not holds(role):
                audit("staff.denied", staff=current_user.staff, endpoint=request.endpoint, role=role)
                add_message(DENIED[role], level="warning")
                return show(HOME)
            return view(*args, **kwargs)

        wrapper.staff_role = role
        return wrapper

    return decorate


manager_only = role_only(MANAGER)
reviewer_only = role_only(REVIEWER)


def require(role: str) -> None:
    """For the screens of one role (their state may outlive a role taken away): else the home."""
    if not holds(role):
        raise ScreenGone


def require_manager() -> None:
    require(MANAGER)


def require_reviewer() -> None:
    require(REVIEWER)


@bp.get("/")
@login_required
def current():
    """The staff area's one address: the current screen, rendered again from the server's state."""
    if claim_ticket():
        return render_current()
    return reissue("typed" if arrived_by_typing() else "history")


@bp.post("/home")
@guarded
def home():
    """職員コンソールへ戻る."""
    return show(HOME)


@screen(HOME)
def home_screen():
    return render_screen("staff/home.html", menu=menu.visible(current_user.staff))


def _held() -> str | None:
    return PASSWORD if current_user.staff.temporary_password else None


HOLDS["staff"].append(_held)
menu.add("ご自身のアカウント", PASSWORD, "パスワード変更")


def _form_class():
    return StaffForcedPasswordForm if current_user.staff.temporary_password else StaffPasswordForm


@bp.post("/password")
@guarded
def password():
    """パスワード変更 (3-2) of the staff member's own password."""
    return show(PASSWORD)


@screen(PASSWORD)
def password_screen(errors: dict | None = None):
    staff = current_user.staff
    forced = bool(staff.temporary_password)
    if forced and passwords.temporary_expired(staff):
        sessions.end(current_user.login_session, "temporary_expired")
        audit("staff.login.temporary_expired", staff=staff, login_key=staff.login_key)
        return render_screen("staff/temporary_expired.html", days=passwords.temporary_days())
    form = _form_class()(formdata=None)
    form.restore_errors(errors or {})
    expires_at = passwords.temporary_expires_at(staff)
    return render_screen("staff/password.html", form=form, forced=forced, expires_at=expires_at)


@bp.post("/password/change")
@guarded
@while_held
def password_submit():
    """パスワード変更: check, then replace the password; the staff member's other sessions end."""
    forced = bool(current_user.staff.temporary_password)
    form = _form_class()()
    if not form.validate():
        return show(PASSWORD, errors=form.errors_for_state())
    staff = db.session().get(StaffUser, current_user.staff.id)
    if forced and passwords.temporary_expired(staff):
        return show(PASSWORD)  # the screen ends the login
    if not forced and not verify_password(staff.password_hash, form.current_password.data):
        # A wrong current password is a login failure (3-1): enough of them lock the ID.
        if lockout.record_failure(lockout.staff_key(staff.login_id), "staff.password_change.failure"):
            finalize()  # the guard's state first: it is written only while the session is alive
            sessions.end(current_user.login_session, "locked")
            logout_user()
            session.clear()
            session["staff_locked"] = True
            return redirect_page(url_for("staff.login"))
        form.current_password.errors = [WRONG_CURRENT]
        return show(PASSWORD, errors=form.errors_for_state())
    found = passwords.problems(form.new_password.data, staff.login_id, staff.password_hash, thing="新しいパスワード")
    if found:
        form.new_password.errors = [message.replace("WebユーザーID", "ログインID") for message in found]
        return show(PASSWORD, errors=form.errors_for_state())
    before = {"temporary_password": staff.temporary_password}
    passwords.set_password(staff, form.new_password.data, temporary=False)
    db.session().add(staff)
    sessions.end_staff_sessions(staff.id, "password_changed", keep=current_user.login_session.id)
    current_user.staff.temporary_password = False  # this request's copy: the hold is over
    audit("staff.password.changed", staff=staff, forced=forced, before=before, after={"temporary_password": False})
    add_message("パスワードを変更しました。次回のログインから新しいパスワードをお使いください。", level="success")
    return show(HOME)
