"""A03 保険金請求期間の猶予期間設定申請 (DOMAIN.md 11-3), flow R: postpone a 事故's 請求期限 while
recovery is still pursued.

Filed no later than 23:59:59 JST of the current 請求期限, at most 6 months further each time, one
pending per 事故; while it is pending the daily job does not let the claim lapse (nexi/losses.py
`advance`). NEXI approves a date no later than the one requested (S.3), the old one kept in the
事故's history; 不承認 leaves the 請求期限 as it was.
"""

from wtforms import ValidationError

from nexi import fields, losses
from nexi.applications import Conflict
from nexi.clock import add_months, today
from nexi.forms import NexiForm, Required
from nexi.models import OPEN_LOSS
from nexi.procedures.engine import Context, Exclusive, Findings, Refused
from nexi.procedures.limits.give_back import OwnChoiceField
from nexi.procedures.limits.own import forget, japanese_day
from nexi.procedures.losses import own
from nexi.text import iso_day as parse_day

MAX_MONTHS = 6
REASONS = [(name, name) for name in ("交渉中", "債務整理手続中", "訴訟・仲裁中", "その他")]


def chosen(values: dict, customer):
    return own.own_loss(customer.id, values.get("loss_number")) if customer is not None else None


def _loss_choices(form) -> list[tuple[str, str]]:
    return [
        (loss.number, f"{own.loss_label(loss, key)} 請求期限 {japanese_day(loss.claim_until)}")
        for loss, key in own.own_losses(form.context.customer.id, OPEN_LOSS)
    ]


class LossForm(NexiForm):
    loss_number = OwnChoiceField(
        "事故番号",
        validators=[Required("事故番号", choose=True)],
        options=_loss_choices,
        description="状況が受理または請求可能の、貴社の事故から選択してください。",
    )


class RequestForm(NexiForm):
    sections = [("猶予の内容", ["requested_until", "reason", "detail", "plan"]), ("添付ファイル", ["documents"])]
    requested_until = fields.day("希望猶予期限")
    reason = fields.choice("理由区分", REASONS)
    detail = fields.text("詳細", 2000, multiline=True)
    plan = fields.text("回収計画", 1000, required=False, multiline=True)
    documents = fields.pdf("添付ファイル", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        loss = self.loss()
        if loss is not None:
            latest = add_months(loss.claim_until, MAX_MONTHS)
            self.requested_until.description = (
                f"現在の請求期限：{japanese_day(loss.claim_until)}。"
                f"現在の請求期限より後で、{japanese_day(latest)}までの日付を入力してください。"
            )

    def loss(self):
        return chosen(self.answers, getattr(self.context, "customer", None))

    def validate_requested_until(self, field):
        loss = self.loss()
        if field.data is None or loss is None:
            return
        if field.data <= loss.claim_until:
            raise ValidationError(
                f"希望猶予期限は現在の請求期限（{japanese_day(loss.claim_until)}）より後の日付を入力してください"
            )
        latest = add_months(loss.claim_until, MAX_MONTHS)
        if field.data > latest:
            raise ValidationError(
                f"希望猶予期限は現在の請求期限から6か月以内（{japanese_day(latest)}まで）で入力してください"
            )


def _open(loss) -> str | None:
    """Why the 事故 takes no A03 now, or None."""
    if loss.state not in OPEN_LOSS:
        return f"状況が{loss.state}の事故には猶予期間設定申請はできません"
    if today() > loss.claim_until:
        return f"請求期限（{japanese_day(loss.claim_until)}）を過ぎているため、猶予期間設定申請はできません"
    return None


def check(context: Context) -> Findings:
    findings = Findings()
    loss = chosen(context.values, context.customer)
    if loss is None:
        return findings
    problem = _open(loss)
    if problem:
        findings.error("loss", "loss_number", problem)
    findings.inform("審査中の申請がある間は、請求期限を過ぎても保険金の請求権は失われません。")
    return findings


def submitted(application, context: Context, first: bool) -> None:
    """23:59:59 JST of the current 請求期限 is the last moment (an error after, 11-3)."""
    loss = own.own_loss(context.customer.id, context.values.get("loss_number"), lock=True)
    problem = "この事故には猶予期間設定申請ができません。" if loss is None else _open(loss)
    if problem:
        raise Conflict(problem, step="loss", field="loss_number")


class ApprovalForm(NexiForm):
    """S.3 A03: the approved date, no later than the one requested."""

    help_prefix = "shared.staff_result"
    approved_until = fields.day("承認する猶予期限", hint="希望猶予期限以前の日付を入力してください。")

    @staticmethod
    def defaults(answers: dict, _application) -> dict:
        return {"approved_until": answers.get("requested_until")}

    def validate_approved_until(self, field):
        requested = parse_day(self.answers.get("requested_until"))
        if field.data is not None and requested is not None and field.data > requested:
            raise ValidationError("承認する猶予期限は希望猶予期限以前の日付を入力してください")


def complete(application, inputs: dict) -> dict:
    values = application.answers()
    loss = own.own_loss(application.customer_id, values.get("loss_number"), lock=True)
    approved = parse_day(inputs.get("approved_until"))
    requested = parse_day(values.get("requested_until"))
    if loss is None:
        raise Refused("この申請の事故が見つかりません。")
    if approved is None or approved <= loss.claim_until or (requested is not None and approved > requested):
        raise Refused(
            f"承認する猶予期限は現在の請求期限（{japanese_day(loss.claim_until)}）より後、希望猶予期限以前の日付です。"
        )
    before = loss.claim_until
    losses.extend(loss, approved, application.number)
    forget()
    return {
        "事故番号": loss.number,
        "変更前の請求期限": japanese_day(before),
        "猶予後の請求期限": japanese_day(loss.claim_until),
    }


def describe(values: dict) -> tuple[str, str | None]:
    number = values.get("loss_number") or None
    return (f"事故番号 {number}" if number else "", number)


EXCLUSIVE = Exclusive(
    key=lambda values: values.get("loss_number") or None,
    message="事故番号「{key}」の猶予期間設定申請は、すでに申込み中です",
    step="loss",
    field="loss_number",
)
