"""Validators with uniform Japanese messages, built once from a noun phrase (`thing`; STYLE.md 6),
and the one way a question is made conditional (`AskedWhen`, nexi/conditions.py).

A validator here sets no `required` flag, so inputs render without the HTML `required` attribute
and the server alone decides (its messages are Japanese; the browser's are not).
"""

import re

from wtforms import BooleanField, ValidationError
from wtforms.validators import StopValidation

from nexi.conditions import Condition


class Required:
    """The field must be filled. The message takes the verb of what the user does: 「{thing}を
    入力してください」, 選択 (choices, `choose=True`), 添付 (uploads), 「{thing}にチェックを入れて
    ください」 (a checkbox to tick)."""

    def __init__(self, thing: str, *, choose: bool = False):
        self.thing = thing
        self.choose = choose
        self.field_flags = {"nexi_required": True}

    def message(self, field) -> str:
        if getattr(field, "holds_files", False):
            return f"{self.thing}を添付してください"
        if isinstance(field, BooleanField):
            return f"「{self.thing}」にチェックを入れてください"
        return f"{self.thing}を{'選択' if self.choose else '入力'}してください"

    def __call__(self, form, field):
        if not _filled(field):
            field.errors[:] = []
            raise StopValidation(self.message(field))


class AskedWhen:
    """The question is asked only when `condition` holds (nexi/conditions.py); otherwise whatever
    it holds is ignored, not judged. First among a field's validators; independent of whether
    the question, once asked, must be answered (Required after it) or may be left empty."""

    def __init__(self, condition: Condition):
        self.condition = condition
        self.field_flags = {"nexi_conditional": True}

    def __call__(self, form, field):
        if not form.applies(field):
            field.errors[:] = []
            raise StopValidation()


def asked_when(condition: Condition | None) -> list:
    return [AskedWhen(condition)] if condition is not None else []


def _filled(field) -> bool:
    """Whether anything was submitted for `field` (a blank string is nothing)."""
    if getattr(field, "holds_files", False):
        return bool(field.attached)  # the engine has already stored this step's valid uploads
    if field.raw_data is None:
        return field.data not in (None, "", [], ())
    return any(isinstance(value, str) and value.strip() for value in field.raw_data)  # a file is no text


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


def RequiredIf(thing: str, condition: Condition, *, choose: bool = False) -> list:  # noqa: N802
    """Asked when `condition` holds, and then required: the validators, first in a field's list."""
    return [AskedWhen(condition), Required(thing, choose=choose)]
