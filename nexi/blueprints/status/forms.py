"""4-3 Web申込状況一覧の検索条件."""

from datetime import date

from wtforms import ValidationError

from nexi import fields
from nexi.clock import add_months
from nexi.forms import ChoiceField, MultiCheckboxField, NexiForm, Optional, Pattern, Required
from nexi.models import STATUS_LABELS, Status
from nexi.procedures.registry import CATALOGUE

DEFAULT_STATUSES = [status.value for status in Status if status != Status.EXPIRED]
ORDERS = [("new", "最終更新日時の新しい順"), ("old", "最終更新日時の古い順")]


class StatusFilterForm(NexiForm):
    help_prefix = "status.index"
    sections = [
        ("検索条件", ["date_from", "date_to", "procedure", "statuses", "number", "target_key", "applicant", "order"])
    ]
    date_from = fields.day("申込日（From）", hint="例：2026-01-01")
    date_to = fields.day("申込日（To）", hint="例：2026-03-31（期間は1年以内）")
    procedure = ChoiceField(
        "手続種別", validators=[Optional()], choices=[("", "すべて"), *CATALOGUE.items()], thing="手続種別"
    )
    statuses = MultiCheckboxField(
        "状況",
        validators=[Required("状況", choose=True)],
        choices=[(status.value, label) for status, label in STATUS_LABELS.items()],
        thing="状況",
    )
    number = fields.text("Web申込番号", 15, required=False, hint="例：W20260415000123（完全一致）")
    target_key = fields.text(
        "証券番号・バイヤーコード", 20, required=False, hint="完全一致で検索します。例：304-000123"
    )
    applicant = fields.text("申込者（WebユーザーID）", 20, required=False)
    order = ChoiceField("並び順", choices=ORDERS, thing="並び順")

    def criteria(self) -> dict:
        """A valid search as the screen keeps it: the criteria given, normalised (dates as ISO
        text), so that listing a page again needs no form."""
        kept = {}
        for name in self.sections[0][1]:
            value = self[name].data
            if value not in (None, "", []):
                kept[name] = value.isoformat() if isinstance(value, date) else value
        return kept

    def validate_number(self, field):
        field.data = (field.data or "").upper()
        Pattern("Web申込番号", r"W\d{14}", "「W」と14桁の数字")(self, field)

    def validate_target_key(self, field):
        field.data = fields.normalise_buyer_code(field.data)

    def validate_date_to(self, field):
        start, end = self.date_from.data, field.data
        if start and end:
            if start > end:
                raise ValidationError("申込日（To）は申込日（From）以降の日付を入力してください")
            if end > add_months(start, 12):
                raise ValidationError("申込日の期間は1年以内で指定してください")
