"""NEXI's 完了 of IE1 and IE2 (DOMAIN.md 9-4, S.3, S.5): IE1's confirms the notice and records the
shipment under the 包括保険契約, identified by the IE1 (no new 証券番号); IE2's corrects it (the earlier
values kept in its `history`) or cancels it. Both judge the notice again as the customer's 確認 did.
"""

from datetime import date, timedelta

from sqlmodel import select

from nexi import db, masters, policies
from nexi.clock import add_months, now, today
from nexi.masters import money
from nexi.models import Application, BlanketContract, BlanketShipment, BlanketState, Buyer, ShipmentState
from nexi.procedures.buyers.rules import find
from nexi.procedures.engine import Findings, Refused
from nexi.procedures.insurance import blanket
from nexi.procedures.insurance.checks import japanese, minor
from nexi.text import amount_of, bounded_int

# the columns a 訂正 may change, as `history` keeps them
CHANGED = ("aggregation", "shipped_on", "buyer_id", "destination", "currency", "amount", "count",
           "settlement_method", "lc_bank_code", "due_on", "usance_days", "post_political",
           "post_commercial")  # fmt: skip


def _refuse_on(findings: Findings) -> None:
    problems = [message for fields_ in findings.errors.values() for items in fields_.values() for message in items]
    if problems:
        raise Refused("9-3の引受条件を満たさなくなったため完了できません：" + "／".join(problems))


def _columns(values: dict, contract: BlanketContract, customer_id: int) -> tuple[dict, Buyer]:
    """The shipment's columns from the notice's answers, judged again (9-3, 9-2)."""
    findings, cover = blanket.shipment_findings(values, contract, customer_id)
    _refuse_on(findings)
    buyer, decimals = find(values.get("buyer_code")), masters.decimals(values.get("currency") or "")
    shipped, due = blanket.shipment_day(values), date.fromisoformat(values["due_on"])
    amount = amount_of(values.get("amount"))
    if cover is None or buyer is None or decimals is None or shipped is None or amount is None:
        raise Refused("バイヤー・仕向国がこの包括保険契約に簡易包括登録されていないため完了できません。")
    monthly = values.get("aggregation") == blanket.MONTHLY
    return {
        "aggregation": blanket.AGGREGATION_LABELS[blanket.MONTHLY if monthly else blanket.SINGLE],
        "shipped_on": shipped, "buyer_id": buyer.id, "destination": values["destination"],
        "currency": values["currency"], "amount": minor(amount, decimals),
        "count": bounded_int(values.get("count"), 1, 9999) if monthly else None,
        "settlement_method": values["settlement_method"], "due_on": due,
        "lc_bank_code": bank.code if (bank := blanket.lc_bank(values)) else None,
        "usance_days": bounded_int(values.get("usance_days"), 0, blanket.MAX_USANCE_DAYS) or 0,
        "post_political": cover.political, "post_commercial": cover.commercial,
    }, buyer  # fmt: skip


def _shown(shipment: BlanketShipment, buyer_code: str) -> str:
    amount = f"{shipment.currency} {money(shipment.amount, shipment.currency)}"
    return (f"船積日 {japanese(shipment.shipped_on)}、{buyer_code}、{amount}、決済期限 {japanese(shipment.due_on)}、"
            f"付保率 船後 非常危険 {shipment.post_political}%／信用危険 {shipment.post_commercial}%")  # fmt: skip


def record(application: Application, inputs: dict) -> dict:
    """S.3 IE1 完了: one shipment per IE1 (a second 完了 finds it and refuses)."""
    values = application.answers()
    session = db.session()
    contract = blanket.chosen_contract(values, application.customer_id)
    day, shipped = today(), blanket.shipment_day(values)
    if contract is None or contract.state != BlanketState.IN_FORCE:
        raise Refused("包括保険契約が有効でないため完了できません。")
    # the shipment's date decides, not today's: a notice of the last month may come after the end
    last = shipped and (
        add_months(shipped, 1) - timedelta(days=1) if values.get("aggregation") == blanket.MONTHLY else shipped
    )
    if shipped is None or not blanket.in_period(contract, shipped, last):
        raise Refused("船積日が包括保険契約の保険期間外のため完了できません。")
    if session.exec(select(BlanketShipment.id).where(BlanketShipment.application_id == application.id)).first():
        raise Refused("この船積確定通知の船積はすでに記録されています。")
    columns, buyer = _columns(values, contract, application.customer_id)
    moment = now()
    shipment = BlanketShipment(contract_id=contract.id, customer_id=application.customer_id,
                               application_id=application.id, created_at=moment, updated_at=moment,
                               **columns)  # fmt: skip
    session.add(shipment)
    buyer.last_activity_on = day  # S.5: the buyer's dormancy clock restarts
    session.flush()
    return {"包括保険契約 証券番号": contract.number, "記録された船積": _shown(shipment, buyer.code)}


def _history_entry(shipment: BlanketShipment, application: Application, kind: str) -> dict:
    entry = {"date": today().isoformat(), "application": application.number, "kind": kind}
    for name in CHANGED:
        value = getattr(shipment, name)
        entry[name] = value.isoformat() if isinstance(value, date) else str(value) if value is not None else None
    return entry


def apply(application: Application, inputs: dict) -> dict:
    """S.3 IE2 完了: the 訂正 (earlier values appended to `history`) or the 取消 (state 取消)."""
    values = application.answers()
    session = db.session()
    number = values.get("notice_number")
    shipment = session.exec(
        select(BlanketShipment)
        .join(Application, Application.id == BlanketShipment.application_id)
        .where(Application.number == number, BlanketShipment.customer_id == application.customer_id)
    ).first()
    if shipment is None or shipment.state != ShipmentState.RECORDED:
        raise Refused(f"船積確定通知「{number}」の船積は取り消されているか、見つかりません。")
    if policies.shipment_loss_notice_exists(shipment.id):
        raise Refused("損失等発生通知のある船積は訂正・取消できません。")
    contract = session.get(BlanketContract, shipment.contract_id)
    kind = values.get("kind")
    entry = _history_entry(shipment, application, blanket.CHANGE_LABELS.get(kind or "", ""))
    if kind == blanket.CORRECT:
        columns, buyer = _columns(values, contract, application.customer_id)
        for name, value in columns.items():
            setattr(shipment, name, value)
        code = buyer.code
    else:
        shipment.state = ShipmentState.CANCELLED
        code = session.get(Buyer, shipment.buyer_id).code
    shipment.history = [*shipment.history, entry]  # a new list: JSON columns track assignment only
    shipment.version += 1
    shipment.updated_at = now()
    session.flush()
    outcome = "訂正しました" if kind == blanket.CORRECT else "取り消しました"
    return {"包括保険契約 証券番号": contract.number, "対象の船積確定通知": number,
            "結果": f"船積を{outcome}（{_shown(shipment, code)}）"}  # fmt: skip
