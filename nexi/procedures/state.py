"""The procedure in progress (`Flow`), as the navigation state keeps it: plain JSON.

    {"code": "B01", "at": "input" | "intro" | "confirm" | "complete", "step": "<step key>",
     "values": {step: {field: value}}, "errors": {step: {field: [messages]}},
     "files": {field: [attachment ids]}, "application_id", "number", "findings", …}

A value is a string, a list of strings (a checkbox group, always a list) or a list of row
mappings (repeating rows). Input is kept per step as the user left it, so 戻る and 修正する
never lose it.
"""

from flask_login import current_user
from werkzeug.datastructures import MultiDict

from nexi import attachments
from nexi.forms import Acknowledge, NexiForm, UploadField, display_value
from nexi.procedures.engine import Context, Procedure, Step
from nexi.procedures.registry import PROCEDURES


class Flow:
    def __init__(self, raw: dict, *, user=None, customer=None, attached=None):
        """`user` and `customer`: whose procedure it is, when not the logged-in customer's (NEXI
        staff reading a saved application); `attached`: its attachments already read (by id),
        so that showing them reads no more rows."""
        self.raw = raw
        self._user, self._customer = user, customer
        self._attached = attached
        self.raw.setdefault("values", {})
        self.raw.setdefault("errors", {})
        self.raw.setdefault("files", {})

    @classmethod
    def new(cls, code: str) -> "Flow":
        return cls({"code": code, "at": "input", "step": None})

    @property
    def code(self) -> str:
        return self.raw["code"]

    @property
    def procedure(self) -> Procedure:
        return PROCEDURES[self.raw["code"]]

    @property
    def number(self) -> str | None:
        """The Web申込番号, from the first arrival at 確認 on."""
        return self.raw.get("number")

    @property
    def values(self) -> dict:
        return self.raw["values"]

    @property
    def errors(self) -> dict:
        return self.raw["errors"]

    @property
    def files(self) -> dict:
        return self.raw["files"]

    def get(self, name, default=None):
        return self.raw.get(name, default)

    def set(self, **changes) -> None:
        self.raw.update(changes)

    @property
    def all_values(self) -> dict:
        """Every applicable step's answers in one mapping (field names are unique within a
        procedure); the answers of a step that no longer applies count for nothing."""
        merged: dict = dict(self.procedure.facts(self.customer)) if self.procedure.facts else {}
        for step in self.procedure.steps:
            if step.applies(merged):
                merged.update(self.values.get(step.key, {}))
        return merged

    @property
    def customer(self):
        return self._customer if self._customer is not None else current_user.customer

    def context(self) -> Context:
        return Context(
            user=self._user if self._user is not None else current_user.user,
            customer=self.customer,
            values=self.all_values,
            application_id=self.get("application_id"),
        )

    def steps(self) -> list[Step]:
        return self.procedure.applicable_steps(self.all_values)

    def current_step(self) -> Step:
        step = self.procedure.step(self.get("step") or "")
        steps = self.steps()
        return step if step in steps else steps[0]

    def all_files(self) -> list[int]:
        """Every attachment the application holds, over all its fields."""
        return [attachment_id for ids in self.files.values() for attachment_id in ids]

    def form(self, step: Step, *, with_errors: bool = True, formdata=None) -> NexiForm:
        """The step's form as the user left it (or as just posted): values, files and messages."""
        data = formdata if formdata is not None else multidict(self.values.get(step.key, {}))
        form = step.form(formdata=data, help_prefix=self.code, answers=self.all_values, context=self.context())
        for item in form:
            if isinstance(item, UploadField):
                ids = self.files.get(item.name, [])
                if self._attached is not None:
                    item.attached = [self._attached[i] for i in ids if i in self._attached]
                else:
                    item.attached = attachments.load(ids, self.customer.id)
        if with_errors:
            form.restore_errors(self.errors.get(step.key, {}))
        return form

    def validated_form(self, step: Step) -> NexiForm:
        form = self.form(step, with_errors=False)
        form.validate()
        return form


def multidict(values: dict) -> MultiDict:
    """Stored answers as the form data they came from (rows as `name-<i>-<column>`)."""
    data = MultiDict()
    for key, value in values.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, row in enumerate(value):
                for column, cell in row.items():
                    data.add(f"{key}-{index}-{column}", cell)
            continue
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    return data


def confirm_rows(form: NexiForm) -> list[tuple[str, str, bool]]:
    """(label, shown value, multiline) of each answer 確認 lists; a conditional question only
    where it applies (an answer left in a question that no longer applies is ignored)."""
    rows = []
    for item in form.in_screen_order():
        if not form.applies(item):
            continue
        if isinstance(item, Acknowledge) and not item.data:
            continue
        rows.append((item.label.text, display_value(item), item.type in {"TextAreaField", "RowsField"}))
    return rows
