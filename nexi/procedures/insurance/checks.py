"""The acceptance checks of DOMAIN.md 9-3 (and the 個別 申込期限 of 9-4) for a 9-1 application, as
functions of the answers and the product: IA1 uses them at 確認, 申込む and NEXI's 完了; IB1, IC1,
ID1 and IF1 will call the same ones.

Nothing here states a buyer-wide amount (C.4.1): a 確認 named in a message is the customer's own.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import col, select

from nexi import db, limits, masters
from nexi.clock import JST, add_months, today
from nexi.estimate import BOTH, OKU, POST_ONLY, Inputs, NotUnderwritten, estimate, tables_on, to_yen, usance_exceeds
from nexi.models import Application, Buyer, BuyerStatus, Confirmation, Earmark, EarmarkState
from nexi.models.contract import OPEN_CONFIRMATION
from nexi.procedures.engine import Findings
from nexi.procedures.insurance.common import LC_METHODS, STEP_CONTRACT, STEP_COVER, STEP_MONEY, payer_code
from nexi.text import amount_of, bounded_int

ELIGIBLE_BANKS = ("GS", "GA", "GE", "SA")  # an L/C of such a bank needs no 個別保証枠 (9-3)
SUSPENDED, CONDITIONAL = "引受停止", "条件付引受"
# the parties whose country may not be 引受停止, where each is entered
PARTIES = (
    ("counterparty_code", "契約相手方", STEP_CONTRACT),
    ("payer", "支払人", STEP_CONTRACT),
    ("guarantor_code", "保証人", STEP_CONTRACT),
    ("lc_bank_code", "L/C発行・確認銀行", STEP_MONEY),
)


def japanese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _day(text) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) and text else None
    except ValueError:
        return None


def _rate(text) -> Decimal | None:
    return amount_of(text) if text not in (None, "") else None


@dataclass(frozen=True)
class Deal:
    """The answers as the checks read them (None where an answer is missing or not valid)."""

    values: dict
    product: str

    def get(self, name):
        return self.values.get(name) or None

    @property
    def by_lc(self) -> bool:
        return self.get("settlement_method") in LC_METHODS

    @property
    def lc_confirmed(self) -> bool:
        return self.by_lc and "y" in (self.values.get("lc_confirmed") or [])

    @property
    def pre(self) -> bool:
        return "pre" in (self.values.get("cover") or [])

    @property
    def currency(self) -> str | None:
        return self.get("currency")

    @property
    def decimals(self) -> int | None:
        return masters.decimals(self.currency) if self.currency else None

    @property
    def contract(self) -> Decimal | None:
        return amount_of(self.get("contract_amount"))

    @property
    def advance(self) -> Decimal:
        return amount_of(self.get("advance") or "0") or Decimal(0)

    @property
    def post_value(self) -> Decimal | None:
        """船後保険価額 = 契約金額 − 前受金 (9-5)."""
        return None if self.contract is None else self.contract - self.advance

    @property
    def usance(self) -> int | None:
        return bounded_int(self.get("usance_days"), 0, 729)

    def credit_cover(self) -> bool:
        rates = [_rate(self.get("post_commercial"))] + ([_rate(self.get("pre_commercial"))] if self.pre else [])
        return any(rate is not None and rate > 0 for rate in rates)


def buyers_of(values: dict) -> dict[str, Buyer]:
    """The registered buyers the answers name, by role (one statement)."""
    codes = {
        "counterparty_code": values.get("counterparty_code"),
        "payer": payer_code(values),
        "guarantor_code": values.get("guarantor_code"),
        "lc_bank_code": values.get("lc_bank_code") if values.get("settlement_method") in LC_METHODS else None,
    }
    wanted = {code for code in codes.values() if code}
    if not wanted:
        return {}
    found = (
        db.session().exec(select(Buyer).where(col(Buyer.code).in_(wanted), Buyer.status != BuyerStatus.DELETED)).all()
    )
    by_code = {buyer.code: buyer for buyer in found}
    return {role: by_code[code] for role, code in codes.items() if code in by_code}


def deciding_country(deal: Deal, buyers: dict[str, Buyer]) -> str | None:
    """For L/C deals the bank's country decides, else the buyer's (支払人's) (9-3)."""
    if deal.by_lc and "lc_bank_code" in buyers:
        return buyers["lc_bank_code"].country_code
    return buyers["payer"].country_code if "payer" in buyers else None


def lc_exempt(deal: Deal, buyers: dict[str, Buyer], countries) -> bool:
    """Settlement by L/C of a G- or SA-rated bank in a non-引受停止 country: no 個別保証枠 (9-3)."""
    bank = buyers.get("lc_bank_code") if deal.by_lc else None
    if bank is None or bank.rating not in ELIGIBLE_BANKS:
        return False
    country = countries.get(bank.country_code)
    return country is not None and country.policy != SUSPENDED


def first_submitted_on(application_id: int | None) -> date | None:
    """The day of the application's first 申込む (JST), None before it: what C.2 judges
    deadlines and a quoted 確認's expiry on."""
    if application_id is None:
        return None
    moment = db.session().exec(select(Application.submitted_at).where(Application.id == application_id)).first()
    return moment.astimezone(JST).date() if moment else None


def own_confirmation(number: str | None, customer_id: int) -> Confirmation | None:
    if not number:
        return None
    return (
        db.session()
        .exec(
            select(Confirmation).where(Confirmation.number == number.upper(), Confirmation.customer_id == customer_id)
        )
        .first()
    )


def own_earmark(application_id: int | None, confirmation_id: int) -> int:
    """What this application already earmarks on the 確認 (a resubmission, or NEXI's 完了)."""
    if application_id is None:
        return 0
    held = (
        db.session()
        .exec(
            select(Earmark.amount).where(
                Earmark.application_id == application_id,
                Earmark.confirmation_id == confirmation_id,
                Earmark.state == EarmarkState.OPEN,
            )
        )
        .first()
    )
    return held or 0


def minor(amount: Decimal, decimals: int) -> int:
    return int(Decimal(amount).scaleb(decimals))


def needs_confirmation(deal: Deal, buyers: dict[str, Buyer], countries) -> bool:
    """EE/EA/EM/EF payer with credit cover under a 個別保証枠 product, not L/C-exempt (9-3)."""
    payer = buyers.get("payer")
    return (
        payer is not None
        and deal.product in ("01", "02", "06")
        and payer.rating in masters.LIMIT_RATINGS
        and deal.credit_cover()
        and not lc_exempt(deal, buyers, countries)
    )


def _confirmation(findings, deal, buyers, customer_id, application_id, on: date) -> None:
    number = deal.get("confirmation_number")
    payer = buyers["payer"]
    if not number:
        findings.error(
            STEP_COVER, "confirmation_number",
            f"支払人（格付{payer.rating}）の信用危険をてん補するには、個別保証枠の確認管理番号が必要です",
        )  # fmt: skip
        return
    confirmation = own_confirmation(number, customer_id)
    held = own_earmark(application_id, confirmation.id) if confirmation else 0
    problem = None
    if confirmation is None:
        problem = f"確認管理番号「{number}」の確認が見つかりません"
    elif confirmation.buyer_id != payer.id:
        problem = "確認管理番号の確認は、支払人が異なります"
    elif confirmation.product != deal.product:
        problem = "確認管理番号の確認は、保険種別が異なります"
    elif confirmation.currency != deal.currency:
        problem = f"確認管理番号の確認は、通貨が異なります（確認の通貨：{confirmation.currency}）"
    elif not held and (confirmation.state not in OPEN_CONFIRMATION or confirmation.valid_until < on):
        # an earmark made in time stays valid until its application ends (10)
        problem = f"確認管理番号「{confirmation.number}」の確認は有効期限切れまたは使用済みのため使用できません"
    elif deal.post_value is not None and deal.decimals is not None:
        if limits.remaining(confirmation) + held < minor(deal.post_value, deal.decimals):
            problem = "確認の残額が船後保険価額（契約金額－前受金）に足りません"
    if problem:
        findings.error(STEP_COVER, "confirmation_number", problem)


def _conditional(findings, deal, codes: list[str], countries) -> None:
    """条件付引受: warning; beyond the 案件枠 or the 最長ユーザンス, 内諾番号 and 年月日 are required."""
    contract, currency = deal.contract, masters.currencies().get(deal.currency or "")
    amount_jpy = to_yen(contract, currency.rate) if contract is not None and currency else None
    last = _day(deal.get("last_shipment_on"))
    needed = []
    for code in dict.fromkeys(codes):
        country = countries.get(code)
        if country is None or country.policy != CONDITIONAL:
            continue
        findings.warn(f"{country.name_ja}は条件付引受国です。引受条件をご確認ください。")
        if country.case_limit_oku is not None and amount_jpy is not None and amount_jpy > country.case_limit_oku * OKU:
            needed.append(
                f"契約金額（円換算 {amount_jpy:,}円）が{country.name_ja}の案件枠（{country.case_limit_oku}億円）を超える"
            )
        if country.max_usance_months is not None and last and deal.usance is not None:
            if usance_exceeds(last, deal.usance, country.max_usance_months):
                needed.append(
                    f"ユーザンス（{deal.usance}日）が{country.name_ja}の最長ユーザンス（{country.max_usance_months}か月）を超える"
                )
    if needed:
        reason = "・".join(needed)
        if not deal.get("approval_number"):
            findings.error(STEP_COVER, "approval_number", f"{reason}ため、内諾番号を入力してください")
        if not deal.get("approval_on"):
            findings.error(STEP_COVER, "approval_on", f"{reason}ため、内諾年月日を入力してください")


def acceptance(values: dict, product: str, customer_id: int, *, application_id: int | None = None) -> Findings:
    """9-3 on the answers against today's register and masters; deadlines and a quoted 確認's
    expiry as of the first 申込む (C.2)."""
    findings = Findings()
    deal = Deal(values, product)
    buyers = buyers_of(values)
    countries = masters.countries()
    submitted = first_submitted_on(application_id)
    for role, label, step in PARTIES:
        buyer = buyers.get(role)
        if buyer is None or (role == "payer" and not values.get("payer_code")):
            continue  # a 支払人 left blank is the 契約相手方, checked as such
        field = "payer_code" if role == "payer" else role
        country = countries.get(buyer.country_code)
        if country is not None and country.policy == SUSPENDED:
            findings.error(step, field, f"{label}の国（{country.name_ja}）は引受停止国のため、お申込みできません")
        if buyer.status == BuyerStatus.SLEEPING and buyer.release_deadline:
            findings.warn(
                f"{label}（{buyer.code}）はスリーピング候補バイヤーです。解除申請期限（{japanese(buyer.release_deadline)}）"
                "までに解除申請をしないと、海外商社名簿から削除されます。"
            )
    destination = countries.get(values.get("destination") or "")
    if destination is not None and destination.policy == SUSPENDED:
        findings.error(
            STEP_CONTRACT, "destination", f"仕向国（{destination.name_ja}）は引受停止国のため、お申込みできません"
        )
    deciding = deciding_country(deal, buyers)
    _conditional(findings, deal, [code for code in (deciding, values.get("destination")) if code], countries)
    payer = buyers.get("payer")
    lc_countries = [code for code in (payer.country_code if payer else None, values.get("destination")) if code]
    for code in dict.fromkeys(lc_countries):
        country = countries.get(code)
        if country is not None and country.lc_condition and not deal.lc_confirmed:
            findings.error(
                STEP_MONEY, "settlement_method",
                f"{country.name_ja}はL/C条件（{country.lc_condition}）のある国です。決済方法をL/C一覧払またはL/C期限付とし、"
                "確認L/Cにチェックを入れてください",
            )  # fmt: skip
    bank = buyers.get("lc_bank_code")
    if bank is not None and bank.rating not in ELIGIBLE_BANKS:
        findings.warn(
            f"L/C発行・確認銀行の格付（{bank.rating}）はG格付・SA格付ではないため、"
            "L/C決済による個別保証枠の免除は適用されません。"
        )
    if payer is not None:
        rating = masters.ratings().get(payer.rating)
        if rating is not None and rating.cover == "不可":
            findings.warn(
                f"支払人の格付（{payer.rating}）は信用危険のてん補ができないため、信用危険付保率は0%"
                "（非常危険のみ）となります。"
            )
        elif needs_confirmation(deal, buyers, countries):
            _confirmation(findings, deal, buyers, customer_id, application_id, submitted or today())
    first = _day(values.get("first_shipment_on"))
    if submitted is None and first is not None and today() >= first:
        findings.error(
            STEP_MONEY, "first_shipment_on",
            f"申込期限（船積期日（初回）{japanese(first)}の前日）を過ぎているため、お申込みできません",
        )  # fmt: skip
    return findings


def late_after(values: dict) -> date | None:
    """9-4 個別: a 申込 more than one month after the 契約締結日 is late (warning, 期限超過)."""
    contracted = _day(values.get("contracted_on"))
    return add_months(contracted, 1) if contracted else None


def reference_premium(values: dict, product: str, day: date | None = None, buyers: dict | None = None):
    """The §6 estimate for the answers (None when they are not complete enough): what 確認 shows as
    参考保険料 and NEXI's 完了 proposes as 保険料. `buyers` (role → Buyer) when already read."""
    deal = Deal(values, product)
    buyers = buyers_of(values) if buyers is None else buyers
    country = deciding_country(deal, buyers)
    payer = buyers.get("payer")
    rates = {
        name: _rate(values.get(name))
        for name in ("pre_political", "pre_commercial", "post_political", "post_commercial")
    }
    if payer is None or country is None or deal.contract is None or deal.currency is None or deal.usance is None:
        return None
    if rates["post_political"] is None or rates["post_commercial"] is None:
        return None
    fob, contracted, last = (
        amount_of(values.get("fob")),
        _day(values.get("contracted_on")),
        _day(values.get("last_shipment_on")),
    )
    pre = deal.pre and None not in (fob, contracted, last, rates["pre_political"], rates["pre_commercial"])
    inputs = Inputs(
        product=product, scope=BOTH if pre else POST_ONLY, country=country, rating=payer.rating,
        currency=deal.currency, amount=deal.contract, usance=deal.usance, post_political=rates["post_political"],
        post_commercial=rates["post_commercial"], commodity=values.get("commodity") or "一般", advance=deal.advance,
        fob=fob if pre else None, contract_date=contracted if pre else None, last_shipment=last if pre else None,
        pre_political=rates["pre_political"] if pre else None, pre_commercial=rates["pre_commercial"] if pre else None,
    )  # fmt: skip
    try:
        return estimate(inputs, tables_on(day or today()))
    except (NotUnderwritten, KeyError):
        return None
