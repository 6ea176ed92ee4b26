"""IE1 船積確定通知（簡易通知型） (DOMAIN.md 9-2 簡易通知型, 9-3, 9-4 IE1, C.7), flow R, screen pattern 2.

A shipment (or one month's shipments) notified under the customer's 有効 簡易通知型 包括保険契約: the
buyer and 仕向国 must be 簡易包括登録 under it (9-3), the 付保率 are the contract's, not entered —
its 船後信用 90 applies only where the buyer's 簡易包括登録 has a 支払限度額 > 0 or the shipment is settled
by L/C of a G- or SA-rated bank (asked for L/C 決済方法 only), otherwise at 0 (9-2). Late after the
end of the month after the shipment month (warning, 期限超過). NEXI's 完了 records the shipment
(blanket_completion.py); IE2 (blanket_change.py) corrects or cancels it with the same fields.
Both procedures are declared in blanket_change.py, after their 完了 (which reads the rules here).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import g, has_request_context
from sqlmodel import select
from wtforms import ValidationError

from nexi import db, fields, masters, registrations
from nexi.clock import add_months, today
from nexi.conditions import When
from nexi.estimate import usance_exceeds
from nexi.forms import NexiForm
from nexi.inputs import LazyChoiceField
from nexi.models import BlanketContract, BlanketRegistration, Buyer, RegistrationState
from nexi.procedures.buyers.rules import Registered, find
from nexi.procedures.engine import Context, Deadline, Findings, Step
from nexi.procedures.insurance import checks
from nexi.procedures.insurance.common import BY_LC, SETTLEMENT_METHODS
from nexi.text import bounded_int

STEP_SHIPMENT, STEP_SETTLEMENT = "shipment", "settlement"
SINGLE, MONTHLY = "single", "monthly"
AGGREGATIONS = [(SINGLE, "個別"), (MONTHLY, "月まとめ")]
AGGREGATION_LABELS = {SINGLE: "個別", MONTHLY: "月まとめ"}
BY_SHIPMENT, BY_MONTH = When("aggregation", SINGLE), When("aggregation", MONTHLY)
MAX_USANCE_DAYS = 365  # 9-4 簡易通知型: usance ≤ 1 year
CORRECT, CANCEL = "correct", "cancel"  # IE2's 区分
CHANGE_KINDS = [(CORRECT, "訂正"), (CANCEL, "取消")]
CHANGE_LABELS = dict(CHANGE_KINDS)


def rates(contract: BlanketContract) -> str:
    return f"船後 非常危険 {contract.post_political}%／信用危険 {contract.post_commercial}%"


def own_contracts(customer_id: int) -> list[BlanketContract]:
    """The customer's 有効 包括保険契約 today, read once per request (offered and judged)."""
    if not has_request_context():
        return registrations.blanket_contracts(customer_id)
    store = g.setdefault("blanket_contracts", {})
    if customer_id not in store:
        store[customer_id] = registrations.blanket_contracts(customer_id)
    return store[customer_id]


def _contract_choices(form) -> list[tuple[str, str]]:
    return [
        (row.number, f"{row.number}（付保率 {rates(row)}、保険期間 {row.starts_on:%Y/%m/%d}〜{row.ends_on:%Y/%m/%d}）")
        for row in own_contracts(form.context.customer.id)
    ]


def shipment_day(values: dict) -> date | None:
    """船積日 (個別) or the first day of the 船積月 (月まとめ)."""
    if values.get("aggregation") == MONTHLY:
        text = values.get("shipped_month") or ""
        return checks._day(f"{text}-01") if len(text) == 7 else None
    return checks._day(values.get("shipped_on"))


def in_period(contract: BlanketContract, first: date, last: date) -> bool:
    """A shipment (a day, or a month's days first … last) within the contract's 保険期間 (9-4)."""
    return first <= contract.ends_on and last >= contract.starts_on


def period_text(contract: BlanketContract) -> str:
    return (
        f"{contract.starts_on.year}年{contract.starts_on.month}月{contract.starts_on.day}日〜"
        f"{contract.ends_on.year}年{contract.ends_on.month}月{contract.ends_on.day}日"
    )


def late_after(values: dict) -> date | None:
    """9-4 簡易通知型: the end of the month after the shipment month."""
    shipped = shipment_day(values)
    return add_months(shipped.replace(day=1), 2) - timedelta(days=1) if shipped else None


DEADLINE = Deadline(
    due=late_after,
    warning="船積月の翌月末を過ぎた船積確定通知です（期限：{due}）。期限超過として扱われます。",
)


def registered_buyer(contract_id: int, customer_id: int, buyer_id: int) -> list[BlanketRegistration]:
    """The buyer's 有効 簡易包括登録 under the contract (one per 仕向国), scoped by the customer."""
    return list(
        db.session().exec(
            select(BlanketRegistration).where(
                BlanketRegistration.contract_id == contract_id,
                BlanketRegistration.customer_id == customer_id,
                BlanketRegistration.buyer_id == buyer_id,
                BlanketRegistration.state == RegistrationState.IN_FORCE,
            )
        )
    )


class ShipmentForm(NexiForm):
    """9-4 IE1 包括保険契約・船積."""

    help_prefix = "IE1"
    sections = [
        ("包括保険契約", ["contract_number"]),
        ("船積", ["aggregation", "shipped_on", "shipped_month", "count"]),
        ("バイヤー・仕向国", ["buyer_code", "destination"]),
        ("金額", ["currency", "amount"]),
    ]
    contract_number = LazyChoiceField(
        "包括保険契約",
        validators=fields._presence("包括保険契約", True, None, choose=True),
        thing="包括保険契約",
        options=_contract_choices,
        show=str,
        description="貴社の簡易通知型包括保険契約（有効）から選択してください。付保率は契約のものが適用されます。",
    )
    aggregation = fields.choice("集計区分", AGGREGATIONS, radio=True)
    shipped_on = fields.day("船積日", when=BY_SHIPMENT)
    shipped_month = fields.month("船積月", when=BY_MONTH)
    count = fields.whole_number("件数", 1, 9999, when=BY_MONTH, hint="月まとめの船積の件数です。")
    buyer_code = fields.buyer_code("バイヤーコード", extra=[Registered("バイヤーコード")])
    destination = fields.country("仕向国")
    currency = fields.currency()
    amount = fields.amount("船積金額", currency="currency")

    def contract(self) -> BlanketContract | None:
        """The chosen 包括保険契約 (IE2: the corrected shipment's)."""
        number = self.contract_number.data if "contract_number" in self else None
        if not number or self.context is None:
            return None
        return next((row for row in own_contracts(self.context.customer.id) if row.number == number), None)

    def _registrations(self) -> list[BlanketRegistration] | None:
        contract, buyer = self.contract(), find(self.buyer_code.data) if self.buyer_code.data else None
        if contract is None or buyer is None:
            return None
        return registered_buyer(contract.id, self.context.customer.id, buyer.id)

    def validate_shipped_on(self, field):
        if field.data and field.data > today():
            raise ValidationError("船積日に未来の日付は入力できません")
        contract = self.contract() if field.data else None
        if contract is not None and not in_period(contract, field.data, field.data):
            raise ValidationError(
                f"船積日は包括保険契約の保険期間（{period_text(contract)}）内の日付を入力してください"
            )

    def validate_shipped_month(self, field):
        if field.data and field.data > today():
            raise ValidationError("船積月に未来の年月は入力できません")
        contract = self.contract() if field.data else None
        if contract is not None and not in_period(contract, field.data, add_months(field.data, 1) - timedelta(days=1)):
            raise ValidationError(
                f"船積月は包括保険契約の保険期間（{period_text(contract)}）にかかる年月を入力してください"
            )

    def validate_buyer_code(self, field):
        found = self._registrations() if field.data and not field.errors else None
        if found is not None and not found:
            raise ValidationError(f"バイヤーコード「{field.data}」はこの包括保険契約に簡易包括登録されていません")

    def validate_destination(self, field):
        found = self._registrations() if field.data else None
        if found and not any(row.country == field.data for row in found):
            raise ValidationError("仕向国はこのバイヤーとともに簡易包括登録された国を選択してください")


class SettlementForm(NexiForm):
    """9-4 IE1 決済."""

    help_prefix = "IE1"
    sections = [("決済", ["settlement_method", "lc_bank_code", "due_on", "usance_days"])]
    settlement_method = fields.choice("決済方法", SETTLEMENT_METHODS)
    lc_bank_code = fields.buyer_code(
        "L/C発行・確認銀行",
        when=BY_LC,
        extra=[Registered("L/C発行・確認銀行")],
        hint="L/C決済の場合に、L/Cを発行・確認する銀行のバイヤーコードを入力してください。例：304-000123",
    )
    due_on = fields.day("決済期限")
    usance_days = fields.whole_number(
        "ユーザンス（日）", 0, MAX_USANCE_DAYS, hint="1年（365日）以内です。一覧払の場合は0を入力してください。"
    )

    def validate_due_on(self, field):
        shipped = shipment_day(self.answers or {})
        if field.data and shipped and field.data < shipped:
            raise ValidationError("決済期限は船積日（月まとめは船積月の初日）以降の日付を入力してください")


@dataclass(frozen=True)
class Cover:
    """The 付保率 a shipment gets from its contract (9-2) and why."""

    political: Decimal
    commercial: Decimal
    reason: str

    def __str__(self) -> str:
        return f"船後 非常危険 {self.political}%／信用危険 {self.commercial}%（{self.reason}）"


def cover(contract: BlanketContract, registration: BlanketRegistration | None, buyer: Buyer | None,
          bank: Buyer | None = None) -> Cover:  # fmt: skip
    """9-2 簡易通知型: the contract's 船後信用 applies where the buyer's 簡易包括登録 has a 支払限度額 > 0,
    or under the L/C exemption (`bank`: the L/C bank of an L/C settlement, G- or SA-rated, its country
    not 引受停止), otherwise 0; a credit-不可 rating is 0 whatever the limit (9-3)."""
    rating = masters.ratings().get(buyer.rating) if buyer else None
    if rating is not None and rating.cover == "不可":
        return Cover(contract.post_political, Decimal(0), f"バイヤーの格付{buyer.rating}は信用危険をてん補できないため")
    if registration is not None and (registration.limit_jpy or 0) > 0:
        return Cover(
            contract.post_political, contract.post_commercial, "簡易包括登録に支払限度額があるため契約の付保率"
        )
    if _exempt(bank):
        return Cover(
            contract.post_political,
            contract.post_commercial,
            f"格付{bank.rating}の銀行のL/Cによる決済のため契約の付保率",
        )
    return Cover(contract.post_political, Decimal(0), "簡易包括登録に支払限度額がないため、信用危険はてん補されません")


def _exempt(bank: Buyer | None) -> bool:
    if bank is None or bank.rating not in checks.ELIGIBLE_BANKS:
        return False
    country = masters.countries().get(bank.country_code)
    return country is not None and country.policy != checks.SUSPENDED


def lc_bank(values: dict) -> Buyer | None:
    """The L/C bank the answers name, for an L/C 決済方法 only (an answer left from another is ignored)."""
    return find(values.get("lc_bank_code")) if BY_LC.holds(values) else None


def shipment_findings(
    values: dict, contract: BlanketContract | None, customer_id: int
) -> tuple[Findings, Cover | None]:
    """9-3 on a notice: the countries (引受停止 → error, 条件付引受 → warning, the 最長ユーザンス as a
    limit), and the 付保率 it gets (None while the answers do not name a registered buyer)."""
    findings = Findings()
    countries = masters.countries()
    buyer, bank = find(values.get("buyer_code")), lc_bank(values)
    # for an L/C deal the bank's country decides too (9-3); each country is judged once, at its field
    codes = {bank.country_code: (STEP_SETTLEMENT, "lc_bank_code")} if bank else {}
    codes |= {values.get("destination"): (STEP_SHIPMENT, "destination")}
    if buyer:
        codes = {buyer.country_code: (STEP_SHIPMENT, "buyer_code")} | codes
    shipped, usance = shipment_day(values), bounded_int(values.get("usance_days"), 0, MAX_USANCE_DAYS)
    for code, (step, field) in codes.items():
        country = countries.get(code) if code else None
        if country is None:
            continue
        if country.policy == checks.SUSPENDED:
            findings.error(step, field, f"{country.name_ja}は引受停止国のため、船積確定通知はできません")
        elif country.policy == checks.CONDITIONAL:
            findings.warn(f"{country.name_ja}は条件付引受国です。引受条件をご確認ください。")
        months = country.max_usance_months
        if months is not None and shipped and usance is not None and usance_exceeds(shipped, usance, months):
            findings.error(STEP_SETTLEMENT, "usance_days",
                           f"ユーザンスは{country.name_ja}の最長ユーザンス（{months}か月）以内としてください")  # fmt: skip
    if contract is None or buyer is None:
        return findings, None
    registration = registrations.blanket_registration(contract.id, buyer.id, values.get("destination") or "")
    if registration is None or registration.customer_id != customer_id:
        return findings, None
    found = cover(contract, registration, buyer, lc_bank(values))
    findings.inform(f"付保率：{found}")
    return findings, found


def chosen_contract(values: dict, customer_id: int) -> BlanketContract | None:
    return registrations.own_blanket_contract(customer_id, values.get("contract_number"))


def check(context: Context) -> Findings:
    return shipment_findings(context.values, chosen_contract(context.values, context.customer.id), context.customer.id)[
        0
    ]


def describe(values: dict) -> tuple[str, str | None]:
    shipped = values.get("shipped_month") if values.get("aggregation") == MONTHLY else values.get("shipped_on")
    amount = f"{values.get('currency') or ''} {values.get('amount') or ''}".strip()
    text = f"{values.get('buyer_code') or ''} 船積{'月' if values.get('aggregation') == MONTHLY else '日'} {shipped or ''} {amount}"
    return text.strip(), values.get("contract_number") or None


def initial(context) -> dict:
    """The only 有効 contract is chosen already; 個別 by default."""
    found = own_contracts(context.customer.id)
    shipment = {"aggregation": SINGLE, "currency": "USD"}
    if len(found) == 1:
        shipment["contract_number"] = found[0].number
    return {STEP_SHIPMENT: shipment}


def steps(shipment_form=ShipmentForm, when=None) -> tuple[Step, ...]:
    return (
        Step(STEP_SHIPMENT, "包括保険契約・船積", shipment_form, when=when),
        Step(STEP_SETTLEMENT, "決済", SettlementForm, when=when),
    )
