"""The kinds of question the forms ask, each a field class with Japanese messages that names its
macro in templates/components/procedure.html (`macro_of`), says how 確認 shows it (`shown`,
`display_value`) and how the navigation state keeps it (`state_value`): dates, months, whole
numbers, money in a currency, choices (fixed or computed from the customer and earlier answers),
PDF uploads and acknowledgements. Repeating rows are in nexi/rows.py.
"""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from wtforms import (
    BooleanField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields import DateField, DecimalField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from nexi.clock import JST
from nexi.text import INT64_MAX, INT64_MIN, INTEGER_DIGITS, bounded_int, normalize_text  # noqa: F401


def _japanese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class JapaneseDateField(DateField):
    """YYYY-MM-DD (also 2026/4/5): a clear message instead of WTForms' English one. Every date
    lies within `earliest` … `latest` (by default 1900-01-01 … 2099-12-31, which the date
    arithmetic of searches and deadlines can shift without overflowing); a field may narrow it."""

    macro = "medium"

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


class JapaneseDateTimeField(JapaneseDateField):
    """日時 as 「2026-04-15 09:00」, typed in JST (also 2026/4/15 9:00 and full-width digits; a date
    alone is 0:00): `data` is an aware UTC datetime, as times are stored (DESIGN.md data rules).
    The date part is read as JapaneseDateField reads a date, within the same window."""

    FORMAT = re.compile(r"(\S+?)(?:(?:\s+|T)(\d{1,2}):(\d{2}))?")

    def process_formdata(self, valuelist):
        text = normalize_text(valuelist[0]) if valuelist and isinstance(valuelist[0], str) else ""
        if not text:
            self.data = None
            return
        match = self.FORMAT.fullmatch(text)
        wrong = f"{self.thing}は「2026-04-15 09:00」の形式で、正しい日時を入力してください"
        if not match:
            self.data = None
            raise ValueError(wrong)
        try:
            super().process_formdata([match[1]])
        except ValueError as error:
            self.data = None
            raise ValueError(wrong if "形式" in str(error) else str(error)) from None
        hour, minute = int(match[2] or 0), int(match[3] or 0)
        if hour > 23 or minute > 59:
            self.data = None
            raise ValueError(wrong)
        day = self.data
        self.data = datetime(day.year, day.month, day.day, hour, minute, tzinfo=JST).astimezone(UTC)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0] if isinstance(self.raw_data[0], str) else ""
        return self.state_value()

    def state_value(self):
        if isinstance(self.data, datetime):
            return self.data.astimezone(JST).strftime("%Y-%m-%d %H:%M")
        return normalize_text(self.raw_data[0]) if self.raw_data and isinstance(self.raw_data[0], str) else ""

    def shown(self) -> str:
        if not isinstance(self.data, datetime):
            return "（入力なし）"
        local = self.data.astimezone(JST)
        return f"{_japanese_day(local.date())} {local:%H:%M}"


class JapaneseIntegerField(IntegerField):
    """A whole number typed as text (full-width digits and commas accepted), Japanese messages.
    It stays within its column: at most 18 digits, unless the field states `minimum` … `maximum`."""

    macro = "medium"

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
    """An amount in a currency: commas allowed (C.2), at most 13 integer digits (C.5), > 0 (or ≥ 0
    where the field says so) in as many decimals as its currency has (M.2).

    The currency is `currency`: the name of the field that answers it (its own select beside
    the amount, or one 通貨 for several amounts of a step or an earlier step), or a function of
    the form (a currency fixed by the target, read from `form.context` or `form.answer()`). `decimals` maps a currency code to its
    number of decimals (nexi/fields.py passes the M.2 master's)."""

    macro = "medium"

    widget = TextInput()

    def __init__(self, label=None, validators=None, thing=None, *, currency=None, decimals=None, zero=False, **kw):
        super().__init__(label, validators, places=None, **kw)
        self.thing = thing or label
        self.currency, self.decimals, self.zero = currency, decimals, zero

    def currency_code(self, form) -> str | None:
        if callable(self.currency):
            return self.currency(form)
        return (form.answer(self.currency) or None) if self.currency else None

    def process_formdata(self, valuelist):
        text = normalize_text(valuelist[0]) if valuelist and isinstance(valuelist[0], str) else ""
        if not text:
            self.data = None
            return
        text = text.replace(",", "")
        if not re.fullmatch(r"\d{1,13}(\.\d{1,3})?", text):
            self.data = None
            raise ValueError(f"{self.thing}は13桁以内の半角数字で入力してください")
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(f"{self.thing}を正しく入力してください") from None

    def post_validate(self, form, validation_stopped):
        if validation_stopped or self.data is None or self.errors:
            return
        if self.data < 0 or (self.data == 0 and not self.zero):
            raise ValidationError(f"{self.thing}は{'0以上' if self.zero else '0より大きい金額'}で入力してください")
        code = self.currency_code(form)
        places = self.decimals(code) if self.decimals and code else None
        if places is not None and self.data != round(self.data, places):
            raise ValidationError(
                f"{code}の金額は小数点以下{places}桁までで入力してください"
                if places
                else f"{code}の金額は小数点以下を入力できません"
            )

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}"


def select_choices(choices: list) -> list[SelectChoice]:
    """(value, label) pairs as SelectChoice objects, made once (WTForms 3.3 would otherwise
    convert, and warn, at every render and validation)."""
    return [choice if isinstance(choice, SelectChoice) else SelectChoice(*choice) for choice in choices]


def _select_choices(kwargs: dict) -> dict:
    """Resolve a choices callable and make the choices SelectChoice objects when the field is bound."""
    choices = kwargs.get("choices")
    if callable(choices):
        choices = choices()
    if choices is not None:
        kwargs["choices"] = select_choices(choices)
    return kwargs


class Choosing:
    """What the choice fields share: choices made SelectChoice objects once, a Japanese message
    for a value that is not among them (posted by hand, or a choice no longer offered)."""

    unknown = "{thing}を選択肢から選択してください"

    def __init__(self, label=None, validators=None, thing=None, **kwargs):
        super().__init__(label, validators, **_select_choices(kwargs))
        self.thing = thing or label

    def chosen(self) -> list:
        return list(self.data or []) if isinstance(self.data, list) else [self.data]

    def pre_validate(self, form):
        valid = {str(choice.value) for choice in self.choices}  # not iter_choices(): no rendering work
        if any(value not in (None, "") and str(value) not in valid for value in self.chosen()):
            raise ValidationError(self.unknown.format(thing=self.thing))


class ChoiceField(Choosing, SelectField):
    """A select."""

    unknown = "{thing}を一覧から選択してください"


class RadioChoiceField(Choosing, RadioField):
    macro = "choices"


class MultiCheckboxField(Choosing, SelectMultipleField):
    macro = "choices"

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UploadField(MultipleFileField):
    """PDF attachments. Files already uploaded in this procedure are in `attached` (set by the
    procedure engine); a new upload is checked and stored when its step is submitted."""

    attached: list = []
    holds_files = True  # validators ask for 添付 and count what is attached
    macro = "upload"

    def _value(self):
        return ""


class Acknowledge(BooleanField):
    """A checkbox the user must tick (e.g. 「上記の注意事項を確認しました」)."""

    macro = "checkbox"


def display_value(field) -> str:
    """How 確認 shows the value of a field (labels of choices, dates in Japanese, amounts with commas)."""
    if hasattr(field, "shown"):  # a kind of field that says itself how it is shown
        return field.shown()
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


def state_value(field):
    """One field's value as the navigation state keeps it (plain JSON)."""
    if hasattr(field, "state_value"):
        return field.state_value()
    raw = [value for value in field.raw_data or [] if isinstance(value, str)]
    if isinstance(field, SelectMultipleField):
        return raw
    if isinstance(field, SelectField | RadioField | BooleanField):
        return raw[0] if raw else ""  # a choice's value is compared exactly, never normalised
    if isinstance(field, StringField | TextAreaField) and isinstance(field.data, str):
        return field.data
    return normalize_text(raw[0]) if raw else ""  # a date or number as typed, normalised


# The macro of templates/components/procedure.html that renders a field: its class names it
# (`macro`); WTForms' own fields by their type.
DEFAULT_MACROS = {"TextAreaField": "textarea", "BooleanField": "checkbox"}


def macro_of(field) -> str:
    return getattr(field, "macro", None) or DEFAULT_MACROS.get(field.type, "field")


MONTH = re.compile(r"(\d{4})-(\d{1,2})")


class MonthField(StringField):
    """年月 as 「2027-03」 (also 2027/3 and full-width digits): `data` is the first day of the
    month; 1900-01 … 2099-12 unless the field states a narrower window."""

    macro = "medium"

    def __init__(self, label=None, validators=None, thing=None, *, earliest=(1900, 1), latest=(2099, 12), **kw):
        super().__init__(label, validators, **kw)
        self.thing = thing or label
        self.earliest, self.latest = earliest, latest

    def process_formdata(self, valuelist):
        text = normalize_text(valuelist[0]).replace("/", "-") if valuelist and isinstance(valuelist[0], str) else ""
        self.raw_text = text
        if not text:
            self.data = None
            return
        match = MONTH.fullmatch(text)
        if not match or not 1 <= int(match[2]) <= 12:
            self.data = None
            raise ValueError(f"{self.thing}は「2027-03」の形式で入力してください")
        if not self.earliest <= (int(match[1]), int(match[2])) <= self.latest:
            self.data = None
            (y1, m1), (y2, m2) = self.earliest, self.latest
            raise ValueError(f"{self.thing}は{y1}年{m1}月から{y2}年{m2}月までの年月で入力してください")
        self.data = date(int(match[1]), int(match[2]), 1)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0] if isinstance(self.raw_data[0], str) else ""
        return f"{self.data.year:04d}-{self.data.month:02d}" if self.data else ""

    def state_value(self):
        if self.data:
            return f"{self.data.year:04d}-{self.data.month:02d}"
        return getattr(self, "raw_text", "")

    def shown(self) -> str:
        return f"{self.data.year}年{self.data.month}月" if self.data else "（入力なし）"


class ScopedChoiceField(ChoiceField):
    """A select whose choices are computed when the form is built, from what it is filled in for
    (`form.context`: the user, the customer, the answers so far): e.g. the customer's own policies,
    or the 決済期限 of the policy chosen in an earlier step. Queries must be scoped by the
    customer, so at 申込む (which validates every step again) a posted id of another customer is
    not among the choices and is refused."""

    def __init__(self, label=None, validators=None, thing=None, *, options: Callable, **kw):
        super().__init__(label, validators, thing=thing, choices=[], **kw)
        self.options = options

    def bind_to_form(self, form) -> None:
        choices = (
            [("", "選択してください")] if form.context is None else [("", "選択してください"), *self.options(form)]
        )
        self.choices = select_choices(choices)


class LazyChoiceField(ChoiceField):
    """ScopedChoiceField read lazily: the choices (`options(form)`, the customer's own rows) are
    computed only to offer or judge a choice, and the answer is shown by `show(value)`, so a screen
    that just shows it (確認, NEXI's review) reads nothing for it."""

    def __init__(self, label=None, validators=None, thing=None, *, options, show, **kw):
        self._lazy_choices, self._form = None, None
        super().__init__(label, validators, thing=thing, choices=[], **kw)
        self.options, self.show = options, show

    @property
    def choices(self):
        form = self._form
        if self._lazy_choices is None and form is not None and getattr(form.context, "customer", None) is not None:
            self._lazy_choices = select_choices([("", "選択してください"), *self.options(form)])
        return self._lazy_choices or select_choices([("", "選択してください")])

    @choices.setter
    def choices(self, value) -> None:
        self._lazy_choices = None

    def bind_to_form(self, form) -> None:
        self._form = form

    def shown(self) -> str:
        return self.show(self.data) if self.data else "（選択なし）"
