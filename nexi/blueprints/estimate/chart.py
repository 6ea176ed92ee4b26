"""The result of 6-4 as the screen shows it: the figures as text (one column per phase) and the
geometry of the chart (server-rendered SVG: bars of 保険料 and the rate ladder, each drawn to
scale), computed here so that the template only places what it is given."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from nexi.estimate import Estimate, Phase

SHOWN_PLACES = 6


def number(value: Decimal) -> str:
    """A Decimal without trailing zeros (0.102840 → 0.10284), never in exponent form."""
    text = f"{value.normalize():f}"
    return text


def fraction_text(value: Fraction, places: int = SHOWN_PLACES) -> str:
    """An exact value in decimals, with 「…」 when it does not end within `places` (0.5 / 1.013333…)."""
    scaled = value * 10**places
    whole = scaled.numerator // scaled.denominator
    text = number(Decimal(whole).scaleb(-places))
    return text if scaled.denominator == 1 else f"{text}…"


def percent(value: Decimal) -> str:
    return f"{number(value)}%"


def yen(value: int) -> str:
    return f"{value:,}円"


def stored(value: Decimal) -> str:
    """A master's figure as the master states it (0.090, 1.00)."""
    return f"{value:f}"


def cover_text(phase: Phase) -> str:
    """てん補調整係数 as in 6-3: 「(50+45)/(48.75+45) = 95/93.75 = 1.013333…」."""
    p, c, p0, c0 = (number(term) for term in phase.cover_terms)
    numerator, denominator = number(phase.cover_numerator), number(phase.cover_denominator)
    return f"({p}+{c})/({p0}+{c0}) = {numerator}/{denominator} = {fraction_text(phase.cover_coefficient)}"


def figures(result: Estimate) -> list[tuple[str, list[str]]]:
    """(heading, one text per phase) for the table of 6-4, in the order of 6-3's table."""
    phases = result.phases
    return [
        ("付保率（非常危険／信用危険）", [f"{percent(p.political)}／{percent(p.commercial)}" for p in phases]),
        ("保険価額（円）", [yen(p.value_jpy) for p in phases]),
        (
            "X（日数）",
            [f"{p.x}日" + (f"（{p.days}日を最低日数30日として計算）" if p.days < p.x else "") for p in phases],
        ),
        ("a（%/日）／b（%）", [f"{stored(p.a)}／{stored(p.b)}" for p in phases]),
        ("基準料率（a×X＋b）", [percent(p.base_rate) for p in phases]),
        ("格付係数", [stored(p.rating_coefficient) for p in phases]),
        ("てん補調整係数", [cover_text(p) for p in phases]),
        ("商品係数", [stored(p.commodity_coefficient) for p in phases]),
        ("料率の積（端数処理前）", [f"{fraction_text(p.exact_rate, 10)}%" for p in phases]),
        ("適用料率（小数点以下6桁に四捨五入）", [f"{p.applied_rate}%" for p in phases]),
        ("保険料（円未満切捨て）", [yen(p.premium) for p in phases]),
    ]


# --- The chart --------------------------------------------------------------------------------

WIDTH = 720
LABEL_WIDTH = 150  # the labels left of the bars
VALUE_WIDTH = 200  # the figure right of the longest bar
BAR_HEIGHT = 22
GAP = 10
PAD = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # the figure, as text beside the bar
    kind: str  # a modifier of the CSS class (pre / post / ladder step)
    x: float
    y: float
    width: float
    height: float

    @property
    def label_y(self) -> float:
        return round(self.y + self.height * 0.7, 1)

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 6, 1)


@dataclass(frozen=True)
class Chart:
    key: str  # for element ids
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_x: int = LABEL_WIDTH - 8


def _scaled(values: list[Fraction | Decimal | int]) -> list[float]:
    """Bar lengths for `values`, the largest filling the plot (all 0: no bars)."""
    largest = max((Fraction(value) for value in values), default=Fraction(0))
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    if largest <= 0:
        return [0.0 for _ in values]
    return [round(float(Fraction(value) / largest * room), 1) for value in values]


def _bars(rows: list[tuple[str, str, str, Fraction | Decimal | int]]) -> tuple[list[Bar], int]:
    lengths = _scaled([value for *_, value in rows])
    bars = [
        Bar(label, text, kind, LABEL_WIDTH, PAD + index * (BAR_HEIGHT + GAP), length, BAR_HEIGHT)
        for index, ((label, text, kind, _), length) in enumerate(zip(rows, lengths, strict=True))
    ]
    return bars, PAD * 2 + len(rows) * (BAR_HEIGHT + GAP) - GAP


def premium_chart(result: Estimate) -> Chart:
    """A bar of 保険料 per phase, to scale against the largest."""
    rows = [(f"{phase.name}の保険料", yen(phase.premium), phase.phase, phase.premium) for phase in result.phases]
    bars, height = _bars(rows)
    description = "、".join(f"{phase.name} {yen(phase.premium)}" for phase in result.phases)
    return Chart("premium", "保険料（段階別）", f"{description}、合計 {yen(result.total)}", bars, WIDTH, height)


def ladder_charts(result: Estimate) -> list[Chart]:
    """Per phase the rate after each factor (基準料率 → ×格付係数 → ×てん補調整係数 → ×商品係数 =
    適用料率), every phase on the same scale, so that phases compare too."""
    ladders = {phase.phase: phase.ladder() for phase in result.phases}
    lengths = iter(_scaled([value for steps in ladders.values() for _, value in steps]))
    charts = []
    for phase in result.phases:
        bars = []
        for index, (label, value) in enumerate(ladders[phase.phase]):
            last = index == len(ladders[phase.phase]) - 1
            text = f"{phase.applied_rate}%（適用料率）" if last else f"{fraction_text(value)}%"
            y = PAD + index * (BAR_HEIGHT + GAP)
            bars.append(Bar(label, text, f"step{index + 1}", LABEL_WIDTH, y, next(lengths), BAR_HEIGHT))
        height = PAD * 2 + len(bars) * (BAR_HEIGHT + GAP) - GAP
        description = " → ".join(f"{bar.label} {bar.value}" for bar in bars)
        charts.append(Chart(f"ladder-{phase.phase}", f"{phase.name}の料率の内訳", description, bars, WIDTH, height))
    return charts


def _money(value: Decimal, currency: str) -> str:
    return f"{currency} {value:,}"


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def conditions(result: Estimate, tables, products: dict[str, str]) -> list[tuple[str, str]]:
    """What was estimated, as the result states it (printed without the form)."""
    from nexi.estimate import BOTH, SCOPES

    inputs = result.inputs
    country = tables.countries.get(inputs.country)
    rating = tables.ratings.get(inputs.rating)
    rows = [
        ("試算日", _day(result.day)),
        ("保険種別", products.get(inputs.product, inputs.product)),
        ("付保範囲", SCOPES[inputs.scope]),
        (
            "支払国",
            f"{country.name_ja}（{inputs.country}）カテゴリー{country.category}・{country.policy}"
            if country
            else inputs.country,
        ),
        (
            "格付",
            (f"{inputs.rating}（{rating.meaning}）" if rating else inputs.rating)
            + (f"　バイヤーコード {inputs.buyer_code}" if inputs.buyer_code else ""),
        ),
        ("契約金額", _money(inputs.amount, inputs.currency)),
        ("前受金", _money(inputs.advance, inputs.currency)),
    ]
    if inputs.scope == BOTH:
        rows += [
            ("FOB価額", _money(inputs.fob, inputs.currency)),
            ("契約締結日", _day(inputs.contract_date)),
            ("最終船積日", _day(inputs.last_shipment)),
        ]
    rows += [
        ("ユーザンス", f"{inputs.usance}日"),
        ("商品区分", inputs.commodity),
        ("換算レート", f"1 {inputs.currency} = {stored(result.rate)}円（{_day(result.rate_from)}適用）"),
    ]
    return rows
