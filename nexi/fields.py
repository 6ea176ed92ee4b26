"""Fields that many procedures share, as factory functions (STYLE.md 6): each returns an unbound
field with its label, Japanese messages and normalisation, so every screen asks the same way."""

import re
from decimal import Decimal

from wtforms import StringField, TextAreaField, ValidationError

from nexi import masters
from nexi.forms import (
    Ascii,
    ChoiceField,
    JapaneseDateField,
    JapaneseIntegerField,
    MaxChars,
    MoneyAmountField,
    MultiCheckboxField,
    NumberRange,
    Optional,
    Pattern,
    RadioChoiceField,
    Required,
    UploadField,
    asked_when,
)
from nexi.inputs import JapaneseDateTimeField, MonthField
from nexi.text import normalize_text


def _presence(thing, required, when, choose=False):
    """Asked when `when` holds (a nexi.conditions condition; None = always), and then required
    or optional: the two are independent."""
    return asked_when(when) + ([Required(thing, choose=choose)] if required else [Optional()])


def text(label, maximum, *, required=True, when=None, ascii_only=False, multiline=False, hint=None, thing=None):
    """A text answer: 「…を入力してください」, 「…は{max}文字以内で…」, ASCII where the register needs it."""
    thing = thing or label
    validators = _presence(thing, required, when) + [MaxChars(thing, maximum)]
    if ascii_only:
        validators.append(Ascii(thing))
    field_class = TextAreaField if multiline else StringField
    return field_class(label, validators=validators, description=hint, render_kw={"maxlength": str(maximum)})


def url(label="URL", *, required=False):
    return StringField(
        label,
        validators=_presence(label, required, None)
        + [MaxChars(label, 200), Pattern(label, r"https?://[^\s]+", "http:// または https:// で始まる形式")],
        description="例：https://www.example.com",
    )


def choice(label, choices, *, required=True, when=None, radio=False, hint=None, thing=None):
    thing = thing or label
    field_class = RadioChoiceField if radio else ChoiceField
    if not radio:
        choices = [("", "選択してください"), *choices]
    return field_class(
        label, validators=_presence(thing, required, when, choose=True), choices=choices, description=hint, thing=thing
    )


def country(label="国", *, required=True, when=None, hint=None):
    """A country of the M.1 master, by its 3-digit code; the list is read when the form is built."""
    field = ChoiceField(
        label,
        validators=_presence(label, required, when, choose=True),
        choices=masters.country_choices,
        description=hint,
        thing=label,
    )
    return field


def rating(label="格付", *, required=True, when=None):
    """A rating of the M.3 master; the list is read when the form is built."""
    return ChoiceField(
        label,
        validators=_presence(label, required, when, choose=True),
        choices=lambda: [("", "選択してください"), *masters.rating_choices()],
        thing=label,
    )


def currency(label="通貨", *, required=True, when=None):
    """A currency of the M.2 master; the list is read when the form is built."""
    return ChoiceField(
        label,
        validators=_presence(label, required, when, choose=True),
        choices=masters.currency_choices,
        thing=label,
    )


def amount(label, *, currency, required=True, when=None, zero=False, hint="カンマ（,）を入れても構いません。"):
    """An amount in the currency named by `currency`: the field that answers it (in this step or
    an earlier one), or a function of the answers (a currency fixed by the target)."""
    return MoneyAmountField(
        label,
        validators=_presence(label, required, when),
        description=hint,
        thing=label,
        currency=currency,
        decimals=masters.decimals,
        zero=zero,
    )


def whole_number(label, minimum, maximum, *, required=True, when=None, hint=None):
    return JapaneseIntegerField(
        label,
        validators=_presence(label, required, when) + [NumberRange(label, minimum, maximum)],
        description=hint,
        thing=label,
    )


class DecimalNumberField(JapaneseIntegerField):
    """A positive decimal (a master factor such as 換算レート or 格付係数): `data` is the Decimal as
    typed (full-width digits and commas accepted), > 0, ≤ `maximum`, at most `places` decimals."""

    def __init__(self, label=None, validators=None, thing=None, *, places, maximum, **kwargs):
        super().__init__(label, validators, thing, **kwargs)
        self.places, self.maximum_value = places, Decimal(maximum)

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        text = normalize_text(raw if isinstance(raw, str) else "").replace(",", "")
        self.data = None
        if not text and isinstance(raw, str):
            return
        if not re.fullmatch(r"-?\d{1,13}(\.\d{1,12})?", text):  # also a file posted for the field
            raise ValueError(f"{self.thing}は半角数字で入力してください（例：1.25）")
        self.data = Decimal(text)

    def post_validate(self, form, validation_stopped):
        if validation_stopped or self.data is None or self.errors:
            return
        if self.data <= 0 or self.data > self.maximum_value:
            raise ValidationError(f"{self.thing}は0より大きく{self.maximum_value}以下の数値で入力してください")
        if self.data != round(self.data, self.places):
            raise ValidationError(f"{self.thing}は小数点以下{self.places}桁までで入力してください")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0] if isinstance(self.raw_data[0], str) else ""
        return "" if self.data is None else format(self.data, "f")

    def shown(self) -> str:
        return "（入力なし）" if self.data is None else format(self.data, "f")


def decimal_number(label, *, places, maximum, required=True, when=None, hint=None):
    """A positive decimal with at most `places` decimals and at most `maximum` (DecimalNumberField)."""
    return DecimalNumberField(
        label,
        validators=_presence(label, required, when),
        description=hint,
        thing=label,
        places=places,
        maximum=maximum,
    )


def day(label, *, required=True, when=None, hint="例：2026-04-15"):
    return JapaneseDateField(label, validators=_presence(label, required, when), description=hint, thing=label)


def moment(label, *, required=True, when=None, hint="日本時間で入力してください。例：2026-04-15 09:00"):
    """A date and time of day, typed in JST (nexi/inputs.py JapaneseDateTimeField)."""
    return JapaneseDateTimeField(label, validators=_presence(label, required, when), description=hint, thing=label)


def pdf(label, *, required=True, when=None, hint=None):
    hint = hint or "PDF形式、1ファイル10MBまで、合わせて5ファイルまで添付できます。"
    return UploadField(label, validators=_presence(label, required, when), description=hint)


BUYER_CODE = re.compile(r"\d{3}-\d{6}")


def normalise_buyer_code(value):
    """Accept 304000123 and full-width digits for 304-000123."""
    if isinstance(value, str):
        digits = re.sub(r"[-ー−‐‑–—―]", "", value)  # the dashes a Japanese keyboard types
        if re.fullmatch(r"\d{9}", digits):
            return f"{digits[:3]}-{digits[3:]}"
    return value


def buyer_code(label="バイヤーコード", *, required=True, when=None, extra=(), hint=None):
    """A バイヤーコード (C.6); `extra` validators check it against the register."""
    return StringField(
        label,
        validators=_presence(label, required, when)
        + [Pattern(label, BUYER_CODE.pattern, "「304-000123」の形式"), *extra],
        filters=[normalise_buyer_code],
        description=hint or "3桁の国コードと6桁の番号です。例：304-000123",
        render_kw={"autocomplete": "off", "inputmode": "numeric", "maxlength": "10"},
    )


def checkboxes(label, choices, *, required=True, when=None, hint=None, thing=None):
    """A checkbox group: its answer is always a list (of the ticked values)."""
    thing = thing or label
    return MultiCheckboxField(
        label, validators=_presence(thing, required, when, choose=True), choices=choices, description=hint, thing=thing
    )


def month(label, *, required=True, when=None, hint="例：2027-03"):
    return MonthField(label, validators=_presence(label, required, when), description=hint, thing=label)
