"""A02 入金通知 (DOMAIN.md 11-2), flow A: money received on a receivable after its loss notice.

元本 lowers the 事故's 未回収残額 and never below 0 (at 0 it is 「全額回収」 and takes no further
元本); 利息, 遅延損害金 and その他 are recorded beside it. 申込む locks the 事故 and judges the
amount again, so the 完了 that follows in the same transaction cannot fail.
"""

from wtforms import ValidationError

from nexi import fields, losses
from nexi.applications import Conflict
from nexi.clock import add_months, to_jst, today
from nexi.forms import NexiForm, Required
from nexi.models import LossState
from nexi.procedures.engine import Context, Deadline, Findings, Refused
from nexi.procedures.limits.give_back import OwnChoiceField
from nexi.procedures.limits.own import forget, japanese_day, money
from nexi.procedures.losses import own
from nexi.procedures.losses.notice import minor_of
from nexi.text import iso_day as parse_day

PRINCIPAL = "元本"
KINDS = [(name, name) for name in (PRINCIPAL, "利息", "遅延損害金", "その他")]
METHODS = [(name, name) for name in ("送金", "相殺", "その他")]


def chosen(values: dict, customer):
    if customer is None:
        return None
    return own.own_loss(customer.id, values.get("loss_number"))


def _loss_choices(form) -> list[tuple[str, str]]:
    return [(loss.number, own.loss_label(loss, key)) for loss, key in own.own_losses(form.context.customer.id)]


class LossForm(NexiForm):
    loss_number = OwnChoiceField(
        "事故番号",
        validators=[Required("事故番号", choose=True)],
        options=_loss_choices,
        description="NEXIが受理した貴社の事故から選択してください。",
    )


class ReceiptForm(NexiForm):
    received_on = fields.day("入金日")
    amount = fields.amount("入金額", currency=lambda form: form.currency())
    receipt_kind = fields.choice("入金種別", KINDS)
    method = fields.choice("入金方法", METHODS, required=False)
    note = fields.text("備考", 500, required=False, multiline=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        loss = self.loss()
        if loss is not None:
            self.amount.description = (
                f"{loss.currency}で入力してください（未回収残額：{money(loss.outstanding, loss.currency)}）。"
                "元本の入金は未回収残額以下です。"
            )

    def loss(self):
        return chosen(self.answers, getattr(self.context, "customer", None))

    def currency(self) -> str | None:
        loss = self.loss()
        return loss.currency if loss else None

    def validate_received_on(self, field):
        if field.data is not None and field.data > today():
            raise ValidationError("入金日は本日以前の日付を入力してください")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        loss = self.loss()
        if loss is None or self.amount.errors or self.amount.data is None or self.receipt_kind.data != PRINCIPAL:
            return valid
        typed = minor_of(self.amount.data, own.decimals(loss.currency))
        if loss.outstanding == 0:
            self.amount.errors = ["この事故は全額回収済みのため、元本の入金は通知できません（利息等は通知できます）"]
        elif typed > loss.outstanding:
            self.amount.errors = [
                f"元本の入金額は未回収残額（{money(loss.outstanding, loss.currency)}）以下で入力してください"
            ]
        return valid and not self.amount.errors


def accepted_on(loss):
    """The 受理 date of the 事故's A01 (its creation, JST)."""
    return to_jst(loss.created_at).date()


def due(values: dict, context: Context):
    """1 month from the 入金日 — from the 受理 date for money received before it (11-2)."""
    loss = chosen(values, context.customer)
    received = parse_day(values.get("received_on"))
    if loss is None or received is None:
        return None
    return add_months(max(received, accepted_on(loss)), 1)


DEADLINE = Deadline(
    due=due,
    warning="入金日（受理日より前の入金は受理日）から1か月を過ぎた通知です（期限：{due}）。期限超過として扱われます。",
    reads_context=True,
)


def check(context: Context) -> Findings:
    findings = Findings()
    loss = chosen(context.values, context.customer)
    if loss is None:
        return findings
    received = parse_day(context.values.get("received_on"))
    filed = losses.notice_filed_on(loss)
    if received is not None and filed is not None and received < filed:
        findings.warn(f"入金日が損失等発生通知の日（{japanese_day(filed)}）より前です。入金日をご確認ください。")
    if loss.state == LossState.PAID:
        findings.inform("保険金の支払後の回収金は、NEXIへの納付の対象となります。納付についてはNEXIからご連絡します。")
    findings.inform("申し込むと、直ちに入金が記録され、元本の入金は事故の未回収残額から差し引かれます。")
    return findings


def _plan(values: dict, customer_id: int):
    loss = own.own_loss(customer_id, values.get("loss_number"), lock=True)
    if loss is None:
        raise Conflict("この事故には入金通知ができません。", step="loss", field="loss_number")
    amount = minor_of(values.get("amount"), own.decimals(loss.currency))
    principal = values.get("receipt_kind") == PRINCIPAL
    if amount is None or amount <= 0 or (principal and amount > loss.outstanding):
        raise Conflict(
            f"元本の入金額が未回収残額（{money(loss.outstanding, loss.currency)}）を超えています。",
            step="receipt",
            field="amount",
        )
    return loss, amount, principal


def submitted(application, context: Context, first: bool) -> None:
    _plan(context.values, context.customer.id)  # locks the 事故 until the 完了 that follows


def complete(application, inputs: dict) -> dict:
    try:
        loss, amount, principal = _plan(application.answers(), application.customer_id)
    except Conflict as conflict:
        raise Refused(str(conflict)) from None
    losses.receive(loss, amount, principal)
    forget()
    result = {
        "事故番号": loss.number,
        "入金額": money(amount, loss.currency),
        "入金累計（元本）": money(loss.received, loss.currency),
        "未回収残額": money(loss.outstanding, loss.currency),
    }
    if loss.outstanding == 0:
        result["回収の状況"] = "全額回収"
    if loss.state == LossState.PAID:
        result["お知らせ"] = "保険金の支払後の回収金のため、NEXIから納付についてご連絡します。"
    return result


def describe(values: dict) -> tuple[str, str | None]:
    number = values.get("loss_number") or None
    return (f"事故番号 {number}" if number else "", number)
