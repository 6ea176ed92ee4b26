"""A01 損失等発生通知 (DOMAIN.md 11-1), flow R: the customer reports a loss on a 決済期限 (船積後)
or on the policy's pre-shipment cover (船積前 / 増加費用); NEXI's 受理 creates the 事故.

From the 申込む on, a loss notice exists (nexi/losses.py): the 決済期限 takes no second A01 and no
決済通知, the policy no 変更. 申込む locks the policy and judges that again, so of two A01 on one
決済期限 at once only one is filed; 取下げ and 不承認 end the notice.
"""

from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col
from wtforms import ValidationError

from nexi import db, fields, losses, policies
from nexi.applications import Conflict
from nexi.clock import today
from nexi.conditions import When
from nexi.forms import NexiForm, Required
from nexi.models import Instalment, LossNotice, NoticeKind, Policy
from nexi.procedures.engine import Context, Deadline, Findings, Refused
from nexi.procedures.limits.give_back import OwnChoiceField, minor
from nexi.procedures.limits.own import forget, japanese_day, money, policy_key
from nexi.procedures.losses import own
from nexi.text import amount_of
from nexi.text import iso_day as parse_day

STEP_TARGET, STEP_CONTENT = "target", "content"
KINDS = [(kind.value, kind.value) for kind in NoticeKind]
G_RATED = ("GS", "GA", "GE")
DISPUTE = [("無", "無"), ("有", "有")]
PRE_KINDS = (NoticeKind.PRE, NoticeKind.EXTRA)


def chosen(values: dict, customer, application_id: int | None = None) -> own.Notifiable | None:
    if customer is None:
        return None
    return own.notifiable_policy(customer.id, values.get("policy_number"), excluding=application_id)


def _policy_choices(form) -> list[tuple[str, str]]:
    return [
        (policy_key(item.policy), f"{policy_key(item.policy)}（支払人 {item.payer}、{item.policy.state}）")
        for item in own.notifiable(form.context.customer.id, excluding=form.context.application_id)
    ]


def _instalment_choices(form) -> list[tuple[str, str]]:
    item = chosen(form.answers, form.context.customer, form.context.application_id)
    if item is None:
        return []
    return [(str(row.position), own.instalment_label(row, item.policy.currency)) for row in item.open_instalments()]


class InstalmentField(OwnChoiceField):
    """対象決済期限: once the notice is filed its 決済期限 is no longer offered, so 確認, the record
    and the 控え name it from the policy's schedule (「第1回 2026年8月1日」)."""

    def shown(self) -> str:
        labels = {str(choice.value): choice.label for choice in self.choices}
        if self.data in (None, "") or str(self.data) in labels:
            return super().shown()
        form = self._form
        item = chosen(form.answers, form.context.customer, form.context.application_id) if form.context else None
        row = next((row for row in item.instalments if str(row.position) == str(self.data)), None) if item else None
        return f"第{row.position}回 {japanese_day(row.due_on)}" if row else f"第{self.data}回"

    def bind_to_form(self, form) -> None:
        self._form = form
        super().bind_to_form(form)


class TargetForm(NexiForm):
    """The policy and the 通知区分 (the 決済期限 of a 船積後 notice is chosen on the next step,
    among the chosen policy's)."""

    policy_number = OwnChoiceField(
        "証券番号・枝番",
        validators=[Required("証券番号・枝番", choose=True)],
        options=_policy_choices,
        description="貴社の保険（有効・一部決済・事故）から選択してください。",
    )
    kind = fields.choice("通知区分", KINDS, radio=True)

    def _item(self):
        return chosen(self.answers | {"policy_number": self.policy_number.data}, self.context.customer,
                      self.context.application_id) if self.context else None  # fmt: skip

    def validate_kind(self, field):
        item = self._item()
        if item is None or field.data not in PRE_KINDS:
            return
        if not item.policy.cover_pre:
            raise ValidationError("この保険には船積前の付保がないため、この通知区分は選択できません")
        if item.kind_taken(field.data):
            raise ValidationError(f"この保険には、すでに{field.data}があります")


class ContentForm(NexiForm):
    sections = [
        ("事故の対象", ["instalment", "fixed_on"]),
        ("事故の内容", ["cause", "expected_loss", "unpaid"]),
        ("事故の経緯", ["history", "recovery", "storage", "dispute", "dispute_detail"]),
        ("添付ファイル", ["documents"]),
    ]
    instalment = InstalmentField(
        "対象決済期限",
        validators=fields._presence("対象決済期限", True, When("kind", NoticeKind.POST), choose=True),
        options=_instalment_choices,
        description="未決済で、損失等発生通知をしていない決済期限から選択してください。",
    )
    fixed_on = fields.day("事故確定日", when=When("kind", *PRE_KINDS))
    cause = fields.choice("事故原因", losses.CAUSES)
    expected_loss = fields.amount("損失見込額", currency=lambda form: form.currency())
    unpaid = fields.amount("未回収額", currency=lambda form: form.currency(), when=When("kind", NoticeKind.POST))
    history = fields.text("事故の経緯", 2000, multiline=True)
    recovery = fields.text("回収見込み", 1000, multiline=True)
    storage = fields.text("貨物の保管状況", 1000, multiline=True, when=When("kind", NoticeKind.PRE))
    dispute = fields.choice("紛争の有無", DISPUTE, radio=True)
    dispute_detail = fields.text("紛争の内容", 1000, multiline=True, when=When("dispute", "有"))
    documents = fields.pdf("添付ファイル", required=False)

    def item(self) -> own.Notifiable | None:
        return chosen(
            self.answers, getattr(self.context, "customer", None), getattr(self.context, "application_id", None)
        )

    def currency(self) -> str | None:
        item = self.item()
        return item.policy.currency if item else None

    def validate_fixed_on(self, field):
        if field.data is not None and field.data > today():
            raise ValidationError("事故確定日は本日以前の日付を入力してください")

    def validate_cause(self, field):
        if field.data != "13":
            return
        item = self.item()
        if self.answers.get("kind") != NoticeKind.PRE or (item is not None and item.payer_rating not in G_RATED):
            raise ValidationError(
                "事故原因「13 契約相手方の一方的契約破棄」は、格付Gの支払人の船積前損失発生通知に限ります"
            )


def _instalment(item: own.Notifiable, values: dict):
    position = str(values.get("instalment") or "")
    return next((row for row in item.instalments if str(row.position) == position), None)


def check(context: Context) -> Findings:
    """11-1's amounts against the policy: 損失見込額 ≤ 保険価額 (船積後: ≤ the 決済期限's amount),
    未回収額 ≤ the 決済期限's unsettled amount."""
    findings = Findings()
    values = context.values
    item = chosen(values, context.customer, context.application_id)
    if item is None:
        return findings
    row = item.policy
    decimals = own.decimals(row.currency)
    expected = minor_of(values.get("expected_loss"), decimals)
    if values.get("kind") == NoticeKind.POST:
        instalment = _instalment(item, values)
        if instalment is None:
            return findings
        if expected is not None and expected > instalment.amount:
            findings.error(STEP_CONTENT, "expected_loss",
                           f"損失見込額は対象決済期限の金額（{money(instalment.amount, row.currency)}）以下で入力してください")  # fmt: skip
        unpaid = minor_of(values.get("unpaid"), decimals)
        left = policies.outstanding(instalment)
        if unpaid is not None and unpaid > left:
            findings.error(STEP_CONTENT, "unpaid",
                           f"未回収額は対象決済期限の未決済額（{money(left, row.currency)}）以下で入力してください")  # fmt: skip
    else:
        value = row.value_pre if row.value_pre is not None else row.value_post
        if expected is not None and expected > value:
            findings.error(STEP_CONTENT, "expected_loss",
                           f"損失見込額は保険価額（{money(value, row.currency)}）以下で入力してください")  # fmt: skip
    findings.inform("NEXIが受理すると事故番号が付番され、「各種情報照会」の事故で確認できます。")
    return findings


def minor_of(value, decimals: int) -> int | None:
    """An answer (typed text, or the field's Decimal) in whole minor units; None when blank."""
    value = value if isinstance(value, Decimal) else amount_of(value)
    return None if value is None else minor(value, decimals)


def due(values: dict, context: Context):
    """45 days from the 決済期限 (船積後) or the 事故確定日 (船積前, 増加費用)."""
    item = chosen(values, context.customer, context.application_id)
    if item is None:
        return None
    if values.get("kind") == NoticeKind.POST:
        instalment = _instalment(item, values)
        return losses.notice_deadline(NoticeKind.POST, instalment.due_on if instalment else None, None)
    return losses.notice_deadline(values.get("kind"), None, parse_day(values.get("fixed_on")))


DEADLINE = Deadline(
    due=due,
    warning="通知期限（{due}）を過ぎています。受け付けますが、期限超過として扱われます。",
    reads_context=True,
)


def _locked(values: dict, customer_id: int, application_id: int):
    """The policy (locked) and the 決済期限 the answers name, judged again now: Conflict when a
    loss notice was filed on it meanwhile."""
    key = values.get("policy_number")
    item = own.notifiable_policy(customer_id, key, excluding=application_id)
    policy = item and db.session().get(Policy, item.policy.id, with_for_update=True, populate_existing=True)
    if policy is None:
        raise Conflict("この保険には損失等発生通知ができません。", step=STEP_TARGET, field="policy_number")
    forget()  # read again under the lock
    item = own.notifiable_policy(customer_id, key, excluding=application_id)
    kind = values.get("kind")
    if kind in PRE_KINDS:
        if item.kind_taken(kind):
            raise Conflict(f"この保険には、すでに{kind}があります。", step=STEP_TARGET, field="kind")
        return policy, None
    instalment = _instalment(item, values)
    if instalment is None or instalment not in item.open_instalments():
        raise Conflict("この決済期限には、すでに損失等発生通知があります。", step=STEP_CONTENT, field="instalment")
    return policy, instalment


def submitted(application, context: Context, first: bool) -> None:
    policy, instalment = _locked(context.values, context.customer.id, application.id)
    losses.record_notice(application, context.customer.id, policy.id, instalment.id if instalment else None,
                         context.values["kind"])  # fmt: skip


def ended(application) -> None:
    losses.forget_notice(application)


def accept(application, inputs: dict) -> dict:
    """受理 (S.3): the 事故 with its 事故番号, 請求開始日 and 請求期限; the policy shows 事故."""
    values = application.answers()
    notice = db.session().scalars(select(LossNotice).where(col(LossNotice.application_id) == application.id)).first()
    if notice is None:
        raise Refused("この損失等発生通知の対象が見つかりません。")
    policy = db.session().get(Policy, notice.policy_id, with_for_update=True)
    instalment = db.session().get(Instalment, notice.instalment_id) if notice.instalment_id else None
    decimals = own.decimals(policy.currency)
    loss = losses.accept(
        application,
        policy=policy,
        instalment=instalment,
        values=values,
        amounts={
            "expected_loss": minor_of(values.get("expected_loss"), decimals) or 0,
            "unpaid": minor_of(values.get("unpaid"), decimals) if notice.kind == NoticeKind.POST else None,
            "fixed_on": parse_day(values.get("fixed_on")),
        },
    )
    policies.refresh_state(policy)
    forget()
    result = {"事故番号": loss.number, "証券番号・枝番": policy_key(policy), "通知区分": loss.kind}
    result["請求開始日"] = japanese_day(loss.claim_from)
    result["請求期限"] = japanese_day(loss.claim_until)
    result["状況"] = loss.state
    return result


def describe(values: dict) -> tuple[str, str | None]:
    key = values.get("policy_number") or None
    kind = values.get("kind") or ""
    return (f"証券番号・枝番 {key} {kind}".strip() if key else kind, key)
