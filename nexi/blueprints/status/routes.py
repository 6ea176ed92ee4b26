"""4章 Web申込状況一覧照会: the list, its search, the detail and the actions of 4-4.

The search criteria live in the screen's saved arguments, so a refresh shows the same result.
Downloads (CSV, 控え, attachments) are read-only: they need the current navigation token but
neither rotate it nor change the screen (DESIGN.md).
"""

from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from nexi import applications, db
from nexi.blueprints.procedure.routes import resume as resume_procedure
from nexi.blueprints.status import bp, downloads, queries
from nexi.blueprints.status.forms import DEFAULT_STATUSES, StatusFilterForm
from nexi.clock import add_months, today
from nexi.forms import JapaneseDateField, bounded_int
from nexi.models import Status
from nexi.navigation import ScreenGone, guarded, readonly, screen, show
from nexi.procedures.registry import CATALOGUE, PROCEDURES
from nexi.rendering import add_message, render_screen, renders_only
from nexi.templating import built_once


def default_criteria() -> dict:
    return {
        "date_from": add_months(today(), -3).isoformat(),
        "date_to": today().isoformat(),
        "statuses": list(DEFAULT_STATUSES),
        "order": "new",
    }


def _typed(kept: dict) -> dict:
    """The kept criteria (StatusFilterForm.criteria) as the query wants them: dates as dates."""
    typed = dict(kept)
    try:
        for name in ("date_from", "date_to"):
            if typed.get(name):
                typed[name] = date.fromisoformat(typed[name])
                if not JapaneseDateField.EARLIEST <= typed[name] <= JapaneseDateField.LATEST:
                    raise ValueError(name)  # kept before dates were bounded: the query would overflow
    except ValueError:  # kept by an older version of the portal, as typed
        return _typed(default_criteria())
    if not current_user.user.is_admin:
        typed.pop("applicant", None)  # 申込者 is a 管理者's criterion (4-3)
    return typed


def _pairs(raw: dict):
    for key, value in raw.items():
        for item in value if isinstance(value, list) else [value]:
            yield key, item


@bp.post("/")
@guarded
def index():
    """4-3 Web申込状況一覧 (⑦ 「Web申込状況一覧」)."""
    return show("status.index", criteria=default_criteria(), page=1)


@bp.post("/search")
@guarded
def search():
    """4-3 検索: keep what was typed; list with it when it is valid."""
    from nexi.navigation import state

    form = StatusFilterForm()
    # The state keeps text only (a file posted for a field is no text).
    typed = {name: value for name, value in form.data_for_state().items() if isinstance(value, str | list)}
    typed.setdefault("statuses", [value for value in request.form.getlist("statuses") if isinstance(value, str)])
    if not form.validate():
        args = dict(state().screen_args or {})
        return show(
            "status.index",
            criteria=args.get("criteria", default_criteria()),
            page=1,
            typed=typed,
            errors={name: errors for name, errors in form.errors.items() if name},
        )
    return show("status.index", criteria=form.criteria(), page=1)


@bp.post("/page")
@guarded
def page():
    """4-3 ページ送り (in place with htmx)."""
    from nexi.navigation import state

    args = dict(state().screen_args or {})
    number = bounded_int(
        request.form.get("page"), 1, queries.last_page(current_app.config["NEXI_PAGE_SIZE"]), clamp=True
    )
    return show("status.index", criteria=args.get("criteria", default_criteria()), page=number or 1)


@screen("status.index")
def index_screen(criteria: dict, page: int = 1, typed: dict | None = None, errors: dict | None = None):
    size = current_app.config["NEXI_PAGE_SIZE"]
    searched = _typed(criteria)
    db.done_writing()
    rows, total, capped, page = queries.page(searched, page, size)
    # The search form is rendered only with the whole screen: a search or a page with htmx
    # replaces the list alone, unless the search has errors to show in the form. (After the
    # database work: on SQLite, not inside the write lock.)
    form = search_fields = None
    if errors or not renders_only("application_list"):
        form, search_fields = _search_form(typed or criteria, errors)
    return render_screen(
        "status/index.html",
        block=None if errors else "application_list",
        form=form if errors else None,  # the layout shows the form's errors
        search_fields=search_fields,
        search_errors=bool(errors),
        newest=searched.get("order", "new") != "old",
        rows=rows,
        total=total,
        capped=capped,
        page=page,
        pages=max(1, -(-total // size)),
        first=(page - 1) * size + 1,
        names=CATALOGUE,
        is_admin=current_user.user.is_admin,
    )


SEARCH_FORMS_KEPT = 256


def _search_form(values: dict, errors: dict | None):
    """(form, the HTML of its fields) for these values. Without errors the fields depend on the
    values alone, and most users open the list with the default criteria of the day: each set of
    values is rendered once per process (the latest SEARCH_FORMS_KEPT kept), without building the
    form. Building and rendering it was a third of opening the screen (~110 HTML attributes)."""
    is_admin = current_user.user.is_admin

    def build():
        form = StatusFilterForm(formdata=MultiDict(_pairs(values)))
        for name, messages in (errors or {}).items():
            form[name].errors = list(messages)
        return form, Markup(render_template("status/_search_fields.html", form=form, is_admin=is_admin))

    if errors:
        return build()
    key = (
        is_admin,
        *sorted((name, tuple(value) if isinstance(value, list) else value) for name, value in values.items()),
    )
    return None, built_once("status_search_fields", key, lambda: build()[1], keep=SEARCH_FORMS_KEPT)


def _load(number: str | None):
    application = applications.find(number=number) if number else None
    if application is None:
        add_message("指定された申込みは見つかりません。削除された可能性があります。", level="warning")
    return application


@bp.post("/detail")
@guarded
def detail():
    """4-4 申込内容の照会."""
    application = _load(request.form.get("number"))
    if application is None:
        return show("status.index", criteria=default_criteria(), page=1)
    return show("status.detail", number=application.number)


@screen("status.detail")
def detail_screen(number: str, confirming: str | None = None):
    application = applications.find(number=number)
    if application is None:
        raise ScreenGone
    procedure = PROCEDURES.get(application.procedure)
    groups = downloads.groups(application)
    return render_screen(
        "status/detail.html",
        application=application,
        status=queries.shown_status(application),
        procedure_name=CATALOGUE.get(application.procedure, application.procedure),
        procedure=procedure,
        groups=groups,
        files=downloads.files(application),
        history=queries.history(application),
        actions=actions_for(application),
        confirming=confirming,
    )


def actions_for(application) -> set[str]:
    """What the user may do with the application (4-4); anything else is not offered at all."""
    status = queries.shown_status(application)
    creator = applications.is_creator(application)
    allowed = set()
    if status == Status.DRAFT:
        allowed |= {"resume", "delete"} if creator else {"delete"}
    elif status == Status.SUBMITTED:
        allowed.add("withdraw")
    elif status == Status.RETURNED:
        allowed |= {"resubmit", "withdraw"} if creator else {"withdraw"}
    if status != Status.DRAFT:
        allowed.add("copy")
    if application.procedure not in PROCEDURES:
        allowed -= {"resume", "resubmit"}
    return allowed


def _acting(action: str):
    """The application named by the form, if the user may take `action` on it now."""
    application = _load(request.form.get("number"))
    if application is not None and action not in actions_for(application):
        add_message("この申込みの状況では、その操作は行えません。", level="warning")
        return application, False
    return application, application is not None


@bp.post("/resume")
@guarded
def resume():
    """4-4 再開 (一時保存 → 確認) / 修正して再申込 (差戻し → first step)."""
    action = "resubmit" if request.form.get("action") == "resubmit" else "resume"
    application, allowed = _acting(action)
    if not allowed:
        return show("status.detail", number=application.number) if application else show("home.index")
    return resume_procedure(application, resubmit=action == "resubmit")


def _irreversible(action: str, perform, done: str, then):
    """削除 and 取下げ: ask on the detail screen first (a POST button, no JavaScript dialog), then
    act; a record changed meanwhile stops with a message and changes nothing."""
    application, allowed = _acting(action)
    if not allowed:
        return show("status.detail", number=application.number) if application else show("home.index")
    number = application.number
    if request.form.get("confirmed") != "yes":
        return show("status.detail", number=number, confirming=action)
    try:
        perform(application)
    except applications.Conflict as conflict:
        add_message(str(conflict), level="warning")
        return show("status.detail", number=number)
    add_message(done.format(number=number), level="success")
    return then(number)


@bp.post("/delete")
@guarded
def delete():
    """4-4 削除 of a 一時保存: asks first, then deletes."""
    return _irreversible(
        "delete",
        applications.delete_draft,
        "Web申込番号 {number} の一時保存を削除しました。",
        lambda number: show("status.index", criteria=default_criteria(), page=1),
    )


def _withdraw(application) -> None:
    applications.withdraw(application, procedure=PROCEDURES.get(application.procedure))


@bp.post("/withdraw")
@guarded
def withdraw():
    """4-4 取下げ of a 申込済 or 差戻し application: asks first, then withdraws."""
    return _irreversible(
        "withdraw",
        _withdraw,
        "Web申込番号 {number} を取り下げました。",
        lambda number: show("status.detail", number=number),
    )


@bp.post("/csv")
@readonly
def csv():
    """4-3 CSVダウンロード of the rows the current search finds."""
    from nexi.navigation import state

    criteria = _typed((state().screen_args or {}).get("criteria", default_criteria()))
    return downloads.csv_response(queries.all_rows(criteria))


@bp.post("/copy")
@readonly
def copy():
    """4-4 控え: the application as a self-contained, print-ready HTML file."""
    application = applications.find(number=request.form.get("number"))
    # Offered and accepted by the same rule, on the shown 状況 (a draft past its expiry is
    # 期限切れ before the daily job marks it).
    if application is None or "copy" not in actions_for(application):
        return downloads.not_found()
    return downloads.copy_response(application, queries.shown_status(application), queries.history(application))


@bp.post("/attachment")
@readonly
def attachment():
    """4-4 添付ファイルのダウンロード."""
    application = applications.find(number=request.form.get("number"))
    if application is None:
        return downloads.not_found()
    attachment_id = bounded_int(request.form.get("attachment"), 1)
    if attachment_id is None:  # none, or no id a column holds: finds nothing
        return downloads.not_found()
    return downloads.attachment_response(application, attachment_id)
