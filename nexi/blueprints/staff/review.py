"""審査一覧 and 申込内容の審査 (S.2, S.3), for 審査担当: the queue across customers, one
application as its 確認 and 控え show it, and the decisions of §4-2 (nexi/review.py takes them).

The application acted on is the one the current screen shows; the version it was shown in
travels with the decision's button (or the decision screen's state), so that a decision taken on
what another staff member has changed meanwhile changes nothing and says so.
"""

from flask import current_app, request
from flask_login import current_user

from nexi import review
from nexi.blueprints.staff import bp, menu
from nexi.blueprints.staff.console import require_reviewer, reviewer_only
from nexi.blueprints.staff.review_forms import MemoForm, QueueFilterForm, decision_form
from nexi.blueprints.status import downloads
from nexi.forms import bounded_int
from nexi.models import Status
from nexi.models.staff import REVIEWER
from nexi.navigation import ScreenGone, guarded, readonly, screen, show, state
from nexi.procedures.registry import CATALOGUE, PROCEDURES
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

QUEUE, DETAIL, DECIDE = "staff.queue", "staff.review", "staff.decide"
GONE = "指定された申込みは見つかりません。"
DONE = {
    "accept": "Web申込番号 {number} を受け付けました（審査中）。",
    "complete": "Web申込番号 {number} を完了しました。",
    "return": "Web申込番号 {number} を差し戻しました。",
    "reject": "Web申込番号 {number} を不承認にしました。",
    "withdraw": "Web申込番号 {number} をお客様のご依頼により取り下げました。",
}

menu.add(REVIEWER, QUEUE, "審査一覧", role=REVIEWER, order=10)


def default_criteria() -> dict:
    return QueueFilterForm(formdata=None).criteria()


def _args(key: str, name: str = DETAIL):
    current = state()
    return (current.screen_args or {}).get(key) if current.screen == name else None


def _application(number):
    application = review.get(number) if isinstance(number, str) else None
    if application is None:
        raise ScreenGone
    return application


# --- 審査一覧 ----------------------------------------------------------------------------------


@bp.post("/review")
@guarded
@reviewer_only
def queue():
    """審査一覧: 申込済, 審査中, 差戻し of every customer, oldest first."""
    return show(QUEUE, criteria=default_criteria(), page=1)


@bp.post("/review/search")
@guarded
@reviewer_only
def queue_search():
    form = QueueFilterForm()
    if not form.validate():
        kept = _args("criteria", QUEUE) or default_criteria()
        return show(QUEUE, criteria=kept, page=1, typed=form.data_for_state(), errors=form.errors_for_state())
    return show(QUEUE, criteria=form.criteria(), page=1)


@bp.post("/review/page")
@guarded
@reviewer_only
def queue_page():
    criteria = _args("criteria", QUEUE) or default_criteria()
    return show(QUEUE, criteria=criteria, page=bounded_int(request.form.get("page"), 1, 10**6, clamp=True) or 1)


@screen(QUEUE)
def queue_screen(criteria: dict, page: int = 1, typed: dict | None = None, errors: dict | None = None):
    require_reviewer()
    size = current_app.config["NEXI_PAGE_SIZE"]
    rows, total, page = review.queue(criteria, page, size)
    form = QueueFilterForm(formdata=None, data=typed if typed is not None else criteria)
    form.restore_errors(errors or {})
    return render_screen(
        "staff/queue.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        names=CATALOGUE,
    )


@bp.post("/review/csv")
@readonly
@reviewer_only
def queue_csv():
    """審査一覧のCSV (C.7) of what the current search finds; never an internal memo."""
    criteria = _args("criteria", QUEUE) or default_criteria()
    return _csv(review.all_rows(criteria))


CSV_COLUMNS = [
    "Web申込番号",
    "保険利用者コード",
    "保険利用者",
    "手続種別",
    "対象",
    "申込日時",
    "状況",
    "担当",
    "期限超過",
    "経過日数",
    "確認",
]


def _csv(rows):
    from nexi.models import STATUS_LABELS

    lines = [
        [
            row.number,
            row.customer_code,
            row.customer_name,
            CATALOGUE.get(row.procedure, row.procedure),
            row.target,
            downloads.when(row.listed_at),
            STATUS_LABELS[Status(row.status)],
            row.assignee or "",
            "期限超過" if row.overdue else "",
            row.elapsed_days,
            ("確認済" if row.confirmed else "未確認") if not row.needs_review else "",
        ]
        for row in rows
    ]
    return downloads.table_csv(CSV_COLUMNS, lines, "review_queue.csv")


# --- 申込内容の審査 ------------------------------------------------------------------------------


@bp.post("/review/detail")
@guarded
@reviewer_only
def detail():
    application = review.get(request.form.get("number"))
    if application is None:
        add_message(GONE, level="warning")
        return show(QUEUE, criteria=_args("criteria", QUEUE) or default_criteria(), page=1)
    return show(DETAIL, number=application.number)


@screen(DETAIL)
def detail_screen(number: str, memo: dict | None = None, errors: dict | None = None):
    require_reviewer()
    shown = review.reviewed(number) if isinstance(number, str) else None
    if shown is None:
        raise ScreenGone
    application = shown.application
    files = downloads.files(application)
    history, memos = review.timeline(application)
    form = MemoForm(formdata=multidict(memo) if memo else None)
    form.restore_errors(errors or {})
    return render_screen(
        "staff/review.html",
        application=application,
        customer=shown.customer,
        assignee=shown.assignee,
        procedure_name=CATALOGUE.get(application.procedure, application.procedure),
        groups=downloads.groups(application, owner=(shown.creator, shown.customer), held=files),
        files=files,
        history=history,
        memos=memos,
        decisions=review.offered(application),
        can_confirm=review.can_confirm(application),
        form=form,
    )


def _posted_version() -> int | None:
    return bounded_int(request.form.get("version"), 0, 2**31 - 1)


def _stale(application, message: str = review.RACED):
    add_message(message, level="warning")
    return show(DETAIL, number=application.number)


@bp.post("/review/decide")
@guarded
@reviewer_only
def decide():
    """A decision from the detail: 受付 at once; the others on their own screen (comment, result)."""
    application = _application(_args("number"))
    key, version = request.form.get("decision"), _posted_version()
    decision = review.DECISIONS.get(key)
    if decision is None or version is None:
        return show(DETAIL, number=application.number)
    if decision not in review.offered(application) or version != application.version:
        return _stale(application)
    if key == "accept":
        return _apply(application, version, key, comment="")
    return show(DECIDE, number=application.number, key=key, version=version)


def _form(application, key: str, values: dict | None, formdata=None):
    """The decision's form, with what was typed (`values`, kept as text) or as just posted; for
    完了 the result inputs start from the customer's answers (review.result_defaults)."""
    procedure = PROCEDURES.get(application.procedure)
    answers = application.answers()
    result = procedure.result_form_for(answers) if key == "complete" and procedure else None
    form_class = decision_form(key, result)
    if formdata is None:
        formdata = multidict(
            values if values is not None else review.result_defaults(application, result) if result else {}
        )
    form = form_class(formdata=formdata, answers=answers)
    form.application = application  # what the result is entered for (e.g. the day it was made)
    return form, result is not None


@screen(DECIDE)
def decide_screen(number: str, key: str, version: int, values: dict | None = None, errors: dict | None = None):
    require_reviewer()
    application = _application(number)
    if key not in review.DECISIONS:
        raise ScreenGone
    form, has_result = _form(application, key, values)
    form.restore_errors(errors or {})
    return render_screen(
        "staff/decide.html",
        application=application,
        customer=review.customer_of(application),
        decision=review.DECISIONS[key],
        procedure_name=CATALOGUE.get(application.procedure, application.procedure),
        form=form,
        has_result=has_result,
        facts=_facts(application) if key == "complete" else [],
    )


def _facts(application) -> list[tuple[str, str]]:
    procedure = PROCEDURES.get(application.procedure)
    if procedure is None or procedure.staff_facts is None:
        return []
    return procedure.staff_facts(application.answers())


@bp.post("/review/decide/submit")
@guarded
@reviewer_only
def decide_submit():
    """「決定する」 takes the decision shown (with its comment and result inputs); 「戻る」 returns."""
    number, key, version = _args("number", DECIDE), _args("key", DECIDE), _args("version", DECIDE)
    application = _application(number)
    if key not in review.DECISIONS or not isinstance(version, int):
        return show(DETAIL, number=application.number)
    if request.form.get("action") != "submit":
        return show(DETAIL, number=application.number)
    form, has_result = _form(application, key, None, formdata=request.form)
    if not form.validate():
        return show(
            DECIDE,
            number=number,
            key=key,
            version=version,
            values=form.data_for_state(),
            errors=form.errors_for_state(),
        )
    inputs = {k: v for k, v in form.data_for_state().items() if k not in ("comment", "memo")} if has_result else {}
    said = form.comment.data if "comment" in form else None
    return _apply(application, version, key, comment=said, memo=form.memo.data, inputs=inputs)


def _apply(application, version: int, key: str, *, comment: str | None, memo: str | None = None, inputs=None):
    staff = current_user.staff
    try:
        review.decide(
            application,
            version,
            key,
            staff,
            comment=comment or "",
            procedure=PROCEDURES.get(application.procedure),
            inputs=inputs,
        )
    except review.Conflict as conflict:
        return _stale(application, str(conflict))
    except ValueError as problem:  # the hook could not apply: the register changed meanwhile
        return _stale(application, f"完了できませんでした：{review.explain(problem)}")
    if memo:
        review.add_memo(application, staff, memo)
    add_message(DONE[key].format(number=application.number), level="success")
    return show(DETAIL, number=application.number)


@bp.post("/review/memo")
@guarded
@reviewer_only
def memo():
    """社内メモ: kept with the application, shown only on the staff console."""
    application = _application(_args("number"))
    form = MemoForm()
    if not form.validate():
        return show(DETAIL, number=application.number, memo=form.data_for_state(), errors=form.errors_for_state())
    review.add_memo(application, current_user.staff, form.body.data)
    add_message("社内メモを登録しました。", level="success")
    return show(DETAIL, number=application.number)


@bp.post("/review/confirm")
@guarded
@reviewer_only
def confirm():
    """確認済 of a flow-A record (completed at the customer's 申込む)."""
    application = _application(_args("number"))
    try:
        review.confirm(application, current_user.staff)
    except review.Conflict as conflict:
        return _stale(application, str(conflict))
    add_message(f"Web申込番号 {application.number} を確認済にしました。", level="success")
    return show(DETAIL, number=application.number)


@bp.post("/review/attachment")
@readonly
@reviewer_only
def attachment():
    application = review.get(_args("number"))
    attachment_id = bounded_int(request.form.get("attachment"), 1)
    if application is None or attachment_id is None:
        return downloads.not_found()
    return downloads.attachment_response(application, attachment_id)


@bp.post("/review/copy")
@readonly
@reviewer_only
def copy():
    """The 控え exactly as the customer downloads it (no memo, staff shown as 「NEXI」)."""
    application = review.get(_args("number"))
    if application is None or application.status == Status.DRAFT:
        return downloads.not_found()
    from nexi.blueprints.status.queries import history

    owner = review.owner_of(application)
    return downloads.copy_response(application, Status(application.status), history(application), owner=owner)
