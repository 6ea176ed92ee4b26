"""The flow every procedure runs (manual 2-3): functions on a `Flow` that return what to show.

    start → [手続きの流れ] → submit_step (each step; 次へ, 戻る, 行数を反映, removing a file)
          → 確認 (the first arrival numbers and saves the draft) → confirm_action (申込む) → 完了

The screens (nexi/blueprints/procedure) only hand the request's answers to these functions and
show the `Next` they get back; nothing here knows about transports or the navigation guard.

* Input is kept per step as the user left it, normalised (nexi/forms.py data_for_state).
* Every step is validated on leaving it; arriving at 確認 validates all of them again with the
  procedure's own rules, its "one pending per target" rules and its deadline (C.2).
* 申込む re-validates everything against today's master data, then submits exactly once (the
  guard stops a repeated request; a conditional UPDATE stops anything else).
"""

from dataclasses import dataclass, field

from flask_login import current_user

from nexi import applications, attachments
from nexi.clock import today
from nexi.forms import UploadField
from nexi.models import Status
from nexi.procedures.engine import Findings, Procedure
from nexi.procedures.registry import PROCEDURES
from nexi.procedures.state import Flow

INTRO, INPUT, CONFIRM, COMPLETE, HOME = (
    "procedure.intro",
    "procedure.input",
    "procedure.confirm",
    "procedure.complete",
    "home.index",
)
ACKNOWLEDGED = "上記の注意事項を確認しました"
MAX_ROWS = 60


@dataclass
class Next:
    """What to show after a step of the flow: a screen, messages above it, its arguments; with
    `ended` the flow is over and leaves the navigation state."""

    screen: str
    messages: list[tuple[str, str]] = field(default_factory=list)  # (text, level)
    args: dict = field(default_factory=dict)
    ended: bool = False


def start(procedure: Procedure, *, source=None) -> tuple[Flow | None, Next]:
    """Begin a procedure from its menu entry (with `source`: from the record it changes)."""
    if procedure.admin_only and not current_user.user.is_admin:
        return None, Next(HOME, [("この手続きは管理者のみご利用いただけます。", "warning")], ended=True)
    refusal = procedure.refusal(current_user.customer)
    if refusal:
        return None, Next(HOME, [(f"この手続きはご利用いただけません（{refusal}）。", "warning")], ended=True)
    running = Flow.new(procedure.code)
    if procedure.initial:
        context = running.context()
        prefill = procedure.initial(type(context)(context.user, context.customer, {}, None, source))
        running.values.update({step: dict(values) for step, values in prefill.items()})
    if procedure.intro:
        running.set(at="intro")
        return running, Next(INTRO)
    running.set(step=running.steps()[0].key)
    return running, Next(INPUT)


def leave_intro(running: Flow, action: str) -> Next:
    """2-3 ② 手続きの流れ → the first step, or back to the user page."""
    if action == "back":
        return abandon(running, "手続きを中断しました。")
    running.set(at="input", step=running.steps()[0].key)
    return Next(INPUT)


def resume(application, *, resubmit: bool = False) -> tuple[Flow, Next]:
    """再開 a draft at its 確認, or 修正して再申込 a returned one from its first step (4-4)."""
    running = Flow.new(application.procedure)
    running.set(
        values=application.data.get("values", {}),
        files=application.data.get("files", {}),
        application_id=application.id,
        number=application.number,
        comment=application.comment if resubmit else None,
    )
    if resubmit:
        running.set(step=running.steps()[0].key)
        return running, Next(INPUT)
    return running, arrive_at_confirm(running)


def _store_uploads(running: Flow, form, files) -> dict[str, list[str]]:
    """Check and keep the files sent with this step; messages for the refused ones."""
    refused = {}
    for item in form:
        if not isinstance(item, UploadField):
            continue
        held = list(running.files.get(item.name, []))
        for upload in files.getlist(item.name):
            if not upload or not upload.filename:
                continue
            try:
                stored = attachments.store(upload, item.name, running.all_files())
            except attachments.UploadRefused as refusal:
                refused.setdefault(item.name, []).append(str(refusal))
            else:
                held.append(stored.id)
                running.files[item.name] = held
        running.files[item.name] = held
        item.attached = attachments.load(held)
    return refused


def submit_step(running: Flow, formdata, files, action: str) -> Next:
    """2-3 ② 入力画面: 次へ, 戻る, 行数を反映 (rows), or removing an attached file."""
    if running.get("at") == "complete":  # the form of a screen left behind: the result stands
        return Next(COMPLETE)
    step = running.current_step()
    form = running.form(step, with_errors=False, formdata=formdata)
    refused = _store_uploads(running, form, files)
    running.values[step.key] = form.data_for_state()

    if action.startswith("remove:"):
        field_name, _, attachment_id = action.removeprefix("remove:").partition(":")
        kept = [i for i in running.files.get(field_name, []) if str(i) != attachment_id]
        attachments.discard([i for i in running.files.get(field_name, []) if i not in kept])
        running.files[field_name] = kept
        running.errors[step.key] = refused
        return Next(INPUT)
    if action == "rows":  # the number of rows follows the count just typed
        running.errors[step.key] = refused
        return Next(INPUT)

    steps = running.steps()
    position = steps.index(step) if step in steps else 0
    if action == "back":
        running.errors[step.key] = refused
        if position == 0:
            return abandon(running, _left_message(running))
        running.set(step=steps[position - 1].key)
        return Next(INPUT)

    valid = form.validate()
    errors = form.errors_for_state()
    for name, messages in refused.items():
        errors[name] = messages + errors.get(name, [])
    running.errors[step.key] = errors
    if errors or not valid:
        return Next(INPUT)
    steps = running.steps()  # this step's answers may have changed which steps apply
    position = steps.index(step)
    if running.get("correcting") or position + 1 == len(steps):
        return arrive_at_confirm(running)
    running.set(step=steps[position + 1].key)
    return Next(INPUT)


def abandon(running: Flow, message: str) -> Next:
    """Leave the procedure: uploads not held by a saved application are deleted (discard keeps
    those a saved draft holds)."""
    attachments.discard(running.all_files())
    return Next(HOME, [(message, "info")], ended=True)


def _left_message(running: Flow) -> str:
    if running.get("number"):
        return f"手続きを中断しました。Web申込番号 {running.get('number')} の内容は一時保存されています。「Web申込状況一覧」から再開できます。"
    return "手続きを中断しました。確認画面まで進んでいない入力内容は保存されていません。"


def _review(running: Flow) -> tuple[object, Findings]:
    """Validate every step as it stands, then the procedure's own rules, its exclusivity and its
    deadline: the first step with errors (messages stored for it), and the findings."""
    procedure = running.procedure
    context = running.context()
    findings = procedure.findings(context)
    for rule in procedure.exclusive:
        key = rule.key(context.values)
        if key and applications.pending_for(rule.procedures or (procedure.code,), key, rule.statuses, context):
            findings.error(rule.step, rule.field, rule.message.format(key=key))
    due = procedure.deadline.due_for(context) if procedure.deadline else None
    if due is not None and today() > due and not running.get("submitted_before"):
        findings.warn(procedure.deadline.warning.format(due=f"{due.year}年{due.month}月{due.day}日"))
    first = None
    for step in running.steps():
        form = running.validated_form(step)
        errors = form.errors_for_state()
        for name, messages in findings.errors.get(step.key, {}).items():
            errors.setdefault(name, []).extend(messages)
        running.errors[step.key] = errors
        if errors and first is None:
            first = step
    return first, findings


def arrive_at_confirm(running: Flow) -> Next:
    """確認: the first arrival assigns the Web申込番号 and saves the draft; later ones save again."""
    first, findings = _review(running)
    if first is not None:
        running.set(at="input", step=first.key)
        return Next(INPUT, [("入力内容に確認が必要な項目があります。", "warning")])
    try:
        application = applications.save_draft(running, running.procedure.describe(running.all_values))
    except applications.Conflict as conflict:
        return Next(HOME, [(str(conflict), "warning")], ended=True)
    running.set(
        at="confirm",
        application_id=application.id,
        number=application.number,
        submitted_before=application.submitted_at is not None,
        warnings=findings.warnings,
        infos=findings.infos,
        correcting=False,
    )
    return Next(CONFIRM)


def confirm_action(running: Flow, action: str, acknowledged: bool) -> Next:
    """2-3 ③ 申込内容確認: 申込む, 修正する (a step), or 戻る."""
    if running.get("at") == "complete":  # submitted already: show the result, never again
        return Next(COMPLETE)
    steps = running.steps()
    if action.startswith("edit:") and action.removeprefix("edit:") in [step.key for step in steps]:
        # GOV.UK "check answers": after the correction, straight back to 確認 (which sends the
        # user to any step the correction made incomplete).
        running.set(at="input", step=action.removeprefix("edit:"), correcting=True)
        return Next(INPUT)
    if action == "back":
        running.set(at="input", step=steps[-1].key)
        return Next(INPUT)
    if action != "submit":
        return Next(CONFIRM)

    first, findings = _review(running)
    if first is not None:
        running.set(at="input", step=first.key)
        message = "入力内容に確認が必要な項目があります。訂正してから、もう一度申し込んでください。"
        return Next(INPUT, [(message, "warning")])
    running.set(warnings=findings.warnings, infos=findings.infos)
    if findings.warnings and not acknowledged:
        return Next(CONFIRM, args={"acknowledge_error": True})
    procedure = running.procedure
    refusal = procedure.refusal(running.customer)  # the 保険利用者's conditions may have changed since start
    if refusal:
        return Next(CONFIRM, [(f"この手続きはお申し込みいただけません（{refusal}）。", "warning")])
    try:
        application = applications.submit(running.get("application_id"), procedure, running.context())
    except applications.Conflict as conflict:
        running.set(at="confirm")
        if conflict.step:  # lost to a simultaneous application for the same target
            running.errors.setdefault(conflict.step, {})[conflict.field] = [str(conflict)]
            running.set(at="input", step=conflict.step)
            return Next(INPUT, [(str(conflict), "warning")])
        return Next(HOME, [(str(conflict), "warning")], ended=True)
    # flow A completed at once: its result (the 未回収残額 after an 入金通知 …) is shown on 申込完了
    result = dict(application.result or {}) if application.status == Status.COMPLETED else {}
    running.set(at="complete", status=application.status, result=result)
    return Next(COMPLETE)


def complete(application, inputs: dict | None = None):
    """完了 by NEXI (S.3): run the procedure's hook with the result inputs and record what it
    produced (flow A completes inside applications.submit)."""
    procedure = PROCEDURES[application.procedure]
    return applications.complete(application, procedure, inputs or {})
