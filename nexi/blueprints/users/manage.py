"""3章 3-6 Webユーザー管理 (⑯, 管理者 only): 一覧, the user's page, and the actions taken on it
after a confirmation screen — 無効化 / 再有効化, ロック解除, ワンタイムパスワード 利用設定 / 再登録.

追加, 変更 and パスワード再設定 ask for input (nexi/blueprints/users/profile.py). Every action is
a guarded POST; the user is named by its id and found only within the current 保険利用者.
"""

from functools import wraps

from flask import request
from flask_login import current_user

from nexi.audit import audit
from nexi.blueprints.users import bp, service
from nexi.forms import bounded_int
from nexi.models import Role
from nexi.navigation import ScreenGone, guarded, screen, show
from nexi.rendering import add_message, render_screen

NOT_ADMIN = "Webユーザー管理は管理者のみご利用いただけます。"
NOT_FOUND = "指定されたWebユーザーは見つかりません。"

# action → (button, what the confirmation asks, what is said when done)
ACTIONS = {
    "disable": ("無効化", "{name}（{id}）を無効化しますか？", "{id} を無効化しました。"),
    "enable": ("再有効化", "{name}（{id}）を再有効化しますか？", "{id} を再有効化しました。"),
    "unlock": ("ロック解除", "{name}（{id}）のロックを解除しますか？", "{id} のロックを解除しました。"),
    "otp_on": (
        "ワンタイムパスワードを利用する",
        "{name}（{id}）のワンタイムパスワードを「利用する」に設定しますか？",
        "{id} のワンタイムパスワードを「利用する」に設定しました。次回のログイン時に登録していただきます。",
    ),
    "otp_off": (
        "ワンタイムパスワードを利用しない",
        "{name}（{id}）のワンタイムパスワードを「利用しない」に設定しますか？",
        "{id} のワンタイムパスワードを「利用しない」に設定しました。",
    ),
    "otp_reset": (
        "ワンタイムパスワードの再登録",
        "{name}（{id}）のワンタイムパスワードの登録を取り消し、次回のログインで再登録していただきますか？",
        "{id} のワンタイムパスワードの登録を取り消しました。次回のログイン時に再登録していただきます。",
    ),
}


def admin_only(view):
    """3-6 is a 管理者's: a 一般 user's request (a forged POST: its menu entry has no link) is refused."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.user.is_admin:
            audit("users.forbidden", user=current_user.user, endpoint=request.endpoint)
            add_message(NOT_ADMIN, level="warning")
            return show("home.index")
        return view(*args, **kwargs)

    return wrapper


def require_admin() -> None:
    """A screen of 3-6 rendered again for a user who is no 管理者 any more: the user page instead."""
    if not current_user.user.is_admin:
        raise ScreenGone


def posted_user():
    """The user the form names, within the current 保険利用者; a message when there is none."""
    user = service.find(bounded_int(request.form.get("user"), 1))
    if user is None:
        add_message(NOT_FOUND, level="warning")
    return user


def offered(user, status: str) -> list[str]:
    """The actions the user's page offers (the rules are checked again when one is taken)."""
    mine = service.is_self(user)
    found = ["edit"]
    if user.active:
        found += [] if mine else ["reset", "disable"]
        if status == service.LOCKED and not mine:
            found.append("unlock")
        found += ["otp_off", "otp_reset"] if user.otp_enabled else ["otp_on"]
    else:
        found.append("enable")
    return found


@bp.post("/manage")
@guarded
@admin_only
def manage():
    """3-6 Webユーザー管理 (一覧)."""
    return show("users.manage")


@screen("users.manage")
def manage_screen():
    require_admin()
    return render_screen("users/manage.html", users=service.listed(), roles=Role)


@bp.post("/detail")
@guarded
@admin_only
def detail():
    """3-6 Webユーザー詳細: the user's data and what can be done with it."""
    user = posted_user()
    if user is None:
        return show("users.manage")
    return show("users.detail", user_id=user.id)


@screen("users.detail")
def detail_screen(user_id: int, confirming: str | None = None):
    require_admin()
    user = service.find(user_id)
    if user is None:
        raise ScreenGone
    status = service.status_of(user)
    question = ACTIONS[confirming][1].format(name=user.name, id=user.login_id) if confirming in ACTIONS else None
    return render_screen(
        "users/detail.html",
        user=user,
        status=status,
        actions=offered(user, status),
        labels={name: label for name, (label, _, _) in ACTIONS.items()},
        confirming=confirming if question else None,
        question=question,
        is_self=service.is_self(user),
        roles=Role,
    )


CHECKS = {
    "disable": service.check_disable,
    "enable": service.check_enable,
    "unlock": service.check_unlock,
    "otp_on": service.check_otp,
    "otp_off": service.check_otp,
    "otp_reset": service.check_otp,
}
PERFORM = {
    "disable": service.disable,
    "enable": service.enable,
    "unlock": service.unlock,
    "otp_on": lambda user: service.set_otp(user, "otp_on"),
    "otp_off": lambda user: service.set_otp(user, "otp_off"),
    "otp_reset": lambda user: service.set_otp(user, "otp_reset"),
}


@bp.post("/action")
@guarded
@admin_only
def action():
    """3-6 無効化 / 再有効化 / ロック解除 / ワンタイムパスワード: a confirmation screen first, then
    the action; a rule that forbids it stops it with a message and changes nothing."""
    user = posted_user()
    if user is None:
        return show("users.manage")
    name = request.form.get("action")
    if name not in ACTIONS or name not in offered(user, service.status_of(user)):
        try:  # a forged request: say which rule forbids it, where one does
            if name in CHECKS:
                CHECKS[name](user, name)
            add_message("このWebユーザーの状態では、その操作は行えません。", level="warning")
        except service.Refused as refused:
            add_message(str(refused), level="warning")
        return show("users.detail", user_id=user.id)
    try:
        CHECKS[name](user, name)
        if request.form.get("confirmed") != "yes":
            return show("users.detail", user_id=user.id, confirming=name)
        PERFORM[name](user)
    except service.Refused as refused:
        add_message(str(refused), level="warning")
        return show("users.detail", user_id=user.id)
    add_message(ACTIONS[name][2].format(id=user.login_id), level="success")
    return show("users.detail", user_id=user.id)
