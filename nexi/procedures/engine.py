"""The procedure engine's declarations (manual 2-3, DESIGN.md "Procedure engine").

Every procedure of chapters 3 and 7–12 runs the same flow:

    [手続きの流れ] → 入力 (steps) → 確認 → 完了

A procedure is declared once, as a `Procedure`: its code and title, where its start lives (the
chapter's blueprint and a URL segment: the registry mounts the route and feeds the menus, the
catalogue and every title from it), its steps as forms, how 確認 names its 対象, its own rules
(`check`, giving findings of three severities), prefill, "one pending per target" rules, a
filing deadline, whether NEXI reviews it (flow R) or it completes at once (flow A, possibly
depending on the input), and the 完了 hook that the staff console (S.3) or flow A calls.

The behaviour — start, resume, submit a step, arrive at 確認, 申込む, 完了 — is in
nexi/procedures/flow.py; the flow in progress is a `Flow` (nexi/procedures/state.py), kept in
the login session's navigation state as plain JSON so every screen can be shown again from the
server alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from nexi.conditions import Condition
from nexi.forms import NexiForm
from nexi.models import Status

PENDING = (Status.SUBMITTED, Status.REVIEWING, Status.RETURNED)


class Refused(ValueError):
    """A 完了 hook's refusal in words for the NEXI staff member (the input does not fit, e.g. a
    確認額 beyond the buyer's 残高); nothing of the 完了 is kept."""


@dataclass(frozen=True)
class Step:
    key: str
    title: str  # shown in the step bar and as the 確認 group heading
    form: type[NexiForm]
    when: Condition | None = None  # the step applies only when this holds (None = always)

    def applies(self, answers: dict) -> bool:
        return self.when is None or self.when.holds(answers)


@dataclass
class Findings:
    """What the procedure's own rules say about the whole input (C.2): an error blocks and is
    shown at its field, a warning is listed on 確認 and needs the acknowledgement, an info is
    listed on 確認 and needs nothing."""

    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # step → field → messages
    warnings: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)

    def error(self, step: str, name: str, message: str) -> None:
        self.errors.setdefault(step, {}).setdefault(name, []).append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def inform(self, message: str) -> None:
        self.infos.append(message)


@dataclass(frozen=True)
class Context:
    """Who fills the procedure in and what they have answered: what prefill, computed choices and
    rules are given. `customer` scopes every query of customer-owned rows (C.4)."""

    user: object
    customer: object
    values: dict
    application_id: int | None = None
    source: object = None  # what the procedure was started from (a 変更 from its policy)


@dataclass(frozen=True)
class Exclusive:
    """At most one application of `procedures` (default: the procedure itself) per target in the
    customer's own scope in `statuses` (C.4: another customer's never counts). Checked when 確認
    is reached and enforced atomically at 申込む: of two simultaneous ones, one wins."""

    key: Callable[[dict], str | None]  # the target key from the answers (e.g. a バイヤーコード)
    message: str  # with {key}
    step: str  # where the error is shown
    field: str
    procedures: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = PENDING


@dataclass(frozen=True)
class Deadline:
    """A filing deadline (C.5): past its last day (23:59:59 JST), 確認 warns with `warning` and the
    first 申込む sets 期限超過 (a resubmission after 差戻し neither sets nor clears it)."""

    due: Callable[..., date | None]  # the last day from the answers; None = no deadline
    warning: str  # with {due}: the last day, written in Japanese
    # due(values, context) rather than due(values): a deadline from the customer's own rows (the
    # 決済期限 an A01 names, the 受理 of the 事故 an A02 reports on)
    reads_context: bool = False

    def due_for(self, context) -> date | None:
        return self.due(context.values, context) if self.reads_context else self.due(context.values)


@dataclass(frozen=True)
class Procedure:
    code: str
    title: str
    section: str  # the manual's section, e.g. "7-1"
    chapter: str  # the blueprint of its manual chapter, where its start route is mounted
    path: str  # the start route's URL segment (its endpoint: the segment in snake_case)
    steps: tuple[Step, ...]
    describe: Callable[[dict], tuple[str, str | None]]  # answers → (対象 text, target key)
    check: Callable[[Context], Findings] | None = None
    initial: Callable[[Context], dict[str, dict]] | None = None  # prefill: step → field → value
    facts: Callable[[object], dict] | None = None  # customer → answers conditions may read (never typed)
    exclusive: tuple[Exclusive, ...] = ()
    deadline: Deadline | None = None
    reviewed: bool | Callable[[dict], bool] = True  # flow R (NEXI reviews) or A; may depend on input
    complete: Callable[[object, dict], dict | None] | None = None  # 完了: (application, inputs) → result
    # 申込む's own effect, in its transaction: (application, context, first 申込む?); raising
    # applications.Conflict (at a step and field) stops the 申込む with nothing changed (an earmark, 10)
    submitted: Callable[[object, Context, bool], None] | None = None
    # 取下げ or 不承認: undo what 申込む took (the earmark goes back, 10)
    ended: Callable[[object], None] | None = None
    # what NEXI staff see beside the 完了 form to decide, never shown to a customer (C.4.1): the
    # answers → (label, value) pairs, e.g. the payer's 個別保証枠 for an L01's 確認額
    staff_facts: Callable[[dict], list[tuple[str, str]]] | None = None
    # what staff enter at 完了 (S.3): a form, or a function of the answers giving one (or None)
    result_form: type[NexiForm] | Callable[[dict], type[NexiForm] | None] | None = None
    admin_only: bool = False
    # C.7: who may start and submit it beyond the role (the 保険利用者's conditions), and the reason
    # shown to anyone else (the menu's wording, nexi/blueprints/home/menus.py NEEDS)
    eligible: Callable[[object], bool] | None = None  # customer → may use it
    ineligible: str = ""
    pattern: int = 1
    intro: str | None = None  # 手続きの流れ: shown before the first step when set
    completion_note: str = "NEXIで内容を確認します。結果は「Web申込状況一覧」でご確認ください。"
    completed_note: str = "手続きが完了しました。結果は「Web申込状況一覧」でご確認いただけます。"

    @property
    def endpoint(self) -> str:
        """The start route's endpoint, e.g. buyers.rating_change."""
        return f"{self.chapter}.{self.path.replace('-', '_')}"

    def applicable_steps(self, answers: dict) -> list[Step]:
        return [step for step in self.steps if step.applies(answers)]

    def step(self, key: str) -> Step | None:
        return next((step for step in self.steps if step.key == key), None)

    def needs_review(self, answers: dict) -> bool:
        return self.reviewed(answers) if callable(self.reviewed) else self.reviewed

    def result_form_for(self, answers: dict) -> type[NexiForm] | None:
        """The form of NEXI's result inputs for an application with these answers (S.3)."""
        if isinstance(self.result_form, type) or self.result_form is None:
            return self.result_form
        return self.result_form(answers)

    def refusal(self, customer) -> str | None:
        """Why this customer may not use the procedure (C.7), None when it may."""
        return self.ineligible if self.eligible is not None and not self.eligible(customer) else None

    def findings(self, context: Context) -> Findings:
        return self.check(context) if self.check else Findings()
