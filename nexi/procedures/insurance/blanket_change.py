"""IE2 訂正・取消（簡易通知型） (DOMAIN.md 9-4 IE2, C.4, C.7), flow R, screen pattern 2.

Names a shipment recorded by the 完了 of one of the customer's own IE1 (by its Web申込番号; a
cancelled one, or another customer's, is no choice — both are refused alike) and either corrects it
— the IE1 fields prefilled from the recorded shipment, its 包括保険契約 fixed, the same checks — or
cancels it with a 理由. Blocked while a loss notice exists on the shipment; one pending IE2 per
shipment. NEXI's 完了 applies it (blanket_completion.py). IE1 (blanket.py) is declared here too, so that
both 完了 hooks are imported without a cycle.
"""

from flask import g, has_request_context
from sqlmodel import col, select
from werkzeug.datastructures import MultiDict

from nexi import db, fields, policies, registrations
from nexi.conditions import When
from nexi.forms import NexiForm
from nexi.inputs import LazyChoiceField
from nexi.masters import money
from nexi.models import Application, BlanketContract, BlanketShipment, Buyer, ShipmentState, Status
from nexi.procedures.engine import Context, Exclusive, Findings, Procedure, Step
from nexi.procedures.insurance import blanket, blanket_completion

STEP_TARGET = "target"
CORRECT, CANCEL, KINDS, KIND_LABELS = blanket.CORRECT, blanket.CANCEL, blanket.CHANGE_KINDS, blanket.CHANGE_LABELS
__all__ = ["BLANKET_CHANGE", "BLANKET_NOTICE"]
CORRECTING = When("kind", CORRECT)


def recorded(customer_id: int) -> list[tuple[BlanketShipment, str, str, BlanketContract]]:
    """The customer's shipments not cancelled, with their IE1's Web申込番号, バイヤーコード and
    contract, in one statement (read once per request; C.4: scoped by the 保険利用者)."""

    def load():
        rows = db.session().exec(
            select(BlanketShipment, Application.number, Buyer.code, BlanketContract)
            .join(Application, col(Application.id) == col(BlanketShipment.application_id))
            .join(Buyer, col(Buyer.id) == col(BlanketShipment.buyer_id))
            .join(BlanketContract, col(BlanketContract.id) == col(BlanketShipment.contract_id))
            .where(
                col(BlanketShipment.customer_id) == customer_id,
                col(BlanketContract.customer_id) == customer_id,
                col(BlanketShipment.state) == ShipmentState.RECORDED,
                col(Application.status) == Status.COMPLETED,
            )
            .order_by(col(Application.number).desc())
        )
        return list(rows)

    if not has_request_context():
        return load()
    store = g.setdefault("blanket_recorded", {})
    if customer_id not in store:
        store[customer_id] = load()
    return store[customer_id]


def target(values: dict, customer) -> tuple[BlanketShipment, str, str, BlanketContract] | None:
    number = values.get("notice_number")
    if not number or customer is None:
        return None
    return next((row for row in recorded(customer.id) if row[1] == number), None)


def shipment_values(row) -> dict[str, str]:
    """The recorded shipment as the IE1 answers (what 訂正 starts from)."""
    shipment, _number, code, _contract = row
    monthly = shipment.aggregation == blanket.AGGREGATION_LABELS[blanket.MONTHLY]
    return {
        "aggregation": blanket.MONTHLY if monthly else blanket.SINGLE,
        "shipped_on": "" if monthly else shipment.shipped_on.isoformat(),
        "shipped_month": f"{shipment.shipped_on:%Y-%m}" if monthly else "",
        "count": str(shipment.count) if shipment.count else "",
        "buyer_code": code,
        "destination": shipment.destination,
        "currency": shipment.currency,
        "amount": money(shipment.amount, shipment.currency),
        "settlement_method": shipment.settlement_method,
        "lc_bank_code": shipment.lc_bank_code or "",
        "due_on": shipment.due_on.isoformat(),
        "usance_days": str(shipment.usance_days),
    }


def _choices(form) -> list[tuple[str, str]]:
    return [
        (
            number,
            f"{number}（{shipment.shipped_on:%Y/%m/%d} {code} {shipment.currency} {money(shipment.amount, shipment.currency)}）",
        )
        for shipment, number, code, _contract in recorded(form.context.customer.id)
    ]


class TargetForm(NexiForm):
    """9-4 IE2 対象の船積確定通知・区分."""

    help_prefix = "IE2"
    sections = [("対象の船積確定通知", ["notice_number"]), ("区分", ["kind", "reason"])]
    notice_number = LazyChoiceField(
        "対象の船積確定通知",
        validators=fields._presence("対象の船積確定通知", True, None, choose=True),
        thing="対象の船積確定通知",
        options=_choices,
        show=str,
        description="完了した船積確定通知（取消されていないもの）のWeb申込番号を選択してください。",
    )
    kind = fields.choice("区分", KINDS, radio=True)
    reason = fields.text("理由", 1000, multiline=True, when=When("kind", CANCEL))


class _Prefilled:
    """A 訂正 step shown for the first time starts from the recorded shipment."""

    def __init__(self, *args, formdata=None, answers=None, context=None, **kw):
        if formdata is not None and not formdata:
            found = target(answers or {}, getattr(context, "customer", None))
            if found is not None:
                values = shipment_values(found)
                formdata = MultiDict({name: values[name] for name in self._names() if name in values})
        super().__init__(*args, formdata=formdata, answers=answers, context=context, **kw)

    @classmethod
    def _names(cls) -> list[str]:
        return [name for _title, names in cls.sections for name in names]


class CorrectedShipmentForm(_Prefilled, blanket.ShipmentForm):
    """The IE1 船積 fields; the 包括保険契約 is the recorded shipment's (fixed)."""

    sections = blanket.ShipmentForm.sections[1:]
    contract_number = None

    def contract(self) -> BlanketContract | None:
        found = target(self.answers or {}, getattr(self.context, "customer", None))
        return found[3] if found else None


class CorrectedSettlementForm(_Prefilled, blanket.SettlementForm):
    """The IE1 決済 fields."""


def check(context: Context) -> Findings:
    found = target(context.values, context.customer)
    if found is None:
        return Findings()
    shipment, _number, _code, contract = found
    if policies.shipment_loss_notice_exists(shipment.id):
        findings = Findings()
        findings.error(STEP_TARGET, "notice_number", "損失等発生通知のある船積は訂正・取消できません")
        return findings
    if context.values.get("kind") != CORRECT:
        findings = Findings()
        findings.inform("取消が完了すると、この船積は包括保険契約の記録から取り消されます（記録は残ります）。")
        return findings
    return blanket.shipment_findings(context.values, contract, context.customer.id)[0]


EXCLUSIVE = Exclusive(
    key=lambda values: values.get("notice_number") or None,
    message="船積確定通知「{key}」の訂正・取消は、すでに申込み中です",
    step=STEP_TARGET,
    field="notice_number",
)


def describe(values: dict) -> tuple[str, str | None]:
    number = values.get("notice_number") or ""
    return f"{number} {KIND_LABELS.get(values.get('kind') or '', '')}".strip(), number or None


# IE1: its forms and rules in blanket.py, declared here after its 完了 (blanket_completion.py)
BLANKET_NOTICE = Procedure(
    code="IE1",
    title="簡易通知型包括保険 申込（船積確定通知）",
    section="9-4",
    chapter="insurance",
    path="blanket",
    steps=blanket.steps(),
    describe=blanket.describe,
    check=blanket.check,
    initial=blanket.initial,
    deadline=blanket.DEADLINE,
    complete=blanket_completion.record,
    eligible=registrations.holds(registrations.HOLDS_BLANKET),
    ineligible=registrations.REASONS[registrations.HOLDS_BLANKET],
    pattern=2,
    intro=(
        "簡易通知型包括保険契約のもとで、船積み（または1か月分の船積み）を通知する手続きです。"
        "船積月の翌月末までにお届けください（過ぎた場合は「期限超過」として扱われます）。\n"
        "バイヤーと仕向国は、包括保険契約に簡易包括登録されている必要があります。付保率は包括保険契約のものが適用され、"
        "信用危険は簡易包括登録に支払限度額があるバイヤーの船積のみてん補されます（入力は不要です）。"
        "契約書・L/Cの写しの添付は不要です。NEXIの確認後、船積が包括保険契約に記録されます（新しい証券番号は発行されません）。"
    ),
)

BLANKET_CHANGE = Procedure(
    code="IE2",
    title="簡易通知型包括保険 変更（訂正・取消）",
    section="9-4",
    chapter="insurance",
    path="blanket-change",
    steps=(
        Step(STEP_TARGET, "対象・区分", TargetForm),
        *blanket.steps(CorrectedShipmentForm, CORRECTING)[:1],
        Step(blanket.STEP_SETTLEMENT, "決済", CorrectedSettlementForm, when=CORRECTING),
    ),  # fmt: skip
    describe=describe,
    check=check,
    exclusive=(EXCLUSIVE,),
    complete=blanket_completion.apply,
    eligible=BLANKET_NOTICE.eligible,
    ineligible=BLANKET_NOTICE.ineligible,
    pattern=2,
    intro=(
        "完了した船積確定通知の内容を訂正するか、取り消す手続きです。訂正では記録された船積の内容が入力されていますので、"
        "変わった項目を直してください（包括保険契約は変更できません）。\n"
        "損失等発生通知のある船積は訂正・取消できません。NEXIの確認前の船積確定通知は、"
        "「Web申込状況一覧」から取下げて、新しく船積確定通知をお届けください。"
    ),
)
