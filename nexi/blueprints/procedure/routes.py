"""2-3 手続きの基本的な流れ: the generic screens every procedure runs through.

手続きの流れ → 入力 (each step) → 申込内容確認 → 申込完了. The flow itself is the engine's
(nexi/procedures/flow.py); these views hand it the request and show what it returns. Each declared
procedure's start (its menu entry's POST) is mounted on its chapter's blueprint by `mount()`.
"""

from flask import Flask, request

from nexi.blueprints.procedure import bp
from nexi.forms import Acknowledge, NexiForm, Required
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures import flow as engine
from nexi.procedures.registry import PROCEDURES
from nexi.procedures.state import Flow
from nexi.rendering import add_message, render_screen


class ConfirmForm(NexiForm):
    """申込内容確認: the acknowledgement asked for when there are warnings (C.2)."""

    help_prefix = "procedure.confirm"
    acknowledge = Acknowledge(engine.ACKNOWLEDGED, validators=[Required(engine.ACKNOWLEDGED)])


def running() -> Flow:
    raw = state().procedure
    if not raw or raw.get("code") not in PROCEDURES:
        raise ScreenGone
    return Flow(raw)


def _pattern() -> int:
    raw = state().procedure or {}
    return PROCEDURES[raw["code"]].pattern if raw.get("code") in PROCEDURES else 1


def follow(flow: Flow | None, outcome: engine.Next):
    """Show what the engine decided: keep (or end) the flow, add its messages, change screen."""
    state().procedure = None if outcome.ended or flow is None else flow.raw
    for text, level in outcome.messages:
        add_message(text, level=level)
    return show(outcome.screen, **outcome.args)


def starter(code: str):
    """The start view of procedure `code`: its menu entry posts here."""

    def start():
        return follow(*engine.start(PROCEDURES[code]))

    procedure = PROCEDURES[code]
    start.__name__ = procedure.endpoint.rsplit(".", 1)[1]
    start.__doc__ = f"{procedure.section} {procedure.title} ({procedure.code})."
    return guarded(start)


def mount(app: Flask) -> None:
    """Mount each declared procedure's start route under its chapter's blueprint's address, as
    an endpoint of that blueprint (e.g. POST /buyers/register → buyers.register). On the app,
    not the blueprint: a blueprint takes no routes once registered, and an app made later (a
    test's) may have more procedures declared."""
    for code, procedure in PROCEDURES.items():
        chapter = app.blueprints.get(procedure.chapter)
        prefix = chapter.url_prefix if chapter is not None else f"/{procedure.chapter}"
        app.add_url_rule(f"{prefix}/{procedure.path}", procedure.endpoint, starter(code), methods=["POST"])


def resume(application, *, resubmit: bool = False):
    """再開 / 修正して再申込 from Web申込状況一覧 (4-4)."""
    return follow(*engine.resume(application, resubmit=resubmit))


@screen("procedure.intro", pattern=_pattern)
def intro_screen():
    flow = running()
    return render_screen("procedures/intro.html", flow=flow, procedure=flow.procedure)


@bp.post("/intro")
@guarded
def intro():
    """2-3 ② 手続きの流れ → 入力."""
    flow = running()
    return follow(flow, engine.leave_intro(flow, request.form.get("action", "next")))


@screen("procedure.input", pattern=_pattern)
def input_screen():
    flow = running()
    step = flow.current_step()
    steps = flow.steps()
    return render_screen(
        "procedures/input.html",
        flow=flow,
        procedure=flow.procedure,
        step=step,
        steps=steps,
        position=steps.index(step),
        form=flow.form(step),
    )


@bp.post("/input")
@guarded
def input_submit():
    """2-3 ② 入力画面: 次へ, 戻る, 行数を反映, or removing an attached file."""
    flow = running()
    outcome = engine.submit_step(flow, request.form, request.files, request.form.get("action", "next"))
    return follow(flow, outcome)


@screen("procedure.confirm", pattern=_pattern)
def confirm_screen(acknowledge_error: bool = False):
    flow = running()
    groups = [(step, flow.form(step, with_errors=False)) for step in flow.steps()]
    form = ConfirmForm(formdata=None)
    if acknowledge_error:
        form.acknowledge.errors = [Required(engine.ACKNOWLEDGED).message(form.acknowledge)]
    return render_screen(
        "procedures/confirm.html",
        flow=flow,
        procedure=flow.procedure,
        groups=groups,
        steps=[step for step, _ in groups],
        form=form,
        warnings=flow.get("warnings") or [],
        infos=flow.get("infos") or [],
    )


@bp.post("/confirm")
@guarded
def confirm_submit():
    """2-3 ③ 申込内容確認: 申込む, 修正する (a step), or 戻る."""
    flow = running()
    acknowledged = request.form.get("acknowledge") == "y"
    return follow(flow, engine.confirm_action(flow, request.form.get("action", ""), acknowledged))


@screen("procedure.complete", pattern=_pattern)
def complete_screen():
    flow = running()
    return render_screen("procedures/complete.html", flow=flow, procedure=flow.procedure)
