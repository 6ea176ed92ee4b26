"""3章 3-6 Webユーザー管理: 追加 (入力 → 確認 → 完了), 変更 (入力 → 確認) and パスワード再設定.

A typed 仮パスワード is hashed as soon as it is accepted: the navigation state keeps its hash,
never the password. A generated one is made when the action is taken and shown once: the screen
that shows it removes it from the saved state as it renders, so showing it again (a refresh)
says it was shown already.
"""

from flask import current_app, request
from sqlmodel import col, update
from werkzeug.datastructures import MultiDict

from nexi import db
from nexi.auth import passwords
from nexi.blueprints.users import bp, service
from nexi.blueprints.users.forms import AddUserForm, TemporaryPasswordForm, UserForm
from nexi.blueprints.users.manage import admin_only, posted_user, require_admin
from nexi.forms import display_value
from nexi.models import LoginSession, Role
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.rendering import add_message, render_screen
from nexi.security import hash_password


def _pairs(values: dict) -> MultiDict:
    return MultiDict({name: value for name, value in values.items() if isinstance(value, str)})


def _shown_once(password: str | None) -> str | None:
    """The generated 仮パスワード of the screen's saved arguments, removed from them as it is shown."""
    if password is not None:
        login_session = state()
        kept = {name: value for name, value in (login_session.screen_args or {}).items() if name != "password"}
        login_session.screen_args = kept
        db.session().execute(
            update(LoginSession).where(col(LoginSession.id) == login_session.id).values(screen_args=kept)
        )
    return password


def _summary(form) -> list[tuple[str, str]]:
    """The values as 確認 lists them (the 仮パスワード is listed by the screen itself)."""
    return [
        (form[name].label.text, display_value(form[name]))
        for _, names in form.sections
        for name in names
        if name not in ("password_mode", "password")
    ]


def _temporary(form, login_id: str) -> tuple[str | None, bool]:
    """(hash of the typed 仮パスワード, whether to generate one); errors go on the form."""
    if form.password_mode.data != "typed":
        return None, True
    found = passwords.problems(form.password.data, login_id, thing="仮パスワード")
    if found:
        form.password.errors = found
        return None, False
    return hash_password(form.password.data), False


@bp.post("/add")
@guarded
@admin_only
def add():
    """3-6 Webユーザー追加 (入力)."""
    try:
        service.room_for_one()
    except service.Refused as refused:
        add_message(str(refused), level="warning")
        return show("users.manage")
    otp = "on" if current_app.config["NEXI_OTP_DEFAULT_ON"] else "off"
    return show("users.add", values={"otp": otp, "password_mode": "generate", "role": Role.GENERAL.value})


@screen("users.add")
def add_screen(values: dict, errors: dict | None = None):
    require_admin()
    form = AddUserForm(formdata=_pairs(values))
    form.restore_errors(errors or {})
    return render_screen("users/add.html", form=form)


@bp.post("/add/confirm")
@guarded
@admin_only
def add_submit():
    """3-6 Webユーザー追加 (入力 → 確認)."""
    form = AddUserForm()
    values = form.data_for_state()
    if form.validate() and service.id_taken(form.login_id.data):
        form.login_id.errors = ["このWebユーザーIDは既に使われています。別のIDを入力してください"]
    password_hash, generate = (None, False)
    if not form.errors:
        password_hash, generate = _temporary(form, form.login_id.data)
    if form.errors or form.form_errors:
        return show("users.add", values=values, errors=form.errors_for_state())
    return show("users.add_confirm", values=values, password_hash=password_hash)


@screen("users.add_confirm")
def add_confirm_screen(values: dict, password_hash: str | None = None):
    require_admin()
    summary = _summary(AddUserForm(formdata=_pairs(values)))
    return render_screen("users/add_confirm.html", summary=summary, typed=bool(password_hash))


@bp.post("/add/register")
@guarded
@admin_only
def add_register():
    """3-6 Webユーザー追加 (確認 → 登録 or 修正する)."""
    args = dict(state().screen_args or {}) if state().screen == "users.add_confirm" else {}
    if "values" not in args:
        return show("users.manage")
    if request.form.get("action") == "back":
        return show("users.add", values=args["values"])
    form = AddUserForm(formdata=_pairs(args["values"]))
    form.validate()  # the saved values are checked again (they were, at 入力)
    form.password.errors = []  # a typed 仮パスワード is kept as its hash only: it was checked at 入力
    if form.errors:
        return show("users.add", values=args["values"], errors=form.errors_for_state())
    generated = None if args.get("password_hash") else passwords.generate(form.login_id.data)
    try:
        user = service.add(form.data, args.get("password_hash"), generated)
    except service.Refused as refused:
        add_message(str(refused), level="warning")
        return show("users.add", values=args["values"])
    return show("users.added", user_id=user.id, generated=generated is not None, password=generated)


@screen("users.added")
def added_screen(user_id: int, generated: bool = False, password: str | None = None):
    require_admin()
    user = service.find(user_id)
    if user is None:
        raise ScreenGone
    return render_screen(
        "users/added.html",
        user=user,
        generated=generated,
        password=_shown_once(password),
        days=passwords.temporary_days(),
        roles=Role,
    )


@bp.post("/edit")
@guarded
@admin_only
def edit():
    """3-6 Webユーザー変更 (入力)."""
    user = posted_user()
    if user is None:
        return show("users.manage")
    values = {name: str(getattr(user, name) or "") for name in service.EDITABLE}
    return show("users.edit", user_id=user.id, values=values)


@screen("users.edit")
def edit_screen(user_id: int, values: dict, errors: dict | None = None):
    require_admin()
    user = service.find(user_id)
    if user is None:
        raise ScreenGone
    form = UserForm(formdata=_pairs(values))
    form.restore_errors(errors or {})
    return render_screen("users/edit.html", form=form, user=user)


@bp.post("/edit/confirm")
@guarded
@admin_only
def edit_submit():
    """3-6 Webユーザー変更 (入力 → 確認, or 戻る to the user's page)."""
    user = posted_user()
    if user is None:
        return show("users.manage")
    if request.form.get("action") == "back":
        return show("users.detail", user_id=user.id)
    form = UserForm()
    values = form.data_for_state()
    if not form.validate():
        return show("users.edit", user_id=user.id, values=values, errors=form.errors_for_state())
    return show("users.edit_confirm", user_id=user.id, values=values)


@screen("users.edit_confirm")
def edit_confirm_screen(user_id: int, values: dict):
    require_admin()
    user = service.find(user_id)
    if user is None:
        raise ScreenGone
    return render_screen("users/edit_confirm.html", summary=_summary(UserForm(formdata=_pairs(values))), user=user)


@bp.post("/edit/save")
@guarded
@admin_only
def edit_save():
    """3-6 Webユーザー変更 (確認 → 変更する or 修正する)."""
    args = dict(state().screen_args or {}) if state().screen == "users.edit_confirm" else {}
    user = service.find(args.get("user_id"))
    if user is None:
        return show("users.manage")
    if request.form.get("action") == "back":
        return show("users.edit", user_id=user.id, values=args["values"])
    form = UserForm(formdata=_pairs(args["values"]))
    if not form.validate():
        return show("users.edit", user_id=user.id, values=args["values"], errors=form.errors_for_state())
    try:
        service.change(user, form.data)
    except service.Refused as refused:
        add_message(str(refused), level="warning")
        return show("users.edit", user_id=user.id, values=args["values"])
    add_message(f"{user.login_id} の登録内容を変更しました。", level="success")
    return show("users.detail", user_id=user.id)


@bp.post("/reset")
@guarded
@admin_only
def reset():
    """3-6 パスワード再設定 (the screen is its own confirmation)."""
    user = posted_user()
    if user is None:
        return show("users.manage")
    try:
        service.check_reset(user)
    except service.Refused as refused:
        add_message(str(refused), level="warning")
        return show("users.detail", user_id=user.id)
    return show("users.reset", user_id=user.id)


@screen("users.reset")
def reset_screen(user_id: int, values: dict | None = None, errors: dict | None = None):
    require_admin()
    user = service.find(user_id)
    if user is None:
        raise ScreenGone
    form = TemporaryPasswordForm(formdata=_pairs(values or {"password_mode": "generate"}))
    form.restore_errors(errors or {})
    return render_screen("users/reset.html", form=form, user=user)


@bp.post("/reset/submit")
@guarded
@admin_only
def reset_submit():
    """3-6 パスワード再設定: a new 仮パスワード (typed or generated); the user's sessions end."""
    user = posted_user()
    if user is None:
        return show("users.manage")
    if request.form.get("action") == "back":
        return show("users.detail", user_id=user.id)
    form = TemporaryPasswordForm()
    values = form.data_for_state()
    password_hash, generate = (None, False)
    if form.validate():
        password_hash, generate = _temporary(form, user.login_id)
    if form.errors:
        return show("users.reset", user_id=user.id, values=values, errors=form.errors_for_state())
    generated = passwords.generate(user.login_id) if generate else None
    try:
        service.reset_password(user, password_hash, generated)
    except service.Refused as refused:
        add_message(str(refused), level="warning")
        return show("users.detail", user_id=user.id)
    return show("users.reset_done", user_id=user.id, generated=generated is not None, password=generated)


@screen("users.reset_done")
def reset_done_screen(user_id: int, generated: bool = False, password: str | None = None):
    require_admin()
    user = service.find(user_id)
    if user is None:
        raise ScreenGone
    return render_screen(
        "users/reset_done.html",
        user=user,
        generated=generated,
        password=_shown_once(password),
        days=passwords.temporary_days(),
    )
