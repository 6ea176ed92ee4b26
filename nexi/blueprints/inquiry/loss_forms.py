"""The search conditions of 5-4 事故: every criterion optional (none: all the customer's 事故)."""

import re

from wtforms import ValidationError

from nexi import fields, loss_inquiries
from nexi.blueprints.inquiry.contract_forms import NUMBER
from nexi.forms import ChoiceField, NexiForm, Optional

ANY = ("", "すべて")
LOSS_NUMBER = re.compile(r"A\d{10}")  # C.6: A + year(4) + serial(6)


class LossInquiryForm(NexiForm):
    """5-4: 事故番号, 証券番号, 状況 — each optional."""

    help_prefix = "inquiry.losses"
    number = fields.text("事故番号", 11, required=False, hint="完全一致で検索します。例：A2026000045")
    policy = fields.text(
        "証券番号",
        17,
        required=False,
        hint="14桁の数字（完全一致）。枝番まで指定する場合は「01202600000123-00」の形式です。",
    )
    state = ChoiceField(
        "状況", validators=[Optional()], choices=[ANY, *((s, s) for s in loss_inquiries.STATES)], thing="状況"
    )

    def validate_number(self, field):
        if field.data:
            field.data = field.data.upper()  # 「a2026000045」 is the same 事故番号
            if not LOSS_NUMBER.fullmatch(field.data):
                raise ValidationError("事故番号は「A2026000045」の形式（Aと10桁の数字）で入力してください")

    def validate_policy(self, field):
        if field.data and not NUMBER.fullmatch(field.data):
            raise ValidationError("証券番号は14桁の数字（枝番付きは「01202600000123-00」の形式）で入力してください")

    def criteria(self) -> dict:
        return loss_inquiries.loss_criteria(self.number.data, self.policy.data, self.state.data)
