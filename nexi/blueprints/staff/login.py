"""The staff login (S.1): ログインID + password, then TOTP — always, enrolled at the first login —
on the authentication core of chapter 3 (nexi/auth/), in the staff area's own cookie session.

The area has one GET besides its app address: `/staff/login` shows whichever step the browser is
at (the password, the TOTP code or its enrolment, the locked screen). Every step answers its POST
with a redirect to it (post/redirect/get), so a refresh never submits a password again.
"""

from flask import redirect, render_template, session, url_for
from flask_login import current_user

from nexi import db, sessions
from nexi.audit import audit
from nexi.auth import challenge, lockout, throttle
from nexi.auth import otp as otp_core
from nexi.blueprints.auth.forms import OtpForm
from nexi.blueprints.staff import bp
from nexi.blueprints.staff.forms import StaffLoginForm
from nexi.models import StaffUser
from nexi.navigation import redirect_misuse

WRONG = "ログインIDまたはパスワードが正しくありません。入力内容をご確認ください。"
WRONG_OTP = "ワンタイムパスワードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"
TEMPORARY_EXPIRED = (
    "仮パスワードの有効期限が切れているため、ログインできません。管理担当に新しい仮パスワードの発行を依頼してください。"
)
THROTTLED = "短時間に多くのログインが試みられたため、しばらくの間ログインを受け付けません。数分たってから、もう一度お試しください。"
NOTICES = {
    "timeout": "一定時間操作が行われなかったため、セッションの有効期限が切れました。入力中の内容は破棄されました。再度ログインしてください。",
    "expired": "ログインしてから一定時間が経過したため、セッションを終了しました。再度ログインしてください。",
    "superseded": "同じログインIDで新たにログインされたため、このセッションは終了しました。",
    "disabled": "このログインIDは利用できなくなりました。管理担当にお問い合わせください。",
    "otp_expired": "ワンタイムパスワードの入力時間が過ぎました。もう一度ログインしてください。",
    "logged_out": "ログアウトしました。",
}
LOCKED = "staff_locked"  # the cookie session's flag: the browser's last attempt hit a locked ID


def _refill(form, stored: dict | None):
    if stored:
        if "login_id" in form:
            form.login_id.data = stored.get("login_id", "")
        form.form_errors.extend(stored.get("form_errors", []))
        for name, errors in stored.get("errors", {}).items():
            form[name].errors = list(errors)


def _again(**stored):
    if stored:
        session["staff_login_form"] = stored
    return redirect(url_for("staff.login"), 303)


@bp.get("/login")
def login():
    """職員ログイン: the password, the TOTP code (or its enrolment), or the locked screen."""
    if current_user.is_authenticated:
        return redirect_misuse("away")
    if session.pop(LOCKED, False):
        return render_template("staff/locked.html", threshold=lockout.threshold())
    pending, expired = challenge.current(staff=True)
    stored = session.pop("staff_login_form", None)
    if pending is not None:
        form = OtpForm(formdata=None)
        _refill(form, stored)
        if pending.secret is None:
            return render_template("staff/otp.html", form=form)
        secret = otp_core.reveal(pending.secret)
        uri = otp_core.provisioning_uri(secret, db.session().get(StaffUser, pending.staff_user_id).login_id)
        qr = otp_core.qr_svg(uri)
        return render_template("staff/otp_enrol.html", form=form, qr=qr, secret=otp_core.grouped(secret))
    form = StaffLoginForm(formdata=None)
    _refill(form, stored)
    notice = NOTICES.get("otp_expired" if expired else session.pop("login_notice", None))
    return render_template("staff/login.html", form=form, notice=notice)


@bp.post("/login")
def login_submit():
    """職員ログイン (ログインID + パスワード); TOTP follows in every case."""
    if current_user.is_authenticated:
        sessions.logout()
    form = StaffLoginForm()
    if not form.validate():
        return _again(login_id=form.login_id.data or "", errors=form.errors)
    if not throttle.allow():
        return _again(login_id=form.login_id.data, form_errors=[THROTTLED])
    attempt = lockout.check_password(form.login_id.data, form.password.data, staff=True)
    if attempt.locked:
        session[LOCKED] = True
        return _again()
    if attempt.expired:
        return _again(login_id=form.login_id.data, form_errors=[TEMPORARY_EXPIRED])
    if attempt.user is None:
        return _again(login_id=form.login_id.data, form_errors=[WRONG])
    challenge.begin(attempt.user, attempt.key)
    return _again()


@bp.post("/login/otp")
def otp_submit():
    """職員ログイン: the TOTP code (the first code of a new secret enrols it)."""
    pending, expired = challenge.current(staff=True)
    if pending is None:
        if expired:
            session["login_notice"] = "otp_expired"
        return _again()
    form = OtpForm()
    if not form.validate():
        return _again(errors=form.errors)
    if not throttle.allow():
        return _again(form_errors=[THROTTLED])
    key = pending.login_key
    staff = db.session().get(StaffUser, pending.staff_user_id)
    if lockout.is_locked(key) or staff is None or not staff.active:
        challenge.finish(pending)
        session[LOCKED] = True
        return _again()
    enrolling = pending.secret is not None
    if enrolling:
        right = otp_core.enrol(staff, otp_core.reveal(pending.secret), form.code.data)
    else:
        right = otp_core.verify(staff, form.code.data)
    if not right:
        if lockout.record_failure(key, "staff.login.otp_failure"):
            challenge.finish(pending)
            session[LOCKED] = True
            return _again()
        return _again(form_errors=[WRONG_OTP])
    if enrolling:
        audit("staff.otp.enrolled", staff=staff)
    challenge.finish(pending)
    lockout.reset_failures(key)
    sessions.start_staff(staff)
    return redirect(url_for("staff.current"), 303)


@bp.post("/logout")
def logout():
    """ログアウト of the staff area."""
    sessions.logout()
    session["login_notice"] = "logged_out"
    return redirect(url_for("staff.login"), 303)
