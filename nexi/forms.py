"""The base form, uniform Japanese messages and the fields procedures share (STYLE.md 6).

Messages are built once from a noun phrase (`thing`), so every screen says the same thing the
same way: 「{thing}を入力してください」, 「{thing}を選択してください」, 「{thing}は{max}文字以内で入力して
ください」.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields import DateField, DecimalField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_text(value):
    """NFKC (full-width digits and letters → half-width), trimmed (C.2), without control
    characters (which no field accepts and PostgreSQL refuses to store)."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", unicodedata.normalize("NFKC", value)).strip()
    if isinstance(value, FileStorage):  # a file posted in a text field is no text
        return ""
    return value


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
    # field name → (other field, *values): the question matters only for those answers.
    reveal: dict[str, tuple] = {}
    # The answers of the whole procedure so far (set by the procedure engine), for conditions on
    # an earlier step's answer.
    answers: dict = {}

    help_prefix = ""  # help texts of this form's fields are keyed "<help_prefix>.<field name>"

    def __init__(self, *args, help_prefix: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if help_prefix is not None:
            self.help_prefix = help_prefix  # a form shared by procedures takes each one's code
        for field in self:
            field.help_key = f"{self.help_prefix}.{field.name}"

    def condition_of(self, field) -> tuple[str, tuple] | None:
        """(other field, values) on which a conditional question depends, or None."""
        if field.name in self.reveal:
            other, *values = self.reveal[field.name]
            return other, tuple(values)
        for validator in field.validators:
            if isinstance(validator, RequiredIf):
                return validator.other, tuple(validator.values)
        return None

    def applies(self, field) -> bool:
        """Whether a question applies to the answers given (conditions may be chained, and may
        name an answer of an earlier step, found in `answers`)."""
        condition = self.condition_of(field)
        if condition is None:
            return True
        other, values = condition
        if other not in self:
            answer = self.answers.get(other)
            return answer in values if values else bool(answer)
        if not self.applies(self[other]):
            return False
        return self[other].data in values if values else _filled(self[other])

    def validate(self, extra_validators=None) -> bool:
        """Validate, ignoring questions that do not apply: an answer left in a question hidden
        by a later choice must not block the user."""
        super().validate(extra_validators)
        for field in self:
            if field.errors and not self.applies(field):
                field.errors = []
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
        return [(_anchor(field), field.errors[0]) for field in self.in_screen_order() if field.errors]

    def data_for_state(self) -> dict:
        """The submitted values as plain strings, to keep in the navigation state."""
        return {
            field.name: field.raw_data if len(field.raw_data or []) > 1 else (field.raw_data or [""])[0]
            for field in self
            if field.type not in {"PasswordField", "SubmitField", "FileField", "MultipleFileField", "UploadField"}
            and field.raw_data is not None
        }


def _anchor(field) -> str:
    """The element an error summary link should focus: the first option of a group."""
    if field.type in {"RadioField", "RadioChoiceField", "MultiCheckboxField"}:
        return f"{field.id}-0"
    return field.id


class Required:
    """The field must be filled: 「{thing}を入力してください」 (or 選択 for choices)."""

    def __init__(self, thing: str, *, choose: bool = False):
        self.thing = thing
        self.choose = choose
        self.field_flags = {"nexi_required": True}

    def __call__(self, form, field):
        if not _filled(field):
            field.errors[:] = []
            raise StopValidation(f"{self.thing}を{'選択' if self.choose else '入力'}してください")


def _filled(field) -> bool:
    """Whether anything was submitted for `field` (a blank string is nothing)."""
    if isinstance(field, UploadField):
        return bool(field.attached)  # the engine has already stored this step's valid uploads
    if field.raw_data is None:
        return field.data not in (None, "", [], ())
    return any(not isinstance(value, str) or value.strip() for value in field.raw_data)


class Optional:
    """An empty field skips the remaining validators and keeps no stale conversion errors."""

    field_flags = {"optional": True}

    def __call__(self, form, field):
        if not _filled(field):
            field.errors[:] = []
            raise StopValidation()


class MaxChars:
    def __init__(self, thing: str, maximum: int):
        self.thing, self.maximum = thing, maximum

    def __call__(self, form, field):
        if field.data and len(field.data) > self.maximum:
            raise ValidationError(f"{self.thing}は{self.maximum}文字以内で入力してください")


class Pattern:
    def __init__(self, thing: str, regex: str, description: str):
        self.thing, self.regex, self.description = thing, re.compile(regex), description

    def __call__(self, form, field):
        if field.data and not self.regex.fullmatch(field.data):
            raise ValidationError(f"{self.thing}は{self.description}で入力してください")


class Ascii:
    def __init__(self, thing: str):
        self.thing = thing

    def __call__(self, form, field):
        if field.data and not all(" " <= ch <= "~" for ch in field.data):
            raise ValidationError(f"{self.thing}は半角英数字・記号で入力してください")


class NumberRange:
    def __init__(self, thing: str, minimum=None, maximum=None):
        self.thing, self.minimum, self.maximum = thing, minimum, maximum

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise ValidationError(f"{self.thing}は{self.minimum}から{self.maximum}までの数値で入力してください")


# Integers stay within a signed 64-bit column (BIGINT; SQLite's INTEGER): a number typed in a
# field may have 18 digits, an id or page number posted by a form is refused (or clamped) beyond.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INTEGER_DIGITS = 18


def bounded_int(text, minimum: int = INT64_MIN, maximum: int = INT64_MAX, *, clamp: bool = False) -> int | None:
    """The whole number `text` spells (full-width digits accepted), or None when it spells none
    or one outside minimum … maximum; with `clamp`, the nearest bound instead. Ids and page
    numbers parsed from form data go through this before they reach SQL."""
    text = normalize_text(text) if isinstance(text, str) else ""
    if not re.fullmatch(r"[-+]?\d+", text):
        return None
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > 19:  # beyond any 64-bit value: only its sign matters, no need to convert it
        value = minimum - 1 if text.startswith("-") else maximum + 1
    else:
        value = int(text)
    if minimum <= value <= maximum:
        return value
    return min(max(value, minimum), maximum) if clamp else None


def _japanese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class JapaneseDateField(DateField):
    """YYYY-MM-DD (also 2026/4/5): a clear message instead of WTForms' English one. Every date
    lies within `earliest` … `latest` (by default 1900-01-01 … 2099-12-31, which the date
    arithmetic of searches and deadlines can shift without overflowing); a field may narrow it."""

    widget = TextInput()
    EARLIEST, LATEST = date(1900, 1, 1), date(2099, 12, 31)

    def __init__(self, label=None, validators=None, thing=None, *, earliest=None, latest=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)
        self.thing = thing or label
        self.earliest, self.latest = earliest or self.EARLIEST, latest or self.LATEST

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        # A file posted for the field is no date (normalize_text makes it empty).
        text = normalize_text(valuelist[0] if isinstance(valuelist[0], str) else "").replace("/", "-")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        try:
            self.data = date(int(match[1]), int(match[2]), int(match[3])) if match else None
        except ValueError:
            self.data = None
        if self.data is None:
            raise ValueError(f"{self.thing}は「2026-04-15」の形式で、正しい日付を入力してください")
        if not self.earliest <= self.data <= self.latest:
            self.data = None  # so that no validator computes with it
            raise ValueError(
                f"{self.thing}は{_japanese_day(self.earliest)}から{_japanese_day(self.latest)}までの日付で入力してください"
            )

    def _value(self):
        if self.raw_data:
            return self.raw_data[0] if isinstance(self.raw_data[0], str) else ""
        return self.data.isoformat() if self.data else ""


class JapaneseIntegerField(IntegerField):
    """A whole number typed as text (full-width digits and commas accepted), Japanese messages.
    It stays within its column: at most 18 digits, unless the field states `minimum` … `maximum`."""

    widget = TextInput()
    LIMIT = 10**INTEGER_DIGITS - 1

    def __init__(self, label=None, validators=None, thing=None, *, minimum=-LIMIT, maximum=LIMIT, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.thing = thing or label
        self.minimum, self.maximum = max(minimum, INT64_MIN), min(maximum, INT64_MAX)

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        text = normalize_text(raw if isinstance(raw, str) else "").replace(",", "")
        if not text and isinstance(raw, str):
            self.data = None
            return
        self.data = bounded_int(text, self.minimum, self.maximum) if re.fullmatch(r"-?\d+", text) else None
        if self.data is not None:
            return
        if not re.fullmatch(r"-?\d+", text):  # also a file posted for the field
            raise ValueError(f"{self.thing}は半角数字で入力してください")
        if (self.minimum, self.maximum) == (-self.LIMIT, self.LIMIT):
            raise ValueError(f"{self.thing}は{INTEGER_DIGITS}桁以内の半角数字で入力してください")
        raise ValueError(f"{self.thing}は{self.minimum}から{self.maximum}までの数値で入力してください")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0] if isinstance(self.raw_data[0], str) else ""
        return "" if self.data is None else str(self.data)


class MoneyAmountField(DecimalField):
    """An amount: commas allowed (C.2), at most 13 integer digits (C.5), decimals per currency."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, thing=None, **kwargs):
        super().__init__(label, validators, places=None, **kwargs)
        self.thing = thing or label

    def process_formdata(self, valuelist):
        if not valuelist or not normalize_text(valuelist[0]):
            self.data = None
            return
        text = normalize_text(valuelist[0]).replace(",", "")
        if not re.fullmatch(r"\d{1,13}(\.\d{1,2})?", text):
            self.data = None
            raise ValueError(f"{self.thing}は13桁以内の半角数字（小数点以下2桁まで）で入力してください")
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(f"{self.thing}を正しく入力してください") from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}"


class RequiredIf(Required):
    """Required only when another field has one of `values` (e.g. 添付する), or — with no values —
    when the other field is filled at all (e.g. a currency once an amount is given)."""

    def __init__(self, thing: str, other: str, *values, choose: bool = False):
        super().__init__(thing, choose=choose)
        self.other, self.values = other, set(values)
        self.field_flags = {"nexi_conditional": True}

    def applies(self, form) -> bool:
        if self.other not in form:  # an answer of an earlier step of the procedure
            answer = form.answers.get(self.other)
            return answer in self.values if self.values else bool(answer)
        other = form[self.other]
        return other.data in self.values if self.values else _filled(other)

    def __call__(self, form, field):
        if self.applies(form):
            super().__call__(form, field)
        else:  # the question does not apply: whatever it holds is ignored, not judged
            field.errors[:] = []
            raise StopValidation()


def _select_choices(kwargs: dict) -> dict:
    """Resolve a choices callable and make (value, label) pairs SelectChoice objects once, when the
    field is bound: WTForms 3.3 would otherwise convert (and warn) at every render and validation."""
    choices = kwargs.get("choices")
    if callable(choices):
        choices = choices()
    if choices is not None:
        kwargs["choices"] = [
            choice if isinstance(choice, SelectChoice) else SelectChoice(*choice) for choice in choices
        ]
    return kwargs


class ChoiceField(SelectField):
    """A select whose unknown values get a Japanese message."""

    def __init__(self, label=None, validators=None, thing=None, **kwargs):
        super().__init__(label, validators, **_select_choices(kwargs))
        self.thing = thing or label

    def pre_validate(self, form):
        if self.data not in (None, "") and self.data not in {str(value) for value, *_ in self.iter_choices()}:
            raise ValidationError(f"{self.thing}を一覧から選択してください")


class RadioChoiceField(RadioField):
    def __init__(self, label=None, validators=None, thing=None, **kwargs):
        super().__init__(label, validators, **_select_choices(kwargs))
        self.thing = thing or label

    def pre_validate(self, form):
        if self.data not in (None, "") and self.data not in {str(value) for value, *_ in self.iter_choices()}:
            raise ValidationError(f"{self.thing}を選択肢から選択してください")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, thing=None, **kwargs):
        super().__init__(label, validators, **_select_choices(kwargs))
        self.thing = thing or label

    def pre_validate(self, form):
        valid = {str(value) for value, *_ in self.iter_choices()}
        if any(value not in valid for value in self.data or []):
            raise ValidationError(f"{self.thing}を選択肢から選択してください")


class UploadField(MultipleFileField):
    """PDF attachments. Files already uploaded in this procedure are in `attached` (set by the
    procedure engine); a new upload is checked and stored when its step is submitted."""

    attached: list = []

    def _value(self):
        return ""


class Acknowledge(BooleanField):
    """A checkbox the user must tick (e.g. 「上記の注意事項を確認しました」)."""


def display_value(field) -> str:
    """How 確認 shows the value of a field (labels of choices, dates in Japanese, amounts with commas)."""
    if isinstance(field, UploadField):
        return "、".join(attachment.filename for attachment in field.attached) or "（添付なし）"
    if isinstance(field, BooleanField):
        return "はい" if field.data else "いいえ"
    if isinstance(field, SelectMultipleField):
        labels = {str(value): label for value, label, *_ in field.iter_choices()}
        return "、".join(labels.get(str(value), str(value)) for value in field.data or []) or "（選択なし）"
    if isinstance(field, SelectField | RadioField):
        labels = {str(value): label for value, label, *_ in field.iter_choices()}
        return labels.get(str(field.data), "") if field.data not in (None, "") else "（選択なし）"
    if isinstance(field, JapaneseDateField):
        return f"{field.data.year}年{field.data.month}月{field.data.day}日" if field.data else "（入力なし）"
    if isinstance(field, MoneyAmountField):
        return f"{field.data:,}" if field.data is not None else "（入力なし）"
    value = field.data
    return str(value) if value not in (None, "") else "（入力なし）"
