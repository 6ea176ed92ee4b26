"""Fields that many procedures share, as factory functions (STYLE.md 6): each returns an unbound
field with its label, Japanese messages and normalisation, so every screen asks the same way."""

import re

from wtforms import StringField, TextAreaField

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


def currency(label="通貨", *, required=True, when=None):
    return choice(label, [(code, code) for code in masters.CURRENCIES], required=required, when=when)


def amount(label, *, currency, required=True, when=None, zero=False, hint="カンマ（,）を入れても構いません。"):
    """An amount in the currency named by `currency`: the field that answers it (in this step or
    an earlier one), or a function of the answers (a currency fixed by the target)."""
    return MoneyAmountField(
        label,
        validators=_presence(label, required, when),
        description=hint,
        thing=label,
        currency=currency,
        decimals=masters.CURRENCIES.get,
        zero=zero,
    )


def whole_number(label, minimum, maximum, *, required=True, when=None, hint=None):
    return JapaneseIntegerField(
        label,
        validators=_presence(label, required, when) + [NumberRange(label, minimum, maximum)],
        description=hint,
        thing=label,
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
