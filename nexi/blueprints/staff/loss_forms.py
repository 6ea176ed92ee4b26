"""Forms of 事故の状況 on the console (S.9): the search, and the inputs of 「請求済にする」 and
「支払済にする」. No help prefix: the customers' help pages must not describe the staff console.

The action forms judge their dates against the 事故 they are for (`form.loss`, set by the view):
a claim no earlier than the 受理 and no later than today, a payment no earlier than the claim."""

import re

from wtforms import StringField, ValidationError

from nexi import fields, loss_inquiries
from nexi.blueprints.staff.buyer_forms import YenField
from nexi.clock import to_jst, today
from nexi.forms import ChoiceField, NexiForm, Optional, Pattern, Required

LOSS_NUMBER = re.compile(r"A\d{10}")  # C.6: A + year(4) + serial(6)
PAID_MAX = 10**16 - 1  # C.5: JPY amounts ≤ 16 digits


def japanese_day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class LossSearchForm(NexiForm):
    """Every criterion optional (none: every 事故 of every customer, newest 事故番号 first)."""

    number = fields.text("事故番号", 11, required=False, hint="完全一致で検索します。例：A2026000045")
    customer_code = StringField(
        "保険利用者コード",
        validators=[Pattern("保険利用者コード", r"\d{1,9}", "9桁以内の数字")],
        description="前方一致で検索します。",
        render_kw={"maxlength": "9", "inputmode": "numeric", "autocomplete": "off"},
    )
    state = ChoiceField(
        "状況",
        validators=[Optional()],
        choices=[("", "すべて"), *((s, s) for s in loss_inquiries.STATES)],
        thing="状況",
    )

    def validate_number(self, field):
        if field.data:
            field.data = field.data.upper()
            if not LOSS_NUMBER.fullmatch(field.data):
                raise ValidationError("事故番号は「A2026000045」の形式（Aと10桁の数字）で入力してください")

    def criteria(self) -> dict:
        return {name: self[name].data or "" for name in ("number", "customer_code", "state")}


def _not_future(field, thing: str) -> None:
    if field.data is not None and field.data > today():
        raise ValidationError(f"{thing}は本日以前の日付を入力してください")


class ClaimForm(NexiForm):
    """「請求済にする」: the day the customer claimed the 保険金."""

    loss = None
    claimed_on = fields.day("請求日", hint="お客様が保険金を請求した日です。本日以前の日付を入力してください。")

    def validate_claimed_on(self, field):
        _not_future(field, "請求日")
        accepted = to_jst(self.loss.created_at).date() if self.loss is not None else None
        if field.data is not None and accepted is not None and field.data < accepted:
            raise ValidationError(f"請求日は事故の受理日（{japanese_day(accepted)}）以降の日付を入力してください")


class PayForm(NexiForm):
    """「支払済にする」: the day NEXI paid the 保険金 and the amount paid, in yen."""

    loss = None
    paid_on = fields.day("支払日", hint="保険金を支払った日です。請求日以降、本日以前の日付を入力してください。")
    paid_jpy = YenField(
        "支払保険金額（円）",
        validators=[Required("支払保険金額（円）")],
        description="円単位で入力してください。カンマ（,）を入れても構いません。",
        thing="支払保険金額（円）",
    )

    def validate_paid_on(self, field):
        _not_future(field, "支払日")
        claimed = self.loss.claimed_on if self.loss is not None else None
        if field.data is not None and claimed is not None and field.data < claimed:
            raise ValidationError(f"支払日は請求日（{japanese_day(claimed)}）以降の日付を入力してください")

    def validate_paid_jpy(self, field):
        if field.data is not None and field.data <= 0:
            raise ValidationError("支払保険金額（円）は1円以上で入力してください")
        if field.data is not None and field.data > PAID_MAX:
            raise ValidationError("支払保険金額（円）は16桁以内で入力してください")
