"""2-3 手続きの基本的な流れ: the generic screens every procedure runs through.

手続きの流れ → 入力 (each step) → 申込内容確認 → 申込完了. Which procedure is running, and all its
input, is in the navigation state (nexi/procedures/engine.py: Flow); these views only move it on.
"""

from flask import request
from flask_login import current_user

from nexi import applications, attachments
from nexi.blueprints.procedure import bp
from nexi.forms import Acknowledge, NexiForm, Required, UploadField
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.engine import Flow
from nexi.procedures.registry import PROCEDURES
from nexi.rendering import add_message, render_screen

ACKNOWLEDGED = "上記の注意事項を確認しました"


class ConfirmForm(NexiForm):
    """申込内容確認: the acknowledgement asked for when there are warnings (C.2)."""

    help_prefix = "procedure.confirm"
    acknowledge = Acknowledge(ACKNOWLEDGED, validators=[Required(ACKNOWLEDGED, choose=True)])


def flow() -> Flow:
    raw = state().procedure
    if not raw or raw.get("code") not in PROCEDURES:
        raise ScreenGone
    return Flow(raw)


def _pattern() -> int:
    raw = state().procedure or {}
    return PROCEDURES[raw["code"]].pattern if raw.get("code") in PROCEDURES else 1


def start(code: str):
    """Begin procedure `code` from its menu entry."""
    procedure = PROCEDURES[code]
    if procedure.admin_only and not current_user.user.is_admin:
        add_message("この手続きは管理者のみご利用いただけます。", level="warning")
        return show("home.index")
    running = Flow.new(code)
    state().procedure = running.raw
    if procedure.intro:
        running.set(at="intro")
        return show("procedure.intro")
    running.set(step=procedure.steps[0].key)
    return show("procedure.input")


def open_at_confirm(application, *, resubmit: bool = False):
    """再開 a draft at its 確認, or 修正して再申込 a returned one from its first step (4-4)."""
    running = Flow.new(application.procedure)
    running.set(
        values=application.data.get("values", {}),
        files=application.data.get("files", {}),
        application_id=application.id,
        number=application.number,
        comment=application.comment if resubmit else None,
    )
    state().procedure = running.raw
    if resubmit:
        running.set(step=running.steps()[0].key)
        return show("procedure.input")
    return _arrive_at_confirm(running)


@screen("procedure.intro", pattern=_pattern)
def intro_screen():
    running = flow()
    return render_screen("procedures/intro.html", flow=running, procedure=running.procedure)


@bp.post("/intro")
@guarded
def intro():
    """2-3 ② 手続きの流れ → 入力."""
    running = flow()
    if request.form.get("action") == "back":
        return show("home.index")
    running.set(at="input", step=running.steps()[0].key)
    return show("procedure.input")


@screen("procedure.input", pattern=_pattern)
def input_screen():
    running = flow()
    step = running.procedure.step(running.step)
    steps = running.steps()
    return render_screen(
        "procedures/input.html",
        flow=running,
        procedure=running.procedure,
        step=step,
        steps=steps,
        position=steps.index(step),
        form=running.form(step),
    )


def _store_uploads(running: Flow, form) -> dict[str, list[str]]:
    """Check and keep the files sent with this step; messages for the refused ones."""
    refused = {}
    for item in form:
        if not isinstance(item, UploadField):
            continue
        held = list(running.files.get(item.name, []))
        for upload in request.files.getlist(item.name):
            if not upload or not upload.filename:
                continue
            try:
                held.append(attachments.store(upload, item.name, held).id)
            except attachments.UploadRefused as refusal:
                refused.setdefault(item.name, []).append(str(refusal))
        running.files[item.name] = held
        item.attached = attachments.load(held)
    return refused


@bp.post("/input")
@guarded
def input_submit():
    """2-3 ② 入力画面: 次へ, 戻る, or removing an attached file."""
    running = flow()
    if running.get("at") == "complete":  # the form of a screen left behind: the result stands
        return show("procedure.complete")
    procedure = running.procedure
    step = procedure.step(running.step)
    form = step.form(help_prefix=procedure.code)
    form.answers = running.all_values
    refused = _store_uploads(running, form)
    running.values[step.key] = form.data_for_state()
    action = request.form.get("action", "next")

    if action.startswith("remove:"):
        field_name, _, attachment_id = action.removeprefix("remove:").partition(":")
        running.files[field_name] = [i for i in running.files.get(field_name, []) if str(i) != attachment_id]
        running.errors[step.key] = refused
        return show("procedure.input")

    steps = running.steps()
    position = steps.index(step) if step in steps else 0
    if action == "back":
        running.errors[step.key] = refused
        if position == 0:
            add_message(_left_message(running), level="info")
            return show("home.index")
        running.set(step=steps[position - 1].key)
        return show("procedure.input")

    valid = form.validate()
    errors = {name: messages for name, messages in form.errors.items() if name}
    for name, messages in refused.items():
        errors[name] = messages + errors.get(name, [])
    running.errors[step.key] = errors
    if errors or not valid:
        return show("procedure.input")
    steps = running.steps()  # this step's answers may have changed which steps apply
    position = steps.index(step)
    if running.get("correcting"):
        return _arrive_at_confirm(running)
    if position + 1 < len(steps):
        running.set(step=steps[position + 1].key)
        return show("procedure.input")
    return _arrive_at_confirm(running)


def _left_message(running: Flow) -> str:
    if running.get("number"):
        return f"手続きを中断しました。Web申込番号 {running.number} の内容は一時保存されています。「Web申込状況一覧」から再開できます。"
    return "手続きを中断しました。確認画面まで進んでいない入力内容は保存されていません。"


def _first_problem(running: Flow):
    """Validate every step as it stands, then the procedure's own rules: the first step with
    errors (messages stored for it), and the warnings."""
    procedure = running.procedure
    findings = procedure.check(running.all_values, running.get("application_id"))
    first = None
    for step in running.steps():
        form = running.validated_form(step)
        errors = {name: list(messages) for name, messages in form.errors.items() if name}
        for name, messages in findings.errors.get(step.key, {}).items():
            errors.setdefault(name, []).extend(messages)
        running.errors[step.key] = errors
        if errors and first is None:
            first = step
    return first, findings.warnings


def _arrive_at_confirm(running: Flow):
    first, warnings = _first_problem(running)
    if first is not None:
        running.set(step=first.key)
        add_message("入力内容に確認が必要な項目があります。", level="warning")
        return show("procedure.input")
    try:
        application = applications.save_draft(running, running.procedure.describe(running.all_values))
    except applications.Conflict as conflict:
        state().procedure = None
        add_message(str(conflict), level="warning")
        return show("home.index")
    running.set(
        at="confirm", application_id=application.id, number=application.number, warnings=warnings, correcting=False
    )
    return show("procedure.confirm")


@screen("procedure.confirm", pattern=_pattern)
def confirm_screen(acknowledge_error: bool = False):
    running = flow()
    procedure = running.procedure
    groups = [(step, running.form(step, with_errors=False)) for step in running.steps()]
    form = ConfirmForm(formdata=None, help_prefix="procedure.confirm")
    if acknowledge_error:
        form.acknowledge.errors = [f"「{ACKNOWLEDGED}」にチェックしてください"]
    return render_screen(
        "procedures/confirm.html",
        flow=running,
        procedure=procedure,
        groups=groups,
        steps=[step for step, _ in groups],
        form=form,
        warnings=running.get("warnings") or [],
    )


@bp.post("/confirm")
@guarded
def confirm_submit():
    """2-3 ③ 申込内容確認: 申込む, 修正する (a step), or 戻る."""
    running = flow()
    if running.get("at") == "complete":  # submitted already: show the result, never again
        return show("procedure.complete")
    action = request.form.get("action", "")
    steps = running.steps()
    if action.startswith("edit:") and action.removeprefix("edit:") in [step.key for step in steps]:
        # GOV.UK "check answers": after the correction, straight back to 確認 (which sends the
        # user to any step the correction made incomplete).
        running.set(at="input", step=action.removeprefix("edit:"), correcting=True)
        return show("procedure.input")
    if action == "back":
        running.set(at="input", step=steps[-1].key)
        return show("procedure.input")
    if action != "submit":
        return show("procedure.confirm")

    first, warnings = _first_problem(running)
    if first is not None:
        running.set(at="input", step=first.key)
        add_message("入力内容に確認が必要な項目があります。訂正してから、もう一度申し込んでください。", level="warning")
        return show("procedure.input")
    running.set(warnings=warnings)
    if warnings and request.form.get("acknowledge") != "y":
        return show("procedure.confirm", acknowledge_error=True)
    try:
        application = applications.submit(running.get("application_id"), running.procedure)
    except applications.Conflict as conflict:
        state().procedure = None
        add_message(str(conflict), level="warning")
        return show("home.index")
    running.set(at="complete", status=application.status)
    return show("procedure.complete")


@screen("procedure.complete", pattern=_pattern)
def complete_screen():
    running = flow()
    return render_screen("procedures/complete.html", flow=running, procedure=running.procedure)
