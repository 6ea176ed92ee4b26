"""The search conditions of 5-2 保険契約 (at least one) and 5-3 個別保証枠 (optional)."""

import re

from wtforms import ValidationError

from nexi import contract_inquiries, fields, inquiries, limit_inquiries, masters
from nexi.fields import BUYER_CODE, normalise_buyer_code
from nexi.forms import ChoiceField, NexiForm, Optional
from nexi.models.buyer import search_text

ANY = ("", "すべて")
NO_CRITERION = "証券番号、保険種別、バイヤーコード/名称、状態、保険期間のいずれか1つ以上を指定してください"
NUMBER = re.compile(r"\d{14}(-\d{2})?")


def _buyer_field():
    return fields.text(
        "バイヤーコード/名称",
        140,
        required=False,
        hint="契約相手方または支払人のバイヤーコード（完全一致）か、英文名称・別名の一部（2文字以上）。",
    )


def _validate_buyer(field) -> None:
    """A バイヤーコード (304-000123, 304000123) or a name of at least two characters."""
    if not field.data:
        return
    code = normalise_buyer_code(field.data)
    if BUYER_CODE.fullmatch(code):
        field.data = code
    elif len(search_text(field.data)) < inquiries.NAME_MIN:
        raise ValidationError(f"名称は{inquiries.NAME_MIN}文字以上で入力してください")


class PolicyInquiryForm(NexiForm):
    """5-2: at least one criterion (§5)."""

    help_prefix = "inquiry.policies"
    number = fields.text(
        "証券番号",
        17,
        required=False,
        hint="14桁の数字（完全一致）。枝番まで指定する場合は「01202600000123-00」の形式です。",
    )
    product = ChoiceField(
        "保険種別",
        validators=[Optional()],
        choices=[ANY, *masters.PRODUCTS.items()],
        thing="保険種別",
    )
    buyer = _buyer_field()
    state = ChoiceField(
        "状態", validators=[Optional()], choices=[ANY, *((s, s) for s in contract_inquiries.STATES)], thing="状態"
    )
    period_from = fields.day(
        "保険期間（From）", required=False, hint="この日以降に保険期間が終わる契約。例：2026-04-01"
    )
    period_to = fields.day("保険期間（To）", required=False, hint="この日までに保険期間が始まる契約。例：2026-12-31")

    def validate_number(self, field):
        if field.data and not NUMBER.fullmatch(field.data):
            raise ValidationError("証券番号は14桁の数字（枝番付きは「01202600000123-00」の形式）で入力してください")

    def validate_buyer(self, field):
        _validate_buyer(field)

    def validate_period_to(self, field):
        start = self.period_from.data
        if field.data and start and field.data < start:
            raise ValidationError("保険期間（To）は保険期間（From）以降の日付を入力してください")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any(self.criteria().values()):
            self.form_errors.append(NO_CRITERION)
            return False
        return valid

    def criteria(self) -> dict:
        def day(field):
            return field.data.isoformat() if field.data else ""

        return contract_inquiries.policy_criteria(
            self.number.data, self.product.data, self.buyer.data, self.state.data,
            day(self.period_from), day(self.period_to),
        )  # fmt: skip


class LimitInquiryForm(NexiForm):
    """5-3: the filter is optional (none: every buyer the customer holds something on)."""

    help_prefix = "inquiry.limits"
    buyer = fields.text(
        "バイヤーコード/名称",
        140,
        required=False,
        hint="バイヤーコード（完全一致）か、英文名称・別名の一部（2文字以上）で絞り込みます。",
    )

    def validate_buyer(self, field):
        _validate_buyer(field)

    def criteria(self) -> dict:
        return limit_inquiries.limit_criteria(self.buyer.data)
