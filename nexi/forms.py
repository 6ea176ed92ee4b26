"""The base form, uniform Japanese messages and the fields procedures share (STYLE.md 6).

Messages are built once from a noun phrase (`thing`), so every screen says the same thing the
same way: 「{thing}を入力してください」, 「{thing}を選択してください」, 「{thing}は{max}文字以内で入力して
ください」.
"""

import json

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField, TextAreaField

from nexi.conditions import Condition
from nexi.inputs import (  # noqa: F401  (the fields every form module imports from here)
    Acknowledge,
    ChoiceField,
    JapaneseDateField,
    JapaneseIntegerField,
    MoneyAmountField,
    MultiCheckboxField,
    RadioChoiceField,
    UploadField,
    display_value,
    macro_of,
    select_choices,
    state_value,
)
from nexi.text import CONTROL_CHARACTERS_ANY, MULTILINE_CONTROL, bounded_int, normalize_text  # noqa: F401
from nexi.validators import (  # noqa: F401  (the validators every form module imports from here)
    Ascii,
    AskedWhen,
    MaxChars,
    NumberRange,
    Optional,
    Pattern,
    Required,
    RequiredIf,
    asked_when,
)


class NexiForm(FlaskForm):
    """Every form of the portal.

    * Text fields are NFKC-normalised and trimmed before validation; passwords never are (3-2
      normalises them at hashing time and forbids trimming).
    * CSRF is checked for every POST by CSRFProtect (nexi/__init__.py), not per form: forms are
      also rebuilt from the saved navigation state, where no token exists.
    * Validators here set no `required` flag, so inputs render without the HTML `required`
      attribute and the server alone decides (its messages are Japanese; the browser's are not).
    """

    class Meta:
        csrf = False

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField | TextAreaField) and not issubclass(field_class, PasswordField):
                own = unbound_field.kwargs.get("filters", ())
                options["filters"] = (normalize_text, *own, *options.get("filters", ()))
            return unbound_field.bind(form=form, **options)

    # Fields listed here render their errors in this order in the error summary when class
    # inheritance scrambles the declaration order.
    custom_field_order: tuple[str, ...] = ()
    # Headed groups of questions: [(heading, [field names])]; None = all fields, no headings.
    sections: list[tuple[str, list[str]]] | None = None
    # The answers of the whole procedure so far (set by the procedure engine), for conditions on
    # an earlier step's answer.
    answers: dict = {}
    # What the form is filled in for (the procedure engine gives a nexi.procedures.engine
    # Context: user, customer, earlier answers), for choices computed from them.
    context = None
    parent = None  # the form whose repeating rows this form is one of (nexi/rows.py)

    help_prefix = ""  # help texts of this form's fields are keyed "<help_prefix>.<field name>"

    def __init__(self, *args, help_prefix: str | None = None, answers: dict | None = None, context=None, **kwargs):
        if answers is not None:
            self.answers = answers
        self.context = context
        super().__init__(*args, **kwargs)
        if help_prefix is not None:
            self.help_prefix = help_prefix  # a form shared by procedures takes each one's code
        for field in self:
            field.help_key = f"{self.help_prefix}.{field.name}"
            if hasattr(field, "bind_to_form"):  # computed choices, rows that follow a count
                field.bind_to_form(self)

    def condition_of(self, field) -> Condition | None:
        """The condition on which a question is asked (nexi/conditions.py), or None: always."""
        for validator in field.validators:
            if isinstance(validator, AskedWhen):
                return validator.condition
        return None

    def answer(self, name: str):
        """The answer a condition reads: this form's field as submitted, when the question is
        asked (a question not asked has no answer, so conditions chain); otherwise the answer
        of an earlier step."""
        if name not in self:
            if self.parent is not None:  # a row of repeating rows reads its form's answers
                return self.parent.answer(name)
            return self.answers.get(name)
        field = self[name]
        if not self.applies(field):
            return None
        if isinstance(field, SelectMultipleField):
            return list(field.data or [])
        if isinstance(field, BooleanField):
            return "y" if field.data else None
        return field.data if isinstance(field.data, str) else (field.raw_data or [None])[0]

    def shown_names(self) -> set[str]:
        """The questions the screen shows: asked, or revealed in the browser as answers change."""
        return {field.name for field in self if self.applies(field) or self.reveal_of(field)}

    def reveal_of(self, field) -> str | None:
        """The `data-reveal` attribute of a question conditional on answers of this step (the
        browser shows and hides it as they change), or None."""
        condition = self.condition_of(field)
        if condition is None or not any(name in self for name in condition.names()):
            return None
        data = condition.as_data(lambda name: name in self, _Answers(self))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def applies(self, field) -> bool:
        """Whether a question is asked, given the answers so far."""
        condition = self.condition_of(field)
        return condition is None or condition.holds(_Answers(self))

    def validate(self, extra_validators=None) -> bool:
        """Validate, ignoring questions that do not apply (an answer left in a question hidden
        by a later choice must not block the user), and refusing control characters, which no
        text accepts (PostgreSQL refuses NUL; the stored value has them removed)."""
        super().validate(extra_validators)
        for field in self:
            if not self.applies(field):
                field.errors = []
            elif not field.errors and _has_control_characters(field):
                field.errors = [f"{_thing(field)}に使用できない文字（制御文字）が含まれています"]
        return not self.form_errors and not any(field.errors for field in self)

    def in_screen_order(self) -> list:
        """The fields as the screen shows them: by `sections` where the form has them (a form
        that inherits fields would otherwise list the inherited ones first)."""
        if self.custom_field_order:
            return [self[name] for name in self.custom_field_order]
        if self.sections:
            return [self[name] for _, names in self.sections for name in names]
        return list(self)

    def ordered_errors(self) -> list[tuple[str, str]]:
        """(element id, first message) in on-screen order, for the layout's error summary."""
        found = []
        for field in self.in_screen_order():
            if hasattr(field, "summary"):  # rows: their own message, then each cell's
                found.extend(field.summary())
            elif field.errors:
                found.append((_anchor(field), field.errors[0]))
        return found

    def errors_for_state(self) -> dict[str, list[str]]:
        """The messages to keep in the navigation state, by field (rows: by cell too)."""
        kept = {}
        for field in self:
            if hasattr(field, "errors_for_state"):
                kept.update({name: messages for name, messages in field.errors_for_state().items() if messages})
            elif field.errors:
                kept[field.name] = [str(message) for message in field.errors]
        if self.form_errors:
            kept["__form__"] = [str(message) for message in self.form_errors]
        return kept

    def restore_errors(self, errors: dict[str, list[str]]) -> None:
        for field in self:
            if hasattr(field, "restore_errors"):
                field.restore_errors(errors)
            elif field.name in errors:
                field.errors = list(errors[field.name])
        self.form_errors.extend(errors.get("__form__", []))

    def data_for_state(self) -> dict:
        """The submitted values to keep in the navigation state: text as normalised (the rules
        and the stored record use the normalised form), a checkbox group always as a list, and
        what a conversion refused as typed (so it is shown again)."""
        kept = {}
        for field in self:
            if field.type in UNKEPT or (field.raw_data is None and not hasattr(field, "state_value")):
                continue
            kept[field.name] = state_value(field)
        return kept


UNKEPT = {"PasswordField", "SubmitField", "FileField", "MultipleFileField", "UploadField", "CSRFTokenField"}


class _Answers:
    """A form's answers as a mapping, computed on demand (conditions read only a few)."""

    def __init__(self, form):
        self.form = form

    def get(self, name, default=None):
        value = self.form.answer(name)
        return default if value is None else value


def _thing(field) -> str:
    return getattr(field, "thing", None) or field.label.text


def _has_control_characters(field) -> bool:
    pattern = MULTILINE_CONTROL if isinstance(field, TextAreaField) else CONTROL_CHARACTERS_ANY
    return isinstance(field, StringField | TextAreaField) and any(
        isinstance(value, str) and pattern.search(value) for value in field.raw_data or []
    )


def _anchor(field) -> str:
    """The element an error summary link should focus: the first option of a group."""
    if field.type in {"RadioField", "RadioChoiceField", "MultiCheckboxField"}:
        return f"{field.id}-0"
    return field.id
