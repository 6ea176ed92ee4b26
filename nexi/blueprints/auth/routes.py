"""1章 2-2 ログインからログアウトまで; 3章 3-1 (lockout, one-time password, idle timeout).

The login screens follow post/redirect/get like every other screen: a failed attempt stores the
typed ID (never the password) and the message in the cookie session and redirects, so a refresh
never submits a password again.
"""

import time

from flask import current_app, redirect, render_template, session, url_for
from flask_login import current_user

from nexi import sessions
from nexi.blueprints.auth import bp, service
from nexi.blueprints.auth.forms import LoginForm, OtpForm
from nexi.navigation import redirect_misuse

WRONG = "WebユーザーIDまたはパスワードが正しくありません。入力内容をご確認ください。"
WRONG_OTP = "ワンタイムパスワードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"


def _refill(form, stored: dict | None):
    if stored:
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
    attempt = service.check_password(form.login_id.data, form.password.data)
    if attempt.locked:
        return redirect(url_for("auth.locked"), 303)
    if attempt.user is None:
        session["login_form"] = {"login_id": form.login_id.data, "form_errors": [WRONG]}
        return redirect(url_for("auth.login"), 303)
    if attempt.user.otp_enabled:
        session.clear()
        session["otp"] = {"user_id": attempt.user.id, "key": attempt.key, "at": time.time()}
        return redirect(url_for("auth.otp"), 303)
    service.reset_failures(attempt.key)
    sessions.start(attempt.user)
    return redirect(url_for("home.current"), 303)


def _pending_otp() -> dict | None:
    pending = session.get("otp")
    if pending and time.time() - pending["at"] <= current_app.config["NEXI_OTP_PENDING_SECONDS"]:
        return pending
    session.pop("otp", None)
    return None


@bp.get("/login/otp")
def otp():
    """3-1 ワンタイムパスワード入力画面 (second login step)."""
    if _pending_otp() is None:
        return redirect(url_for("auth.login"))
    form = OtpForm(formdata=None)
    stored = session.pop("otp_form", None) or {}
    form.form_errors.extend(stored.get("form_errors", []))
    for name, errors in stored.get("errors", {}).items():
        form[name].errors = list(errors)
    return render_template("auth/otp.html", form=form)


@bp.post("/login/otp")
def otp_submit():
    """3-1 ワンタイムパスワードの確認."""
    pending = _pending_otp()
    if pending is None:
        session["login_notice"] = "otp_expired"
        return redirect(url_for("auth.login"), 303)
    form = OtpForm()
    if not form.validate():
        session["otp_form"] = {"errors": form.errors}
        return redirect(url_for("auth.otp"), 303)
    key = pending["key"]
    user = service.find_user(key)
    if service.is_locked(key) or user is None or not user.active:
        session.pop("otp", None)
        return redirect(url_for("auth.locked"), 303)
    if not service.otp_code_matches(user, form.code.data):
        if service.record_failure(key, "login.otp_failure"):
            session.pop("otp", None)
            return redirect(url_for("auth.locked"), 303)
        session["otp_form"] = {"form_errors": [WRONG_OTP]}
        return redirect(url_for("auth.otp"), 303)
    service.reset_failures(key)
    sessions.start(user)
    return redirect(url_for("home.current"), 303)


@bp.get("/login/locked")
def locked():
    """2-2 パスワードエラー画面."""
    return render_template("auth/locked.html", threshold=service.threshold())


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
