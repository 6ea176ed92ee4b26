"""職員アカウント管理 (S.1), for 管理担当 only: the list of staff, adding one (its 仮パスワード shown
once), and, for another staff member, unlocking, a new 仮パスワード or a new TOTP enrolment. Each
action goes through a confirmation screen and is audited with the values before and after.

Every view checks the role (`manager_only`) and every screen too (`require_manager`). The staff
member acted on is the one the current screen shows (its state), never an id posted with the action.
"""

from flask import request
from flask_login import current_user
from sqlmodel import col, update

from nexi import db
from nexi.auth import otp, passwords
from nexi.blueprints.staff import bp, menu, service
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.blueprints.staff.forms import StaffAddForm
from nexi.forms import bounded_int
from nexi.models import LoginSession
from nexi.models.staff import MANAGER
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.rendering import add_message, render_screen

LIST, DETAIL, CONFIRM, DONE = "staff.accounts", "staff.account", "staff.account_confirm", "staff.account_done"
ADD, ADD_CONFIRM = "staff.account_add", "staff.account_add_confirm"
ACTIONS = {
    "unlock": "ロック解除",
    "password": "パスワード再設定（仮パスワードの発行）",
    "otp": "ワンタイムパスワードの再登録",
}
TAKEN = "このログインIDはすでに使われています。別のログインIDを入力してください"
SELF = "ご自身のアカウントにはこの操作はできません。パスワードの変更は「パスワード変更」で行ってください。"


def _shown(name: str, key: str = "staff_id"):
    """The argument `key` of the current screen when it is `name`, else None."""
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def _account(staff_id):
    staff = service.get(staff_id) if isinstance(staff_id, int) else None
    if staff is None:
        raise ScreenGone
    return staff


menu.add(MANAGER, LIST, "職員アカウント管理", role=MANAGER, order=90)


@bp.post("/accounts")
@guarded
@manager_only
def accounts():
    """職員アカウント管理: the list of staff."""
    return show(LIST)


@screen(LIST)
def accounts_screen():
    require_manager()
    rows = service.all_staff()
    locked = service.locked_keys()
    statuses = {staff.id: service.status(staff, locked) for staff in rows}
    return render_screen("staff/accounts.html", rows=rows, statuses=statuses)


@bp.post("/accounts/detail")
@guarded
@manager_only
def account():
    """職員アカウント詳細."""
    staff_id = bounded_int(request.form.get("staff"), 1)
    if staff_id is None or service.get(staff_id) is None:
        return show(LIST)
    return show(DETAIL, staff_id=staff_id)


@screen(DETAIL)
def account_screen(staff_id: int):
    require_manager()
    staff = _account(staff_id)
    return render_screen(
        "staff/account.html",
        staff=staff,
        status=service.status(staff),
        enrolled=otp.is_enrolled(staff),
        own=staff.id == current_user.staff.id,
    )


@bp.post("/accounts/action")
@guarded
@manager_only
def account_action():
    """An action on the staff member shown, to confirm."""
    staff_id, action = _shown(DETAIL), request.form.get("action")
    if staff_id is None or action not in ACTIONS:
        return show(LIST)
    if staff_id == current_user.staff.id:
        add_message(SELF, level="warning")
        return show(DETAIL, staff_id=staff_id)
    return show(CONFIRM, staff_id=staff_id, action=action)


@screen(CONFIRM)
def confirm_screen(staff_id: int, action: str):
    require_manager()
    staff = _account(staff_id)
    return render_screen(
        "staff/account_confirm.html", staff=staff, status=service.status(staff), action=action, label=ACTIONS[action]
    )


@bp.post("/accounts/apply")
@guarded
@manager_only
def account_apply():
    """The confirmed action (「実行する」), or back to the staff member (「戻る」)."""
    staff_id, action = _shown(CONFIRM), _shown(CONFIRM, "action")
    if staff_id is None or action not in ACTIONS:
        return show(LIST)
    if request.form.get("action") != "apply":
        return show(DETAIL, staff_id=staff_id)
    staff = service.get(staff_id)
    if staff is None or staff.id == current_user.staff.id:
        return show(LIST)
    by = current_user.staff
    sealed = None
    if action == "unlock":
        service.unlock(staff, by=by)
    elif action == "password":
        sealed = otp.seal(service.reset_password(staff, by=by))
    else:
        service.reset_otp(staff, by=by)
    return show(DONE, staff_id=staff_id, action=action, sealed=sealed)


def _shown_once(sealed: str | None) -> str | None:
    """The 仮パスワード kept (sealed, like a secret) in the screen's arguments, removed from them
    as it is shown: a refresh says it was shown instead of showing it again."""
    if sealed is None:
        return None
    login_session = state()
    login_session.screen_args = {k: v for k, v in (login_session.screen_args or {}).items() if k != "sealed"}
    db.session().execute(
        update(LoginSession)
        .where(col(LoginSession.id) == login_session.id)
        .values(screen_args=login_session.screen_args)
    )
    return otp.unseal(sealed)


@screen(DONE)
def done_screen(staff_id: int, action: str, sealed: str | None = None):
    require_manager()
    staff = _account(staff_id)
    return render_screen(
        "staff/account_done.html",
        staff=staff,
        action=action,
        label=ACTIONS.get(action),
        generated=action in ("add", "password"),
        password=_shown_once(sealed),
        days=passwords.temporary_days(),
    )


@bp.post("/accounts/add")
@guarded
@manager_only
def account_add():
    """職員の追加 (入力)."""
    return show(ADD, values={})


@screen(ADD)
def add_screen(values: dict, errors: dict | None = None):
    require_manager()
    form = StaffAddForm(formdata=None, data=values)
    form.restore_errors(errors or {})
    return render_screen("staff/account_add.html", form=form)


@bp.post("/accounts/add/check")
@guarded
@manager_only
def account_add_check():
    """職員の追加: the input checked, then its confirmation (or back to the list)."""
    if request.form.get("action") == "back":
        return show(LIST)
    form = StaffAddForm()
    values = form.data_for_state()
    if not form.validate():
        return show(ADD, values=values, errors=form.errors_for_state())
    if service.find(form.login_id.data) is not None:
        form.login_id.errors = [TAKEN]
        return show(ADD, values=values, errors=form.errors_for_state())
    return show(ADD_CONFIRM, values=values)


@screen(ADD_CONFIRM)
def add_confirm_screen(values: dict):
    require_manager()
    return render_screen("staff/account_add_confirm.html", values=values)


@bp.post("/accounts/add/submit")
@guarded
@manager_only
def account_add_submit():
    """職員の追加: 「追加する」 creates the account with a 仮パスワード (or 「修正する」 goes back)."""
    values = _shown(ADD_CONFIRM, "values")
    if values is None:
        return show(LIST)
    if request.form.get("action") != "submit":
        return show(ADD, values=values)
    if service.find(values["login_id"]) is not None:  # taken meanwhile by someone else
        return show(ADD, values=values, errors={"login_id": [TAKEN]})
    staff, password = service.create(values["login_id"], values["name"], values["roles"], by=current_user.staff)
    return show(DONE, staff_id=staff.id, action="add", sealed=otp.seal(password))
