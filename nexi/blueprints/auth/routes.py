"""1章 2-2 ログインからログアウトまで; 3章 3-1 (lockout, one-time password, idle timeout).

The login screens follow post/redirect/get like every other screen: a failed attempt stores the
typed ID (never the password) and the message in the cookie session and redirects, so a refresh
never submits a password again. Between the password and the one-time password the login is a
row on the server (nexi/auth/challenge.py), never a claim of the cookie.
"""

from flask import redirect, render_template, session, url_for
from flask_login import current_user

from nexi import db, sessions
from nexi.audit import audit
from nexi.auth import challenge, lockout, throttle
from nexi.auth import otp as otp_core
from nexi.blueprints.auth import bp
from nexi.blueprints.auth.forms import LoginForm, OtpForm
from nexi.models import WebUser
from nexi.navigation import redirect_misuse

WRONG = "WebユーザーIDまたはパスワードが正しくありません。入力内容をご確認ください。"
WRONG_OTP = "ワンタイムパスワードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"
TEMPORARY_EXPIRED = (
    "仮パスワードの有効期限が切れているため、ログインできません。"
    "自社の管理者（管理者の方はNEXI）に、新しい仮パスワードの発行を依頼してください。"
)
THROTTLED = (
    "短時間に多くのログインが試みられたため、しばらくの間ログインを受け付けません。"
    "数分たってから、もう一度お試しください。"
)


def _refill(form, stored: dict | None):
    if stored:
        if "login_id" in form:
            form.login_id.data = stored.get("login_id", "")
        form.form_errors.extend(stored.get("form_errors", []))
        for name, errors in stored.get("errors", {}).items():
            form[name].errors = list(errors)


@bp.get("/login")
def login():
    """2-2 ログイン画面."""
    if current_user.is_authenticated:
        # Back to the login page, or its address typed: browsers report both alike.
        return redirect_misuse("away")
    form = LoginForm(formdata=None)
    _refill(form, session.pop("login_form", None))
    notice = sessions.LOGIN_NOTICES.get(session.pop("login_notice", None))
    return render_template("auth/login.html", form=form, notice=notice)


@bp.post("/login")
def login_submit():
    """2-2 ログイン (WebユーザーID + パスワード)."""
    if current_user.is_authenticated:
        sessions.logout()
    form = LoginForm()
    if not form.validate():
        session["login_form"] = {"login_id": form.login_id.data or "", "errors": form.errors}
        return redirect(url_for("auth.login"), 303)
    if not throttle.allow():
        session["login_form"] = {"login_id": form.login_id.data, "form_errors": [THROTTLED]}
        return redirect(url_for("auth.login"), 303)
    attempt = lockout.check_password(form.login_id.data, form.password.data)
    if attempt.locked:
        return redirect(url_for("auth.locked"), 303)
    if attempt.expired:
        session["login_form"] = {"login_id": form.login_id.data, "form_errors": [TEMPORARY_EXPIRED]}
        return redirect(url_for("auth.login"), 303)
    if attempt.user is None:
        session["login_form"] = {"login_id": form.login_id.data, "form_errors": [WRONG]}
        return redirect(url_for("auth.login"), 303)
    if attempt.user.otp_enabled:
        challenge.begin(attempt.user, attempt.key)
        return redirect(url_for("auth.otp"), 303)
    lockout.reset_failures(attempt.key)
    sessions.start(attempt.user)
    return redirect(url_for("home.current"), 303)


def _no_challenge(expired: bool):
    if expired:
        session["login_notice"] = "otp_expired"
    return redirect(url_for("auth.login"), 303)


@bp.get("/login/otp")
def otp():
    """3-1 ワンタイムパスワード入力画面, or 3-3 ワンタイムパスワード登録 for an account without a secret."""
    pending, expired = challenge.current()
    if pending is None:
        return _no_challenge(expired)
    form = OtpForm(formdata=None)
    _refill(form, session.pop("otp_form", None))
    if pending.secret is None:
        return render_template("auth/otp.html", form=form)
    secret = otp_core.reveal(pending.secret)
    uri = otp_core.provisioning_uri(secret, db.session().get(WebUser, pending.user_id).login_id)
    return render_template(
        "auth/otp_enrol.html", form=form, qr=otp_core.qr_svg(uri), secret=otp_core.grouped(secret), uri=uri
    )


@bp.post("/login/otp")
def otp_submit():
    """3-1 ワンタイムパスワードの確認 (3-3: the first code of a new secret enrols it)."""
    pending, expired = challenge.current()
    if pending is None:
        return _no_challenge(expired)
    form = OtpForm()
    if not form.validate():
        session["otp_form"] = {"errors": form.errors}
        return redirect(url_for("auth.otp"), 303)
    if not throttle.allow():
        session["otp_form"] = {"form_errors": [THROTTLED]}
        return redirect(url_for("auth.otp"), 303)
    key = pending.login_key
    user = db.session().get(WebUser, pending.user_id)
    if lockout.is_locked(key) or user is None or not user.active:
        challenge.finish(pending)
        return redirect(url_for("auth.locked"), 303)
    enrolling = pending.secret is not None
    if enrolling:
        right = otp_core.enrol(user, otp_core.reveal(pending.secret), form.code.data)
    else:
        right = otp_core.verify(user, form.code.data)
    if not right:
        if lockout.record_failure(key, "login.otp_failure"):
            challenge.finish(pending)
            return redirect(url_for("auth.locked"), 303)
        session["otp_form"] = {"form_errors": [WRONG_OTP]}
        return redirect(url_for("auth.otp"), 303)
    if enrolling:
        audit("otp.enrolled", user=user, at_login=True)
    challenge.finish(pending)
    lockout.reset_failures(key)
    sessions.start(user)
    return redirect(url_for("home.current"), 303)


@bp.get("/login/locked")
def locked():
    """2-2 パスワードエラー画面."""
    return render_template("auth/locked.html", threshold=lockout.threshold())


@bp.post("/logout")
def logout():
    """2-2 ④ ログアウト (「終了」 on pattern-2 screens)."""
    sessions.logout()
    return redirect(url_for("auth.logged_out"), 303)


@bp.get("/logged-out")
def logged_out():
    """ログアウト完了画面."""
    if current_user.is_authenticated:
        return redirect(url_for("home.current"))
    return render_template("auth/logged_out.html")
