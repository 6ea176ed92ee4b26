"""The policy as IA2 reads it (DOMAIN.md 9-5): with its parties and 変更履歴 in one statement, as
IA1's answers (so 9-3 and the §6 tariff of IA1 judge it again), with a change applied, and the
amounts of a change — 新契約金額, increment, the 通貨変更's restatement, 重大な変更.
"""

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import col

from nexi import db, masters, policies
from nexi.clock import today
from nexi.models import Buyer, BuyerStatus, Policy, PolicyChange
from nexi.procedures.insurance import checks
from nexi.procedures.insurance.change_forms import (
    CURRENCY,
    DECREASE,
    DESTINATION,
    INCREASE,
    KIND_LABELS,
    PAYER,
    SETTLEMENT,
    SHIPMENT,
    kinds_of,
)
from nexi.procedures.insurance.checks import Deal, minor
from nexi.procedures.insurance.policy_rows import cached as _cached
from nexi.text import amount_of
from nexi.text import iso_day as parse_day  # the answers' dates (IA2 and its completion read them)

MATERIAL_SHARE = 10  # 重大な変更: a cumulative increase of 10 % or more of the original 契約金額 (9-5)


def _text(amount: int, currency: str) -> str:
    places = masters.decimals(currency) or 0
    return format(amount / 10**places, f".{places}f") if places else str(amount)


def policy_values(policy: Policy, buyers: dict[int, Buyer]) -> dict:
    """The policy as IA1's answers (9-1 field names), for 9-3 and the §6 tariff."""

    def code(buyer_id):
        return buyers[buyer_id].code if buyer_id in buyers else ""

    def rate(value):
        return "" if value is None else format(value, "f")

    return {
        "contract_type": policy.contract_type, "contracted_on": policy.contracted_on.isoformat(),
        "counterparty_code": code(policy.counterparty_id), "payer_code": code(policy.payer_id),
        "guarantor_code": code(policy.guarantor_id), "destination": policy.destination,
        "commodity": policy.commodity, "currency": policy.currency,
        "contract_amount": _text(policy.contract_amount, policy.currency),
        "advance": _text(policy.advance, policy.currency),
        "cover": ["pre", "post"] if policy.cover_pre else ["post"],
        "fob": _text(policy.fob, policy.currency) if policy.fob is not None else "",
        "first_shipment_on": policy.first_shipment_on.isoformat(),
        "last_shipment_on": policy.last_shipment_on.isoformat(),
        "settlement_method": policy.settlement_method, "lc_bank_code": code(policy.lc_bank_id),
        "lc_confirmed": ["y"] if policy.lc_confirmed else [], "usance_days": str(policy.usance_days),
        "pre_political": rate(policy.pre_political), "pre_commercial": rate(policy.pre_commercial),
        "post_political": rate(policy.post_political), "post_commercial": rate(policy.post_commercial),
    }  # fmt: skip


def changed_values(policy: Policy, buyers: dict[int, Buyer], values: dict) -> dict:
    """The policy's answers with the change applied (what 9-3 and the tariff judge afterwards)."""
    after = policy_values(policy, buyers)
    kinds = kinds_of(values)
    if INCREASE in kinds and values.get("increased_amount"):
        after["contract_amount"] = values["increased_amount"]
    if DECREASE in kinds and values.get("decreased_amount"):
        after["contract_amount"] = values["decreased_amount"]
    moved = currency_amount(values)
    if CURRENCY in kinds and moved is not None:
        currency, amount = moved
        after["currency"], after["contract_amount"] = currency, _text(amount, currency)
        after["advance"] = _text(convert(policy.advance, policy, amount), currency)
        if policy.fob is not None:
            after["fob"] = _text(convert(policy.fob, policy, amount), currency)
    if PAYER in kinds:
        payer = new_payer(values)
        if payer is not None:
            after["payer_code"] = payer.code
        if values.get("new_settlement_method"):
            after["settlement_method"] = values["new_settlement_method"]
        if str(values.get("new_usance_days") or "").isdigit():
            after["usance_days"] = str(int(values["new_usance_days"]))
        if payer is not None and credit_refused(payer):  # 9-3: 非常危険のみ
            after["post_commercial"] = "0"
            after["pre_commercial"] = "0" if after["pre_commercial"] else ""
    if DESTINATION in kinds and values.get("new_destination"):
        after["destination"] = values["new_destination"]
    if SHIPMENT in kinds and values.get("new_last_shipment_on"):
        after["last_shipment_on"] = values["new_last_shipment_on"]
    due, last = parse_day(values.get("new_due_on")), parse_day(after["last_shipment_on"])
    if SETTLEMENT in kinds and due and last:  # a later 決済期限 may lengthen the ユーザンス (9-3)
        after["usance_days"] = str(max(policy.usance_days, (due - last).days))
    return after


def new_payer(values: dict) -> Buyer | None:
    """支払人・決済条件変更: the 新支払人 of the register (not deleted), None when it stays."""
    code = values.get("new_payer_code") if PAYER in kinds_of(values) else None
    if not code:
        return None
    return _cached(
        ("new_payer", code),
        lambda: (
            db.session()
            .scalars(select(Buyer).where(col(Buyer.code) == code, col(Buyer.status) != BuyerStatus.DELETED))
            .first()
        ),
    )


def credit_refused(buyer: Buyer) -> bool:
    """The buyer's 格付 covers no credit risk (M.3 不可)."""
    rating = masters.ratings().get(buyer.rating)
    return rating is not None and rating.cover == "不可"


def currency_amount(values: dict) -> tuple[str, int] | None:
    """通貨変更: (新通貨, 新契約金額 in its minor units), None while either is missing."""
    currency, typed = values.get("new_currency") or "", amount_of(values.get("new_currency_amount") or "")
    places = masters.decimals(currency) if currency else None
    return None if places is None or typed is None else (currency, minor(typed, places))


def convert(amount: int, policy: Policy, new_contract: int) -> int:
    """An amount of the policy restated in the new currency, in proportion to the 新契約金額 (floor)."""
    return amount * new_contract // policy.contract_amount if policy.contract_amount else 0


def new_amount(policy: Policy, values: dict) -> int | None:
    """新契約金額 in minor units (金額増額 or 金額減額), None when the amount does not change."""
    kinds = kinds_of(values)
    typed = (
        values.get("increased_amount")
        if INCREASE in kinds
        else values.get("decreased_amount")
        if DECREASE in kinds
        else None
    )
    amount = amount_of(typed) if typed else None
    return None if amount is None else minor(amount, masters.decimals(policy.currency) or 0)


def increment(policy: Policy, values: dict) -> int:
    """The 金額増額's increment in minor units (0 for any other change)."""
    amount = new_amount(policy, values) if INCREASE in kinds_of(values) else None
    return max(amount - policy.contract_amount, 0) if amount is not None else 0


def premium(policy: Policy, buyers: dict[int, Buyer], values: dict):
    """The §6 estimate of the policy read as IA1's answers `values` (None when the tariff gives
    none): checks.reference_premium, with the policy's buyers already read."""
    roles = {"payer": new_payer(values) or buyers.get(policy.payer_id)}
    if policy.lc_bank_id in buyers:
        roles["lc_bank_code"] = buyers[policy.lc_bank_id]
    if roles["payer"] is None:
        return None
    return checks.reference_premium(values, policy.product, today(), buyers=roles)


def needs_confirmation(policy: Policy, buyers: dict[int, Buyer], values: dict | None = None) -> bool:
    """A credit-covered increment under 個別保証枠 (9-3 on the policy as it stands, or with the
    change `values` applied): EE/EA/EM/EF 支払人, credit cover, a 個別保証枠 product, and no L/C of
    a G- or SA-rated bank."""
    payer = new_payer(values) if values is not None else None
    values = changed_values(policy, buyers, values) if values is not None else policy_values(policy, buyers)
    roles = {"payer": payer or buyers.get(policy.payer_id)}
    if policy.lc_bank_id in buyers:
        roles["lc_bank_code"] = buyers[policy.lc_bank_id]
    return checks.needs_confirmation(Deal(values, policy.product), roles, masters.countries())


def payer_moves(policy: Policy, buyers: dict[int, Buyer], values: dict) -> bool:
    """支払人・決済条件変更 whose result needs a 確認 of the (new) 支払人 it did not need before, or
    for another 支払人: the credit-covered outstanding is then earmarked on that 確認 (10)."""
    if PAYER not in kinds_of(values) or not needs_confirmation(policy, buyers, values):
        return False
    payer = new_payer(values)
    moves = (payer is not None and payer.id != policy.payer_id) or not needs_confirmation(policy, buyers)
    return moves and moved_amount(policy) > 0


def moved_amount(policy: Policy) -> int:
    """What a new 支払人's 確認 must cover: the credit-covered outstanding, or (a policy that held no
    個別保証枠 yet) what is still unsettled of its 決済スケジュール."""
    if policy.credit_outstanding:
        return policy.credit_outstanding
    return sum(policies.outstanding(row) for row in policies.instalments_of(policy.id))


def load(number: str, branch: str, customer_id: int | None = None, payer_code: str = "") -> Policy | None:
    """The policy with its parties, the 新支払人 `payer_code` of a 支払人・決済条件変更, and its 変更履歴
    in one statement (NEXI's 完了 screen shows the form, the tariff's proposal and the facts of
    all of them); `customer_id` scopes it to its owner."""
    parts = [aliased(Buyer) for _ in range(5)]
    counterparty, payer, guarantor, bank, newcomer = parts
    query = (
        select(Policy, *parts, PolicyChange)
        .join(counterparty, col(counterparty.id) == Policy.counterparty_id)
        .join(payer, col(payer.id) == Policy.payer_id)
        .outerjoin(guarantor, col(guarantor.id) == Policy.guarantor_id)
        .outerjoin(bank, col(bank.id) == Policy.lc_bank_id)
        .outerjoin(newcomer, (col(newcomer.code) == payer_code) & (col(newcomer.status) != BuyerStatus.DELETED))
        .outerjoin(PolicyChange, col(PolicyChange.policy_id) == Policy.id)
        .where(col(Policy.number) == number, col(Policy.branch) == branch)
        .order_by(col(PolicyChange.at), col(PolicyChange.id))
    )
    if customer_id is not None:
        query = query.where(col(Policy.customer_id) == customer_id)
    found = db.session().execute(query).all()
    if not found:
        return None
    policy = found[0][0]
    buyers = {buyer.id: buyer for buyer in found[0][1:5] if buyer is not None}
    _cached(("parties", policy.id), lambda: buyers)
    if payer_code:
        _cached(("new_payer", payer_code), lambda: found[0][5])
    _cached(("history", policy.id), lambda: [row[6] for row in found if row[6] is not None])
    return policy


def _history(policy_id: int) -> list[PolicyChange]:
    return _cached(
        ("history", policy_id),
        lambda: list(
            db.session().scalars(
                select(PolicyChange)
                .where(col(PolicyChange.policy_id) == policy_id)
                .order_by(col(PolicyChange.at), col(PolicyChange.id))
            )
        ),
    )


def material(policy: Policy, added: int) -> bool:
    """重大な変更 (9-5): the increases of the policy's 変更履歴 plus `added` reach 10 % of the original
    契約金額 — the amount before its first recorded change, or the present one."""
    if added <= 0:
        return False
    rows = _history(policy.id)
    original, increased = None, 0
    for row in rows:
        before, after = row.before.get("contract_amount"), row.after.get("contract_amount")
        if original is None and before is not None:
            original = before
        labels = row.kinds.split("・")
        if KIND_LABELS[INCREASE] in labels and before is not None and after is not None:
            increased += max(after - before, 0)
        if KIND_LABELS[CURRENCY] in labels and before and after and original is not None:
            # restated in the new currency: a currency change alone is no increase
            original, increased = original * after // before, increased * after // before
    original = original if original is not None else policy.contract_amount
    return (increased + added) * 100 >= original * MATERIAL_SHARE
