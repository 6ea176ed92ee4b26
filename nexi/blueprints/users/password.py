"""3章 3-2 パスワード変更 (⑯ 「パスワード変更」), also forced at the first login with a 仮パスワード.

A login whose user holds a 仮パスワード is held on this screen (nexi/navigation.py HOLDS): no
other screen, GET / included, is shown until the password is changed. A 仮パスワード past
NEXI_TEMP_PASSWORD_DAYS ends the login at once, with a screen saying to ask the 管理者.
"""

from flask import session, url_for
from flask_login import current_user, logout_user

from nexi import db, sessions
from nexi.audit import audit
from nexi.auth import lockout as login_service
from nexi.auth import passwords
from nexi.blueprints.users import bp, service
from nexi.blueprints.users.forms import ForcedPasswordForm, PasswordChangeForm
from nexi.models import WebUser
from nexi.navigation import HOLDS, finalize, guarded, screen, show, while_held
from nexi.rendering import add_message, redirect_page, render_screen
from nexi.security import verify_password

SCREEN = "users.password"
WRONG_CURRENT = "現在のパスワードが正しくありません"


def _held() -> str | None:
    return SCREEN if current_user.user.temporary_password else None


HOLDS["customer"].append(_held)


@bp.post("/password")
@guarded
def password():
    """3-2 パスワード変更 (⑯ 「パスワード変更」)."""
    return show(SCREEN)


@screen(SCREEN)
def password_screen(errors: dict | None = None):
    user = current_user.user
    forced = bool(user.temporary_password)
    if forced and passwords.temporary_expired(user):
        return _expired()
    form = (ForcedPasswordForm if forced else PasswordChangeForm)(formdata=None)
    form.restore_errors(errors or {})
    return render_screen(
        "users/password.html", form=form, forced=forced, expires_at=passwords.temporary_expires_at(user)
    )


def _expired():
    """A 仮パスワード past its validity: the login ends here (3-2), the screen says what to do."""
    sessions.end(current_user.login_session, "temporary_expired")
    audit("login.temporary_expired", user=current_user.user, login_key=current_user.user.login_key)
    return render_screen("users/temporary_expired.html", days=passwords.temporary_days())


@bp.post("/password/change")
@guarded
@while_held
def password_submit():
    """3-2 パスワード変更: check, then replace the password; the user's other sessions end."""
    forced = bool(current_user.user.temporary_password)
    form = (ForcedPasswordForm if forced else PasswordChangeForm)()
    if not form.validate():
        return show(SCREEN, errors=form.errors_for_state())
    user = db.session().get(WebUser, current_user.user.id)
    if forced and passwords.temporary_expired(user):
        return show(SCREEN)  # the screen ends the login
    if not forced and not verify_password(user.password_hash, form.current_password.data):
        # A wrong current password is a login failure (3-1): enough of them lock the ID.
        if login_service.record_failure(user.login_key, "password_change.failure"):
            return _locked_out()
        form.current_password.errors = [WRONG_CURRENT]
        return show(SCREEN, errors=form.errors_for_state())
    found = passwords.problems(form.new_password.data, user.login_id, user.password_hash, thing="新しいパスワード")
    if found:
        form.new_password.errors = found
        return show(SCREEN, errors=form.errors_for_state())
    passwords.set_password(user, form.new_password.data, temporary=False)
    db.session().add(user)
    service.end_sessions(user.id, "password_changed", keep=current_user.login_session.id)
    current_user.user.temporary_password = False  # this request's copy: the hold is over
    audit("password.changed", user=user, forced=forced)
    add_message("パスワードを変更しました。次回のログインから新しいパスワードをお使いください。", level="success")
    return show("home.index")


def _locked_out():
    """The ID is locked: the login ends and the browser goes to the パスワードエラー画面."""
    finalize()  # the guard's state first: it is written only while the session is alive
    sessions.end(current_user.login_session, "locked")
    logout_user()
    session.clear()
    return redirect_page(url_for("auth.locked"))
