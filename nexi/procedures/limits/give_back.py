"""L02 枠戻し (DOMAIN.md 10-2): give back reserved (予約分, flow A) or used (使用分, flow R) limit.

予約分 takes the 確認's 残額 and 予約残円 down at 申込む (its 完了 in the same transaction); 使用分
waits for NEXI, whose 完了 lowers the policy's credit-covered outstanding and 使用額円. The 申込む
hook locks what the 完了 draws on and checks it still fits, so a flow-A 完了 never fails after the
application was submitted (a 完了 cannot stop a 申込む; the hook can, with nothing changed).
"""

from decimal import Decimal

from wtforms import ValidationError

from nexi import applications, db, fields, limits, masters
from nexi.conditions import When
from nexi.forms import NexiForm, Required, asked_when
from nexi.inputs import ScopedChoiceField
from nexi.models import Confirmation, Policy
from nexi.models.contract import OPEN_CONFIRMATION
from nexi.procedures.engine import Context, Exclusive, Findings, Procedure, Refused, Step
from nexi.procedures.limits import own
from nexi.text import amount_of

RESERVED, USED = "予約分", "使用分"
ALL, PART = "全部", "一部"
REASONS = [(name, name) for name in ("契約不成立", "金額減少", "船積取止め", "L/C決済に変更", "その他")]


class OwnChoiceField(ScopedChoiceField):
    """A choice of the customer's own rows that 確認 and the record's detail show by its value
    when the row is no longer offered (a 確認 given back in full, a policy settled since)."""

    def shown(self) -> str:
        labels = {str(choice.value): choice.label for choice in self.choices}
        return labels.get(str(self.data), str(self.data)) if self.data not in (None, "") else "（選択なし）"


def chosen(answers: dict, customer_id: int | None) -> Confirmation | Policy | None:
    """The 確認 (予約分) or policy (使用分) the answers name, the customer's own only."""
    if customer_id is None:
        return None
    if answers.get("target_kind") == RESERVED:
        return own.confirmation(customer_id, answers.get("confirmation_number"))
    if answers.get("target_kind") == USED:
        return own.policy(customer_id, answers.get("policy_number"))
    return None


def returnable(row) -> int:
    """What may be given back: the 確認's 残額, or the policy's credit-covered outstanding."""
    return limits.remaining(row) if isinstance(row, Confirmation) else row.credit_outstanding


def minor(amount: Decimal, decimals: int) -> int:
    return int(Decimal(amount).scaleb(decimals))


class TargetForm(NexiForm):
    """What is given back: a 確認's 残額 (予約分) or a policy's 使用額 (使用分)."""

    target_kind = fields.choice("戻し対象", [(RESERVED, RESERVED), (USED, USED)], radio=True)
    confirmation_number = OwnChoiceField(
        "確認管理番号",
        validators=[*asked_when(When("target_kind", RESERVED)), Required("確認管理番号", choose=True)],
        options=own.confirmation_choices,
        description="有効期限内で残額のある、貴社の確認（確認済・一部使用）から選択してください。",
    )
    policy_number = OwnChoiceField(
        "証券番号・枝番",
        validators=[*asked_when(When("target_kind", USED)), Required("証券番号・枝番", choose=True)],
        options=own.use_choices,
        description="個別保証枠を使用している貴社の保険から選択してください。",
    )


class ContentForm(NexiForm):
    """全部 or 一部, the amount in the currency of the 確認 or policy, and why."""

    return_kind = fields.choice("戻し区分", [(ALL, ALL), (PART, PART)], radio=True)
    amount = fields.amount(
        "戻し金額", currency=lambda form: getattr(form.target(), "currency", None), when=When("return_kind", PART)
    )
    reason = fields.choice("理由", REASONS)
    reason_text = fields.text("その他の理由", 500, when=When("reason", "その他"), multiline=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = self.target()
        if row is not None:  # the currency is fixed by the target, and so is the most
            what = "確認の残額" if isinstance(row, Confirmation) else "信用危険てん補対象の残額"
            self.amount.description = (
                f"{row.currency}で入力してください（{what}：{own.money(returnable(row), row.currency)}）。"
                "カンマ（,）を入れても構いません。"
            )

    def target(self):
        customer = getattr(self.context, "customer", None)
        return chosen(self.answers, customer.id if customer else None)

    def validate_amount(self, field):
        row = self.target()
        if field.data is None or row is None:
            return
        left = returnable(row)
        if minor(field.data, masters.decimals(row.currency) or 0) > left:
            what = "確認の残額" if isinstance(row, Confirmation) else "信用危険てん補対象の残額"
            raise ValidationError(f"戻し金額は{what}（{own.money(left, row.currency)}）以下で入力してください")


def _describe(values: dict) -> tuple[str, str | None]:
    if values.get("target_kind") == RESERVED:
        key = values.get("confirmation_number") or None
    elif values.get("target_kind") == USED:
        key = values.get("policy_number") or None
    else:
        return "", None
    return f"{values['target_kind']} {key or ''}".strip(), key


def _check(context: Context) -> Findings:
    findings = Findings()
    if context.values.get("target_kind") == RESERVED:
        findings.inform(
            "申し込むと、直ちに確認の残額が減少します。全部を戻すと、確認は「枠戻し済」となり、以後の保険申込みには使用できません。"
        )
    elif context.values.get("target_kind") == USED:
        findings.inform("NEXIが確認した後に、保険の信用危険てん補対象の金額と使用額が減少します。")
    return findings


def _amount(values: dict, decimals: int) -> int | None:
    """The amount to give back in minor units, None = 全部."""
    if values.get("return_kind") != PART:
        return None
    typed = amount_of(values.get("amount"))
    return None if typed is None else minor(typed, decimals)


def submitted(application, context: Context, first: bool) -> None:
    """申込む of 予約分: lock the 確認 and check that it is still open with enough 残額, so that the
    完了 that follows at once cannot fail (a simultaneous L02 or earmark may have taken it)."""
    values = context.values
    if values.get("target_kind") != RESERVED:
        return
    found = own.confirmation(context.customer.id, values.get("confirmation_number"))
    row = found and db.session().get(Confirmation, found.id, with_for_update=True, populate_existing=True)
    if row is None or row.state not in OPEN_CONFIRMATION or limits.remaining(row) == 0:
        raise applications.Conflict(
            "この確認は枠戻しできません（使用済・期限切れ・枠戻し済のいずれかです）。",
            step="target",
            field="confirmation_number",
        )
    amount = _amount(values, masters.decimals(row.currency) or 0)
    if amount is not None and amount > limits.remaining(row):
        raise applications.Conflict(
            f"戻し金額が確認の残額（{own.money(limits.remaining(row), row.currency)}）を超えています。",
            step="content",
            field="amount",
        )


def complete(application, inputs: dict) -> dict:
    """予約分 (at 申込む): the 確認's 残額 and 予約残円 decrease (全部 → 枠戻し済). 使用分 (NEXI's
    完了): the policy's credit-covered outstanding and 使用額円 decrease."""
    values = application.answers()
    row = chosen(values, application.customer_id)
    if row is None:
        raise Refused("対象の確認または保険が見つかりません。")
    row = db.session().get(type(row), row.id, with_for_update=True, populate_existing=True)  # as committed
    decimals = masters.decimals(row.currency) or 0
    amount = _amount(values, decimals)
    if isinstance(row, Confirmation):
        given = limits.remaining(row) if amount is None else amount
        limits.give_back(row.id, amount, decimals)  # LimitError cannot happen: submitted() checked under lock
        own.forget()
        return {
            "確認管理番号": row.number,
            "戻し金額": own.money(given, row.currency),
            "確認の残額": own.money(limits.remaining(row), row.currency),
            "確認の状況": row.state,
        }
    if row.credit_outstanding == 0 or row.used_jpy == 0:
        raise Refused("この保険には戻すことのできる使用額がありません。差戻しまたは不承認としてください。")
    given = row.credit_outstanding if amount is None else amount
    try:
        limits.release_use(row.id, amount, decimals)
    except limits.LimitError:
        raise Refused(
            f"戻し金額が保険の信用危険てん補対象の残額（{own.money(row.credit_outstanding, row.currency)}）を超えています。"
            "差戻しまたは不承認としてください。"
        ) from None
    own.forget()
    return {
        "証券番号・枝番": own.policy_key(row),
        "戻し金額": own.money(given, row.currency),
        "信用危険てん補対象の残額": own.money(row.credit_outstanding, row.currency),
    }


GIVE_BACK = Procedure(
    code="L02",
    title="枠戻し",
    section="10-2",
    chapter="limits",
    path="give-back",
    steps=(Step("target", "戻し対象", TargetForm), Step("content", "戻しの内容", ContentForm)),
    describe=_describe,
    check=_check,
    exclusive=(
        Exclusive(
            key=lambda values: values.get("policy_number") or None if values.get("target_kind") == USED else None,
            message="証券番号・枝番「{key}」の枠戻し（使用分）は、すでに申込み中です",
            step="target",
            field="policy_number",
        ),
    ),
    reviewed=lambda values: values.get("target_kind") != RESERVED,
    submitted=submitted,
    complete=complete,
    intro=(
        "不要になった個別保証枠を戻す手続きです。\n"
        "予約分（確認の残額）は、申し込むと直ちに戻されます。使用分（保険で使用している個別保証枠）は、"
        "NEXIが確認した後に戻されます。結果は「Web申込状況一覧」でご確認ください。"
    ),
)
