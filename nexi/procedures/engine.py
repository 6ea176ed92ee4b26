"""The procedure engine (manual 2-3, DESIGN.md "Procedure engine").

Every procedure of chapters 3 and 7–12 runs the same flow:

    [手続きの流れ] → 入力 (steps) → 確認 → 完了

A procedure is declared once (`Procedure`: code, title, steps as forms, the 対象 it concerns,
its cross-step rules, what submitting does, whether NEXI must still act); generic screens render
it. The flow in progress lives in the login session's navigation state (`LoginSession.procedure`,
wrapped by `Flow`), so every screen can be shown again from the server alone:

* input is kept per step exactly as typed; 戻る and 修正する never lose it;
* the first arrival at 確認 assigns the Web申込番号 and saves the draft (一時保存); later arrivals
  save it again under the same number;
* 申込む re-validates every step and the procedure's rules against today's master data, then
  submits exactly once (the guard stops a repeated request; a conditional UPDATE stops anything
  else).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from nexi.attachments import load as load_attachments
from nexi.forms import Acknowledge, NexiForm, UploadField, display_value


@dataclass(frozen=True)
class Step:
    key: str
    title: str  # shown in the step bar and as the 確認 group heading
    form: type[NexiForm]
    applies: Callable[[dict], bool] | None = None  # given all values; None = always

    def applicable(self, values: dict) -> bool:
        return self.applies is None or self.applies(values)


@dataclass
class Findings:
    """What the procedure's own rules say about the whole input: errors block, warnings need an
    acknowledgement on 確認 (C.2)."""

    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # step → field → messages
    warnings: list[str] = field(default_factory=list)

    def error(self, step: str, name: str, message: str) -> None:
        self.errors.setdefault(step, {}).setdefault(name, []).append(message)


@dataclass(frozen=True)
class Procedure:
    code: str
    title: str
    chapter: str  # the blueprint of its manual chapter
    start_endpoint: str  # the menu entry's POST address
    steps: tuple[Step, ...]
    describe: Callable[[dict], tuple[str, str | None]]  # values → (対象 text, バイヤーコード/証券番号)
    check: Callable[[dict, int | None], Findings] = lambda values, application_id: Findings()
    on_submit: Callable | None = None  # flow A: the effect at 申込む; flow R waits for NEXI
    needs_review: bool = True
    admin_only: bool = False
    pattern: int = 1
    intro: str | None = None  # 手続きの流れ: shown before the first step when set
    completion_note: str = "NEXIで内容を確認します。結果は「Web申込状況一覧」でご確認ください。"

    def applicable_steps(self, values: dict) -> list[Step]:
        return [step for step in self.steps if step.applicable(values)]

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


class Flow:
    """The procedure in progress, as kept in the navigation state (plain JSON)."""

    def __init__(self, raw: dict):
        self.raw = raw

    @classmethod
    def new(cls, code: str) -> "Flow":
        return cls({"code": code, "at": "input", "step": None, "values": {}, "errors": {}, "files": {}})

    def __getattr__(self, name):
        try:
            return self.raw[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def procedure(self) -> Procedure:
        from nexi.procedures.registry import PROCEDURES

        return PROCEDURES[self.raw["code"]]

    def get(self, name, default=None):
        return self.raw.get(name, default)

    def set(self, **changes) -> None:
        self.raw.update(changes)

    @property
    def all_values(self) -> dict:
        """Every step's values in one mapping (field names are unique within a procedure)."""
        merged = {}
        for values in self.raw["values"].values():
            merged.update(values)
        return merged

    def steps(self) -> list[Step]:
        return self.procedure.applicable_steps(self.all_values)

    def form(self, step: Step, *, with_errors: bool = True) -> NexiForm:
        """The step's form as the user left it: values, uploaded files and messages."""
        form = step.form(formdata=_multidict(self.raw["values"].get(step.key, {})), help_prefix=self.raw["code"])
        form.answers = self.all_values
        for item in form:
            if isinstance(item, UploadField):
                item.attached = load_attachments(self.raw["files"].get(item.name, []))
        if with_errors:
            for name, messages in self.raw["errors"].get(step.key, {}).items():
                if name in form:
                    form[name].errors = list(messages)
                elif name is None or name == "__form__":
                    form.form_errors.extend(messages)
        return form

    def validated_form(self, step: Step) -> NexiForm:
        form = self.form(step, with_errors=False)
        form.validate()
        return form


def confirm_rows(form: NexiForm) -> list[tuple[str, str, bool]]:
    """(label, shown value, multiline) of each answer 確認 lists; a conditional question only
    where it applies (an answer left in a question that no longer applies is ignored)."""
    rows = []
    for item in form.in_screen_order():
        if not form.applies(item):
            continue
        if isinstance(item, Acknowledge) and not item.data:
            continue
        rows.append((item.label.text, display_value(item), item.type == "TextAreaField"))
    return rows


def _multidict(values: dict) -> MultiDict:
    data = MultiDict()
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    return data
