"""3-3 ⑰ ワンタイムパスワード 再登録: a current code of the enrolled secret, then a new secret
shown as a QR code and in text, which becomes the account's secret once one of its codes confirms it.

The new secret waits in the navigation state (the screen's arguments) sealed like a stored one,
so a refresh shows the same QR code. A wrong code counts as a login failure (3-1): enough of them
lock the ID, which ends the session, as a wrong current password does in パスワード変更.
"""

from flask import session, url_for
from flask_login import current_user, logout_user

from nexi import db, sessions
from nexi.audit import audit
from nexi.auth import lockout, otp
from nexi.blueprints.auth import bp
from nexi.blueprints.auth.forms import OtpForm
from nexi.models import WebUser
from nexi.navigation import finalize, guarded, screen, show, state
from nexi.rendering import add_message, redirect_page, render_screen

CHECK = "auth.otp_reenrol"
NEW = "auth.otp_reenrol_new"
WRONG = "ワンタイムパスワードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"
NOT_ENROLLED = "ワンタイムパスワードが登録されていないため、再登録はできません。次回のログイン時に登録してください。"


def _account() -> WebUser:
    return db.session().get(WebUser, current_user.user.id)


def _usable() -> bool:
    user = current_user.user
    if user.otp_enabled and otp.is_enrolled(user):
        return True
    add_message(NOT_ENROLLED, level="warning")
    return False


@bp.post("/otp/re-enrol")
@guarded
def otp_reenrol():
    """3-3 ⑰ ワンタイムパスワード再登録 (本人確認)."""
    if not _usable():
        return show("home.index")
    return show(CHECK)


@screen(CHECK)
def otp_reenrol_screen(errors: dict | None = None):
    form = OtpForm(formdata=None)
    form.restore_errors(errors or {})
    return render_screen("auth/otp_reenrol.html", form=form)


@bp.post("/otp/re-enrol/check")
@guarded
def otp_reenrol_check():
    """3-3 ⑰ 再登録: the current code of the enrolled secret, then a new secret to enrol."""
    if not _usable():
        return show("home.index")
    form = OtpForm()
    if not form.validate():
        return show(CHECK, errors=form.errors_for_state())
    user = _account()
    if not otp.verify(user, form.code.data):
        return _wrong(CHECK, "otp.reenrol_failure")
    lockout.reset_failures(user.login_key)
    return show(NEW, sealed=otp.seal(otp.new_secret()))


@screen(NEW)
def otp_reenrol_new_screen(sealed: str, errors: dict | None = None):
    secret = otp.unseal(sealed)
    uri = otp.provisioning_uri(secret, current_user.user.login_id)
    form = OtpForm(formdata=None)
    form.restore_errors(errors or {})
    return render_screen(
        "auth/otp_reenrol_new.html", form=form, qr=otp.qr_svg(uri), secret=otp.grouped(secret), uri=uri
    )


@bp.post("/otp/re-enrol/confirm")
@guarded
def otp_reenrol_confirm():
    """3-3 ⑰ 再登録: one code of the new secret makes it the account's secret."""
    sealed = (state().screen_args or {}).get("sealed")
    if state().screen != NEW or not sealed:
        return show(CHECK)
    form = OtpForm()
    if not form.validate():
        return show(NEW, sealed=sealed, errors=form.errors_for_state())
    user = _account()
    if not otp.enrol(user, otp.unseal(sealed), form.code.data):
        return _wrong(NEW, "otp.reenrol_failure", sealed=sealed)
    audit("otp.enrolled", user=user, at_login=False)
    current_user.user.otp_enrolled_at = user.otp_enrolled_at  # this request's copy, for the user page
    current_user.user.otp_last_used_at = user.otp_last_used_at
    add_message(
        "ワンタイムパスワードを再登録しました。次回のログインから、新しく登録した認証アプリの数字を入力してください。",
        level="success",
    )
    return show("home.index")


def _wrong(name: str, kind: str, **args):
    if lockout.record_failure(current_user.user.login_key, kind):
        finalize()  # the guard's state first: it is written only while the session is alive
        sessions.end(current_user.login_session, "locked")
        logout_user()
        session.clear()
        return redirect_page(url_for("auth.locked"))
    return show(name, errors={"__form__": [WRONG]}, **args)
