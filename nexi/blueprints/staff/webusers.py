"""Web users of every 保険利用者 on the console (S.8, 3-1, 3-6), for 管理担当 only: Webユーザー検索
across customers, a Web user's detail, and on the user shown ロック解除, パスワード再設定 (a generated
仮パスワード, shown once), ワンタイムパスワードの再登録, 利用停止 and 利用再開 — 管理者 included.

Each action goes through a confirmation screen and runs the customers' own rules and effects
(nexi/blueprints/users/service.py, with `by=` the staff member): at least one active 管理者 stays
per customer, the 50-user limit, sessions ended on 利用停止 and パスワード再設定; the service writes
the audit entry with the user's values before and after.

Every view checks the role (`manager_only`) and every screen too (`require_manager`). An action is
for the user the current screen shows (its state), never an id posted with the action.
"""

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import and_
from sqlmodel import col, select

from nexi import db
from nexi.auth import otp, passwords
from nexi.blueprints.staff import bp, menu
from nexi.blueprints.staff.accounts import _shown, _shown_once
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.customer_forms import WebUserSearchForm
from nexi.blueprints.staff.customers import page_of
from nexi.blueprints.users import service
from nexi.forms import bounded_int
from nexi.models import Customer, LoginFailure, WebUser
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "staff.webusers", "staff.webuser"
CONFIRM, DONE = "staff.webuser_confirm", "staff.webuser_done"
# action → (its name, what the confirmation says will happen)
ACTIONS = {
    "unlock": ("ロック解除", "ログインの失敗回数を0に戻し、ログインできるようにします。パスワードは変わりません。"),
    "password": (
        "パスワード再設定（仮パスワードの発行）",
        "新しい仮パスワードを自動生成します。このWebユーザーのログイン中のセッションは終了し、"
        "次回のログインでパスワードを変更していただきます。",
    ),
    "otp_reset": (
        "ワンタイムパスワードの再登録",
        "登録済みのワンタイムパスワード（認証アプリ）を取り消します。次回のログインで登録しなおしていただきます。",
    ),
    "disable": (
        "利用停止",
        "このWebユーザーはログインできなくなり、ログイン中のセッションはすぐに終了します。申込みの記録は残ります。",
    ),
    "enable": ("利用再開", "このWebユーザーは再びログインできるようになります。パスワードは変わりません。"),
}
GONE = "指定されたWebユーザーは見つかりません。"
REPLACE_FIRST = "管理者を交代するときは、先に保険利用者詳細の「管理者の追加」で新しい管理者を登録してください。"

menu.add(MANAGER, LIST, "Webユーザー検索（ロック解除・パスワード再設定・利用停止）", role=MANAGER, order=31)


def _check(user: WebUser, action: str) -> None:
    """The rules of 3-6 for the action (raises service.Refused), as NEXI staff take it."""
    by = current_user.staff
    if action == "unlock":
        service.check_unlock(user, by=by)
    elif action == "password":
        service.check_reset(user, by=by)
    elif action == "otp_reset":
        service.check_otp(user, "otp_reset", by=by)
    elif action == "disable":
        service.check_disable(user, by=by)
    else:
        service.check_enable(user, by=by)


def _refusal(user: WebUser, action: str, refused: service.Refused) -> str:
    if action == "disable" and user.is_admin:  # the last active 管理者
        return f"{refused}{REPLACE_FIRST}"
    return str(refused)


def get(user_id) -> WebUser | None:
    return db.session().get(WebUser, user_id) if isinstance(user_id, int) else None


def _user(user_id) -> tuple[WebUser, Customer]:
    """The user and its 保険利用者, in one query."""
    found = (
        db.session().exec(select(WebUser, Customer).join(Customer).where(col(WebUser.id) == user_id)).first()
        if isinstance(user_id, int)
        else None
    )
    if found is None:
        raise ScreenGone
    return found


def _empty() -> dict:
    return {"login_id": "", "name": "", "customer_code": ""}


# --- Webユーザー検索 -------------------------------------------------------------------------------


def _search(criteria: dict, page: int):
    """(rows of (user, customer, status), total, page, pages); each user's lock read in the same
    query (an outer join on its failure count)."""
    query = (
        select(WebUser, Customer, LoginFailure.locked_at)
        .join(Customer, col(Customer.id) == col(WebUser.customer_id))
        .outerjoin(
            LoginFailure,
            and_(col(LoginFailure.login_key) == col(WebUser.login_key), col(LoginFailure.locked_at).is_not(None)),
        )
    )
    if criteria.get("login_id"):
        query = query.where(col(WebUser.login_key).contains(criteria["login_id"].casefold(), autoescape=True))
    if criteria.get("name"):
        query = query.where(col(WebUser.name).contains(criteria["name"], autoescape=True))
    if criteria.get("customer_code"):
        query = query.where(col(Customer.code).startswith(criteria["customer_code"], autoescape=True))
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows, total, page, pages = page_of(query, (col(Customer.code), col(WebUser.login_key)), page, size)
    shown = [(user, company, _status(user, locked_at is not None)) for user, company, locked_at in rows]
    return shown, total, page, pages


def _status(user: WebUser, locked: bool) -> str:
    if not user.active:
        return service.DISABLED
    return service.LOCKED if locked else service.ACTIVE


@bp.post("/webusers")
@guarded
@manager_only
def webusers():
    """Webユーザー検索: the Web users of every customer, by 保険利用者コード and ID."""
    return show(LIST, criteria=_empty(), page=1)


@bp.post("/webusers/search")
@guarded
@manager_only
def webuser_search():
    form = WebUserSearchForm()
    if not form.validate():
        kept = _shown(LIST, "criteria") or _empty()
        return show(LIST, criteria=kept, page=1, typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria(), page=1)


@bp.post("/webusers/page")
@guarded
@manager_only
def webuser_page():
    criteria = _shown(LIST, "criteria") or _empty()
    return show(LIST, criteria=criteria, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(LIST)
def list_screen(criteria: dict, page: int = 1, typed: dict | None = None, errors: dict | None = None):
    require_manager()
    rows, total, page, pages = _search(criteria, page)
    form = WebUserSearchForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    return render_screen("staff/webusers.html", form=form, rows=rows, total=total, page=page, pages=pages)


# --- Webユーザー詳細 and its actions -----------------------------------------------------------------


def offered(user: WebUser, status: str) -> list[str]:
    """The actions the detail offers (each is checked again when taken)."""
    if not user.active:
        return ["enable"]
    found = ["unlock"] if status == service.LOCKED else []
    found.append("password")
    if user.otp_enabled:
        found.append("otp_reset")
    return [*found, "disable"]


@bp.post("/webusers/detail")
@guarded
@manager_only
def webuser():
    """Webユーザー詳細 (of a user the search or a customer's detail offers)."""
    user = get(bounded_int(request.form.get("user"), 1))
    if user is None:
        add_message(GONE, level="warning")
        return show(LIST, criteria=_empty(), page=1)
    return show(DETAIL, user_id=user.id)


@screen(DETAIL)
def detail_screen(user_id: int):
    require_manager()
    user, company = _user(user_id)
    status = service.status_of(user)
    return render_screen(
        "staff/webuser.html",
        user=user,
        company=company,
        status=status,
        actions=[(name, ACTIONS[name][0]) for name in offered(user, status)],
    )


@bp.post("/webusers/action")
@guarded
@manager_only
def webuser_action():
    """An action on the user shown, to confirm; one a rule forbids is refused with its reason."""
    user, action = get(_shown(DETAIL, "user_id")), request.form.get("action")
    if user is None:
        return show(LIST, criteria=_empty(), page=1)
    if action not in ACTIONS:
        return show(DETAIL, user_id=user.id)
    try:
        _check(user, action)
    except service.Refused as refused:
        add_message(_refusal(user, action, refused), level="warning")
        return show(DETAIL, user_id=user.id)
    return show(CONFIRM, user_id=user.id, action=action)


@screen(CONFIRM)
def confirm_screen(user_id: int, action: str):
    require_manager()
    if action not in ACTIONS:
        raise ScreenGone
    user, company = _user(user_id)
    label, effect = ACTIONS[action]
    return render_screen(
        "staff/webuser_confirm.html",
        user=user,
        company=company,
        status=service.status_of(user),
        action=action,
        label=label,
        effect=effect,
    )


@bp.post("/webusers/apply")
@guarded
@manager_only
def webuser_apply():
    """The confirmed action (「実行する」, its rules checked again), or back to the user (「戻る」)."""
    user, action = get(_shown(CONFIRM, "user_id")), _shown(CONFIRM, "action")
    if user is None or action not in ACTIONS:
        return show(LIST, criteria=_empty(), page=1)
    if request.form.get("action") != "apply":
        return show(DETAIL, user_id=user.id)
    by, sealed = current_user.staff, None
    try:
        if action == "unlock":
            service.unlock(user, by=by)
        elif action == "password":
            password = passwords.generate(user.login_id)
            service.reset_password(user, None, password, by=by)
            sealed = otp.seal(password)
        elif action == "otp_reset":
            service.set_otp(user, "otp_reset", by=by)
        elif action == "disable":
            service.disable(user, by=by)
        else:
            service.enable(user, by=by)
    except service.Refused as refused:  # the user changed meanwhile (by its 管理者, or another staff member)
        add_message(_refusal(user, action, refused), level="warning")
        return show(DETAIL, user_id=user.id)
    return show(DONE, user_id=user.id, action=action, sealed=sealed)


@screen(DONE)
def done_screen(user_id: int, action: str, sealed: str | None = None):
    require_manager()
    if action not in ACTIONS:
        raise ScreenGone
    user, company = _user(user_id)
    return render_screen(
        "staff/webuser_done.html",
        user=user,
        company=company,
        status=service.status_of(user),
        action=action,
        label=ACTIONS[action][0],
        generated=action == "password",
        password=_shown_once(sealed),
        days=passwords.temporary_days(),
    )
