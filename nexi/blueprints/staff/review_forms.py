"""Forms of the review queue (S.2): its search, a decision's comment, the internal memo."""

from nexi import fields
from nexi.forms import ChoiceField, NexiForm, Optional
from nexi.models import STATUS_LABELS, Status
from nexi.procedures.registry import CATALOGUE
from nexi.review import COMMENT_MAX, OPEN

LISTED = [status for status in Status if status != Status.DRAFT]
KINDS = [("", "すべて"), ("review", "NEXI審査（フローR）"), ("automatic", "自動完了（フローA）")]


class QueueFilterForm(NexiForm):
    """審査一覧の検索: any status, 手続種別, 保険利用者, 期限超過, flow."""

    statuses = fields.checkboxes(
        "状況",
        [(s.value, STATUS_LABELS[s]) for s in LISTED],
        required=False,
        hint="選ばないときは申込済・審査中・差戻しです。",
    )
    procedure = ChoiceField(
        "手続種別",
        validators=[Optional()],
        choices=[("", "すべて")] + [(code, f"{code} {name}") for code, name in CATALOGUE.items()],
        thing="手続種別",
    )
    customer = fields.text("保険利用者コード", 9, required=False, hint="9桁の数字です。")
    kind = fields.choice("区分", KINDS, required=False, radio=True)
    overdue = fields.checkboxes("期限超過", [("yes", "期限超過のみ")], required=False)
    unconfirmed = fields.checkboxes("確認", [("yes", "フローAの未確認のみ")], required=False)

    def validate_customer(self, field):
        from wtforms import ValidationError

        if field.data and not (len(field.data) == 9 and field.data.isdigit()):
            raise ValidationError("保険利用者コードは9桁の数字で入力してください")

    def criteria(self) -> dict:
        return {
            "statuses": list(self.statuses.data or []) or [s.value for s in OPEN],
            "procedure": self.procedure.data or "",
            "customer": self.customer.data or "",
            "kind": self.kind.data or "",
            "overdue": bool(self.overdue.data),
            "unconfirmed": bool(self.unconfirmed.data),
        }


class DecisionForm(NexiForm):
    """A decision without a comment (受付, 完了): the internal memo, never shown to the customer."""

    help_prefix = "shared.staff_result"
    memo = fields.text("社内メモ（お客様には表示されません）", COMMENT_MAX, required=False, multiline=True)


def _commented(label: str):
    class Commented(DecisionForm):
        comment = fields.text(
            label, COMMENT_MAX, multiline=True, hint="お客様の画面に「NEXI」からのコメントとして表示されます。"
        )
        custom_field_order = ("comment", "memo")

    return Commented


class ReturnForm(_commented("差戻しのコメント")):
    pass


class RejectForm(_commented("不承認の理由")):
    pass


class WithdrawForm(_commented("取下げのコメント（お客様のご依頼の内容）")):
    pass


FORMS = {
    "accept": DecisionForm,
    "complete": DecisionForm,
    "return": ReturnForm,
    "reject": RejectForm,
    "withdraw": WithdrawForm,
}


def decision_form(key: str, result_form: type[NexiForm] | None = None) -> type[NexiForm]:
    """The decision's one form: NEXI's result inputs of S.3 (for 完了), the comment (shown to the
    customer as from 「NEXI」) when the decision requires one, then the internal memo."""
    base = FORMS[key]
    if result_form is None:
        return base
    sections = [*result_form.sections, ("NEXIの記録", ["memo"])] if result_form.sections else None
    return type(
        "CompleteWithResultForm", (result_form, base), {"sections": sections, "help_prefix": "shared.staff_result"}
    )


class MemoForm(NexiForm):
    help_prefix = "shared.staff_result"
    body = fields.text("社内メモ", COMMENT_MAX, multiline=True, hint="お客様の画面・控え・CSVには表示されません。")
