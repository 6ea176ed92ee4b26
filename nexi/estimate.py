"""6章 保険料試算: the method of DOMAIN.md 6-2, on the master versions valid on the 試算日.

Pure: no Flask, no database of its own. The master tables come in as a `Tables` (read from
`nexi.masters` by `tables_on(day)`, or built by a test), and every figure is Decimal; the applied
rate is the exact product 基準料率 × 格付係数 × 商品係数 × てん補調整係数, formed as a fraction
(the てん補調整係数 divides last) and rounded half-up to 6 decimals once; yen amounts are rounded
down (C.5).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction

from nexi.clock import add_months
from nexi.masters import LIMIT_RATINGS, Tables  # noqa: F401 (Tables: what estimate() takes)

PRE, POST = "pre", "post"
PHASE_NAMES = {PRE: "船積前", POST: "船積後"}
BOTH, POST_ONLY = "both", "post"
SCOPES = {BOTH: "船積前＋船積後", POST_ONLY: "船積後のみ"}
POST_ONLY_PRODUCTS = {"05", "06"}  # 簡易通知型, 中小企業・農林水産業 (6-1)
LIMIT_PRODUCTS = {"01", "02", "06"}  # 個別保証枠 applies (9-3): 個別, 設備財, 中小企業
COMPREHENSIVE = "04"  # 企業総合保険
SME = "06"
# The base case of the てん補調整係数 (6-2 step 5: fact): (political, commercial) per phase.
BASE_COVER = {PRE: (Decimal(80), Decimal(80)), POST: (Decimal("97.5"), Decimal(90))}
MINIMUM_DAYS = 30  # X < 30 → 30 (fact)
LONG_TERM_DAYS = 730  # from here: 延払 long-term cases, not modelled (6-1)
RATE_PLACES = 6
SHIPMENT_SPAN_DAYS = 730  # 契約締結日 → 最終船積日 must be shorter (6-1)
OKU = Decimal(100_000_000)
CREDIT_NOT_COVERABLE = "不可"
REFERENCE_ONLY = "試算結果は参考値です"


# --- 付保率 (9-2) -------------------------------------------------------------------------------

PRE_POLITICAL = [Decimal(value) for value in range(95, 55, -5)]  # 60–95 in 5-point steps
PRE_COMMERCIAL = [Decimal(value) for value in range(80, 55, -5)]  # 60–80, ≤ 船前非常
POST_POLITICAL = [Decimal(100), Decimal("97.5")]


def cover_choices(product: str | None, rating: str | None, cover: str | None) -> dict[str, list[Decimal]]:
    """The 付保率 an application of `product` can have for a payer rated `rating` whose credit
    cover flag (M.3) is `cover` (None: not known yet; then what the product allows), per field
    (`pre_political`, `pre_commercial`, `post_political`, `post_commercial`), highest first;
    with no product chosen yet, every product's.
    企業総合 offers 50 to an EM/EF payer without looking up a 企総登録 (an estimate has none)."""
    choices = {
        "pre_political": list(PRE_POLITICAL),
        "pre_commercial": list(PRE_COMMERCIAL),
        "post_political": list(POST_POLITICAL),
        "post_commercial": [Decimal(90), Decimal(0)],
    }
    if product in POST_ONLY_PRODUCTS:
        choices["pre_political"] = choices["pre_commercial"] = []
    if product == SME:
        choices["post_political"] = choices["post_commercial"] = [Decimal(95)]
    elif product in (None, COMPREHENSIVE) and (rating is None or rating in {"EM", "EF"}):
        choices["post_commercial"] = [Decimal(90), Decimal(50), Decimal(0)]
    if cover == CREDIT_NOT_COVERABLE:  # political risk only (9-3): forced
        choices["pre_commercial"] = [Decimal(0)] if choices["pre_commercial"] else []
        choices["post_commercial"] = [Decimal(0)]
    return choices


def scopes_for(product: str | None) -> list[str]:
    """The 付保範囲 an application of `product` can have (6-1; never 船積前のみ)."""
    return [POST_ONLY] if product in POST_ONLY_PRODUCTS else [BOTH, POST_ONLY]


# --- Inputs, tables, results ----------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What the user asked to estimate (6-1), already checked by the form."""

    product: str  # 保険種別コード (C.6)
    scope: str  # BOTH / POST_ONLY
    country: str  # 支払国 (M.1 code)
    rating: str  # 格付 (M.3), chosen or the バイヤーコード's
    currency: str
    amount: Decimal  # 契約金額
    usance: int  # ユーザンス（日）
    post_political: Decimal
    post_commercial: Decimal
    commodity: str = "一般"  # 商品区分 (M.4)
    advance: Decimal = Decimal(0)  # 前受金
    fob: Decimal | None = None  # FOB価額 (船積前)
    contract_date: date | None = None  # 契約締結日 (船積前)
    last_shipment: date | None = None  # 最終船積日 (船積前)
    pre_political: Decimal | None = None
    pre_commercial: Decimal | None = None
    buyer_code: str | None = None  # the バイヤーコード the rating came from, if any

    def as_state(self) -> dict:
        """Plain JSON for the navigation state."""
        values = {}
        for name, value in self.__dict__.items():
            values[name] = value.isoformat() if isinstance(value, date) else None if value is None else str(value)
        return values

    @classmethod
    def from_state(cls, values: Mapping) -> "Inputs":
        def decimal(name):
            return None if values.get(name) in (None, "") else Decimal(values[name])

        def day(name):
            return None if values.get(name) in (None, "") else date.fromisoformat(values[name])

        return cls(
            product=values["product"],
            scope=values["scope"],
            country=values["country"],
            rating=values["rating"],
            currency=values["currency"],
            amount=Decimal(values["amount"]),
            usance=int(values["usance"]),
            post_political=Decimal(values["post_political"]),
            post_commercial=Decimal(values["post_commercial"]),
            commodity=values.get("commodity") or "一般",
            advance=decimal("advance") or Decimal(0),
            fob=decimal("fob"),
            contract_date=day("contract_date"),
            last_shipment=day("last_shipment"),
            pre_political=decimal("pre_political"),
            pre_commercial=decimal("pre_commercial"),
            buyer_code=values.get("buyer_code") or None,
        )


def tables_on(day: date) -> Tables:
    """The master versions valid on `day` (one read of nexi.masters for all of them)."""
    from nexi import masters  # here: the method itself never reads the database

    return masters.tables(day)


@dataclass(frozen=True)
class Phase:
    """One insured phase's figures (6-4)."""

    phase: str  # PRE / POST
    political: Decimal  # 付保率 as applied (commercial forced to 0 for credit 不可)
    commercial: Decimal
    value: Decimal  # 保険価額 in the contract currency
    value_jpy: int  # 保険価額 (JPY), rounded down
    days: int  # the days counted, before the 30-day minimum
    x: int
    a: Decimal
    b: Decimal
    base_rate: Decimal  # 基準料率 % = a·X + b
    rating_coefficient: Decimal
    cover_numerator: Decimal  # てん補調整係数 = numerator / denominator
    cover_denominator: Decimal
    cover_terms: tuple[Decimal, Decimal, Decimal, Decimal]  # w_p·p, w_c·c, w_p·p0, w_c·c0
    commodity_coefficient: Decimal
    exact_rate: Fraction  # the product, exactly
    applied_rate: Decimal  # 適用料率 %, 6 decimals
    premium: int  # 保険料 (JPY), rounded down
    tariff_from: date

    @property
    def name(self) -> str:
        return PHASE_NAMES[self.phase]

    @property
    def cover_coefficient(self) -> Fraction:
        return Fraction(self.cover_numerator) / Fraction(self.cover_denominator)

    def ladder(self) -> list[tuple[str, Fraction]]:
        """The rate after each factor (6-2 step 4), for the chart: 基準料率, ×格付係数,
        ×てん補調整係数, ×商品係数 (= the exact product, before rounding)."""
        rated = Fraction(self.base_rate) * Fraction(self.rating_coefficient)
        covered = rated * self.cover_coefficient
        return [
            ("基準料率", Fraction(self.base_rate)),
            ("×格付係数", rated),
            ("×てん補調整係数", covered),
            ("×商品係数", covered * Fraction(self.commodity_coefficient)),
        ]


@dataclass(frozen=True)
class Version:
    """A master row the estimate used, named with its 適用開始日 (M: a result names its versions)."""

    table: str
    key: str
    valid_from: date


@dataclass(frozen=True)
class Estimate:
    inputs: Inputs
    day: date  # 試算日
    phases: list[Phase]
    total: int
    rate: Decimal  # 換算レート (円 per unit of the contract currency)
    rate_from: date
    amount_jpy: int  # 契約金額 (JPY), rounded down
    versions: list[Version]
    warnings: list[str] = field(default_factory=list)
    credit_not_coverable: bool = False

    def phase(self, name: str) -> Phase | None:
        return next((phase for phase in self.phases if phase.phase == name), None)


class NotUnderwritten(Exception):
    """The 支払国 is 引受停止: no estimate (6-1)."""


# --- The method (6-2) -----------------------------------------------------------------------------


def round_rate(exact: Fraction) -> Decimal:
    """Half-up to RATE_PLACES decimals, from the exact value (the only rounding of the rate)."""
    scale = 10**RATE_PLACES
    scaled = exact * scale
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # ≥ 0: floor(x + 1/2)
    return (Decimal(rounded) / Decimal(scale)).quantize(Decimal(1).scaleb(-RATE_PLACES))


def to_yen(amount: Decimal, rate: Decimal) -> int:
    """An amount converted at `rate`, rounded down to whole yen (C.5)."""
    with localcontext() as context:
        context.prec = 60
        return int((amount * rate).to_integral_value(rounding=ROUND_FLOOR))


def premium(value_jpy: int, applied_rate: Decimal) -> int:
    """保険料 = floor(保険価額 × 適用料率 / 100) (6-2 step 8)."""
    with localcontext() as context:
        context.prec = 60
        return int((Decimal(value_jpy) * applied_rate / 100).to_integral_value(rounding=ROUND_FLOOR))


def usance_exceeds(shipment: date, usance_days: int, max_months: int) -> bool:
    """9-3: D days exceed N months when 船積日 + D days > add_months(船積日, N)."""
    return shipment + timedelta(days=usance_days) > add_months(shipment, max_months)


def estimate(inputs: Inputs, tables: Tables) -> Estimate:
    """The estimate of 6-2 for `inputs` on the versions of `tables` (valid on its day)."""
    country = tables.countries[inputs.country]
    if country.policy == "引受停止":
        raise NotUnderwritten(inputs.country)
    rating = tables.ratings[inputs.rating]
    currency = tables.currencies[inputs.currency]
    commodity = tables.commodities[inputs.commodity]
    weights = tables.weights
    not_coverable = rating.cover == CREDIT_NOT_COVERABLE
    rating_coefficient = Decimal("1.0") if not_coverable or rating.coefficient is None else rating.coefficient
    versions = [
        Version("国カテゴリー", f"{country.name_ja}（{inputs.country}）{country.category}", country.valid_from),
        Version("格付係数", f"{inputs.rating} {rating_coefficient}", rating.valid_from),
        Version("商品係数", f"{inputs.commodity} {commodity.coefficient}", commodity.valid_from),
        Version("換算レート", f"{inputs.currency} {currency.rate}円", currency.valid_from),
        Version("ウェイト", f"w_p {weights.political} / w_c {weights.commercial}", weights.valid_from),
    ]
    wanted = [PRE, POST] if inputs.scope == BOTH else [POST]
    phases = []
    for name in wanted:
        tariff = tables.tariff[(name, country.category)]
        if name == PRE:
            days = (inputs.last_shipment - inputs.contract_date).days
            value, political, commercial = inputs.fob, inputs.pre_political, inputs.pre_commercial
        else:
            days = inputs.usance
            value, political, commercial = inputs.amount - inputs.advance, inputs.post_political, inputs.post_commercial
        if not_coverable:
            commercial = Decimal(0)
        x = max(days, MINIMUM_DAYS)
        base_rate = tariff.a * x + tariff.b
        base_political, base_commercial = BASE_COVER[name]
        terms = (
            weights.political * political,
            weights.commercial * commercial,
            weights.political * base_political,
            weights.commercial * base_commercial,
        )
        numerator, denominator = terms[0] + terms[1], terms[2] + terms[3]
        exact = (
            Fraction(base_rate)
            * Fraction(rating_coefficient)
            * Fraction(commodity.coefficient)
            * Fraction(numerator)
            / Fraction(denominator)
        )
        applied = round_rate(exact)
        value_jpy = to_yen(value, currency.rate)
        phases.append(
            Phase(
                phase=name,
                political=political,
                commercial=commercial,
                value=value,
                value_jpy=value_jpy,
                days=days,
                x=x,
                a=tariff.a,
                b=tariff.b,
                base_rate=base_rate,
                rating_coefficient=rating_coefficient,
                cover_numerator=numerator,
                cover_denominator=denominator,
                cover_terms=terms,
                commodity_coefficient=commodity.coefficient,
                exact_rate=exact,
                applied_rate=applied,
                premium=premium(value_jpy, applied),
                tariff_from=tariff.valid_from,
            )
        )
        versions.append(Version(f"基準料率（{PHASE_NAMES[name]}）", f"カテゴリー{country.category}", tariff.valid_from))
    amount_jpy = to_yen(inputs.amount, currency.rate)
    result = Estimate(
        inputs=inputs,
        day=tables.day,
        phases=phases,
        total=sum(phase.premium for phase in phases),
        rate=currency.rate,
        rate_from=currency.valid_from,
        amount_jpy=amount_jpy,
        versions=versions,
        credit_not_coverable=not_coverable,
    )
    result.warnings.extend(warnings(result, country, rating))
    return result


def warnings(result: Estimate, country, rating) -> list[str]:
    """The warnings of 6-4 (9-3's checks, as an estimate can make them)."""
    inputs = result.inputs
    found = []
    if country.policy == "条件付引受":
        found.append(f"支払国（{country.name_ja}）は条件付引受国です。お申込みの際は引受条件をご確認ください。")
        if country.case_limit_oku is not None and result.amount_jpy > country.case_limit_oku * OKU:
            found.append(
                f"契約金額（円換算 {result.amount_jpy:,}円）が{country.name_ja}の案件枠（{country.case_limit_oku}億円）を"
                "超えるため、お申込みにはNEXIの内諾（内諾番号・内諾年月日）が必要です。"
            )
        if country.max_usance_months is not None:
            shipment = inputs.last_shipment if inputs.scope == BOTH and inputs.last_shipment else result.day
            if usance_exceeds(shipment, inputs.usance, country.max_usance_months):
                found.append(
                    f"ユーザンス（{inputs.usance}日）が{country.name_ja}の最長ユーザンス（{country.max_usance_months}か月）を"
                    "超えるため、お申込みにはNEXIの内諾（内諾番号・内諾年月日）が必要です。"
                )
    if result.credit_not_coverable:
        found.append(
            f"非常危険のみ：格付{inputs.rating}の支払人は信用危険をてん補できないため、"
            "信用危険の付保率を0%、格付係数を1.0として試算しました。"
        )
    credit_cover = any(phase.commercial > 0 for phase in result.phases)
    if inputs.rating in LIMIT_RATINGS and inputs.product in LIMIT_PRODUCTS and credit_cover:
        found.append(
            f"格付{inputs.rating}の支払人の信用危険をてん補するには、お申込みの前に個別保証枠の確認"
            "（個別保証枠確認申請）が必要です。"
        )
    return found
