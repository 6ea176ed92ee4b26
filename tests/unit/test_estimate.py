"""6章 保険料試算: the worked example of DOMAIN.md 6-3, figure by figure, and properties of the
method (6-2) on generated inputs. The tables are DOMAIN.md's, built here; the same vectors run on
the migrated masters (nexi.masters) in the last tests."""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace as Row

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexi import estimate
from nexi.estimate import BOTH, POST, POST_ONLY, PRE, Inputs, Tables

D = Decimal
DAY = date(2026, 4, 15)
FROM = date(2026, 1, 1)

PRE_A = "0.000069 0.000123 0.000214 0.000304 0.000378 0.000438 0.000575 0.000753"
PRE_B = "0.029 0.052 0.090 0.128 0.159 0.185 0.243 0.318"
POST_A = "0.000434 0.000868 0.001592 0.002317 0.002945 0.003428 0.004538 0.005987"
POST_B = "0.009 0.018 0.033 0.048 0.061 0.071 0.094 0.124"


def _tariff():
    rows = {}
    for phase, a_values, b_values in ((PRE, PRE_A, PRE_B), (POST, POST_A, POST_B)):
        for category, a, b in zip("ABCDEFGH", a_values.split(), b_values.split(), strict=True):
            rows[(phase, category)] = Row(phase=phase, category=category, valid_from=FROM, a=D(a), b=D(b))
    return rows


def _country(category, policy="引受可能", limit=None, months=None, name="国"):
    return Row(
        category=category,
        policy=policy,
        case_limit_oku=limit,
        max_usance_months=months,
        name_ja=name,
        valid_from=date(2017, 11, 1),
    )


COEFFICIENTS = {"GS": "1.0", "GA": "1.0", "GE": "1.0", "SA": "1.0", "EE": "1.0", "EA": "1.1", "EM": "1.5", "EF": "2.0"}
NOT_COVERABLE = ["SC", "EC", "PN", "PU", "PT", "GR", "ER", "SR", "GB", "EB", "SB"]


def fake_tables(usd="150.00", day=DAY) -> Tables:
    ratings = {code: Row(cover="可" if code[0] in "GS" else "枠要", coefficient=D(value), valid_from=FROM)
               for code, value in COEFFICIENTS.items()}  # fmt: skip
    ratings |= {code: Row(cover="不可", coefficient=None, valid_from=FROM) for code in NOT_COVERABLE}
    rates = {"JPY": ("1", 0), "USD": (str(usd), 2), "EUR": ("162.00", 2)}
    return Tables(
        day=day,
        countries={
            "105": _country("C", name="中華人民共和国"),
            "123": _country("D", name="インド"),
            "304": _country("A", name="アメリカ合衆国"),
            "224": _country("H", "引受停止", name="ロシア"),
            "124": _country("H", "条件付引受", 10, 6, name="パキスタン"),
            "234": _country("F", "条件付引受", 50, 12, name="トルコ"),
        },
        ratings=ratings,
        currencies={
            code: Row(code=code, decimals=places, rate=D(rate), valid_from=FROM)
            for code, (rate, places) in rates.items()
        },  # fmt: skip
        commodities={
            name: Row(name=name, coefficient=D(value), valid_from=FROM)
            for name, value in (("一般", "1.00"), ("機械設備", "1.10"), ("鋼材", "1.00"))
        },  # fmt: skip
        tariff=_tariff(),
        weights=Row(political=D("0.5"), commercial=D("0.5"), valid_from=FROM),
    )


CASE_1 = Inputs(
    product="01",
    scope=BOTH,
    country="105",
    rating="EA",
    currency="JPY",
    amount=D(10_000_000),
    advance=D(0),
    fob=D(9_500_000),
    contract_date=date(2026, 4, 1),
    last_shipment=date(2026, 5, 31),
    usance=90,
    pre_political=D(80),
    pre_commercial=D(80),
    post_political=D(100),
    post_commercial=D(90),
)
CASE_2 = Inputs(**{**CASE_1.__dict__, "rating": "EC"})
CASE_3 = Inputs(
    product="02",
    scope=POST_ONLY,
    country="123",
    rating="EE",
    commodity="機械設備",
    currency="JPY",
    amount=D(50_000_000),
    advance=D(5_000_000),
    usance=180,
    post_political=D("97.5"),
    post_commercial=D(90),
)
CASE_4 = Inputs(
    product="04",
    scope=POST_ONLY,
    country="304",
    rating="EM",
    currency="USD",
    amount=D("250000.00"),
    advance=D("12345.67"),
    usance=120,
    post_political=D("97.5"),
    post_commercial=D(50),
)

# The table of 6-3: (case, phase) → 付保率, 保険価額, X, a, b, 基準料率, 格付係数, てん補調整係数
# (numerator, denominator), 商品係数, exact product, 適用料率, 保険料.
VECTORS = [
    (CASE_1, PRE, "80", "80", 9_500_000, 60, "0.000214", "0.090", "0.10284", "1.1", ("80", "80"), "1.00",
     "0.113124", "0.113124", 10_746),
    (CASE_1, POST, "100", "90", 10_000_000, 90, "0.001592", "0.033", "0.17628", "1.1", ("95", "93.75"), "1.00",
     "0.19649344", "0.196493", 19_649),
    (CASE_2, PRE, "80", "0", 9_500_000, 60, "0.000214", "0.090", "0.10284", "1.0", ("40", "80"), "1.00",
     "0.05142", "0.051420", 4_884),
    (CASE_2, POST, "100", "0", 10_000_000, 90, "0.001592", "0.033", "0.17628", "1.0", ("50", "93.75"), "1.00",
     "0.094016", "0.094016", 9_401),
    (CASE_3, POST, "97.5", "90", 45_000_000, 180, "0.002317", "0.048", "0.46506", "1.0", ("93.75", "93.75"), "1.10",
     "0.511566", "0.511566", 230_204),
    (CASE_4, POST, "97.5", "50", 35_648_149, 120, "0.000434", "0.009", "0.06108", "1.5", ("73.75", "93.75"), "1.00",
     "0.0720744", "0.072074", 25_693),
]  # fmt: skip


@pytest.mark.parametrize(
    "inputs, phase, political, commercial, value, x, a, b, base, rating, cover, commodity, exact, applied, paid",
    VECTORS,
    ids=["1-船前", "1-船後", "2-船前", "2-船後", "3-船後", "4-船後"],
)
def test_the_worked_example_gives_every_figure_of_its_table(
    inputs, phase, political, commercial, value, x, a, b, base, rating, cover, commodity, exact, applied, paid
):
    found = estimate.estimate(inputs, fake_tables()).phase(phase)
    assert (found.political, found.commercial) == (D(political), D(commercial))
    assert found.value_jpy == value
    assert found.x == x
    assert (found.a, found.b) == (D(a), D(b))
    assert found.base_rate == D(base)
    assert found.rating_coefficient == D(rating)
    assert found.cover_coefficient == Fraction(D(cover[0])) / Fraction(D(cover[1]))
    assert found.commodity_coefficient == D(commodity)
    assert found.exact_rate == Fraction(D(exact))
    assert str(found.applied_rate) == applied
    assert found.premium == paid


@pytest.mark.parametrize(
    "inputs, total", [(CASE_1, 30_395), (CASE_2, 14_285), (CASE_3, 230_204), (CASE_4, 25_693)], ids=["1", "2", "3", "4"]
)
def test_the_worked_example_gives_its_totals(inputs, total):
    assert estimate.estimate(inputs, fake_tables()).total == total


def test_the_worked_example_gives_its_warnings():
    one, two, three, four = (estimate.estimate(case, fake_tables()) for case in (CASE_1, CASE_2, CASE_3, CASE_4))
    assert len(one.warnings) == 1 and "個別保証枠の確認" in one.warnings[0] and "EA" in one.warnings[0]
    assert len(two.warnings) == 1 and two.warnings[0].startswith("非常危険のみ")
    assert two.credit_not_coverable
    assert len(three.warnings) == 1 and "個別保証枠の確認" in three.warnings[0] and "EE" in three.warnings[0]
    assert four.warnings == []


def test_case_4_converts_at_the_rate_valid_on_the_day():
    found = estimate.estimate(CASE_4, fake_tables())
    assert (found.rate, found.amount_jpy) == (D("150.00"), 37_500_000)
    later = estimate.estimate(CASE_4, fake_tables(usd="152.35", day=date(2026, 7, 1)))
    assert later.phase(POST).value_jpy == 36_206_637
    assert later.total == 26_095


def test_the_estimate_names_the_versions_it_used():
    found = estimate.estimate(CASE_1, fake_tables())
    tables = [version.table for version in found.versions]
    assert tables == [
        "国カテゴリー",
        "格付係数",
        "商品係数",
        "換算レート",
        "ウェイト",
        "基準料率（船積前）",
        "基準料率（船積後）",
    ]
    assert all(version.valid_from for version in found.versions)


def test_a_stopped_country_gives_no_estimate():
    with pytest.raises(estimate.NotUnderwritten):
        estimate.estimate(Inputs(**{**CASE_3.__dict__, "country": "224"}), fake_tables())


def test_fewer_than_30_days_count_as_30():
    short = Inputs(**{**CASE_1.__dict__, "last_shipment": date(2026, 4, 11), "usance": 0})
    found = estimate.estimate(short, fake_tables())
    assert [(phase.days, phase.x) for phase in found.phases] == [(10, 30), (0, 30)]


def test_a_conditional_country_warns_and_names_its_limits_when_exceeded():
    within = Inputs(**{**CASE_3.__dict__, "country": "124", "usance": 150})
    assert [w for w in estimate.estimate(within, fake_tables()).warnings if "条件付引受" in w]
    assert not [w for w in estimate.estimate(within, fake_tables()).warnings if "内諾" in w]
    large = Inputs(**{**within.__dict__, "amount": D(1_000_000_001), "advance": D(0)})
    assert any("案件枠（10億円）" in w for w in estimate.estimate(large, fake_tables()).warnings)
    at_limit = Inputs(**{**large.__dict__, "amount": D(1_000_000_000)})
    assert not any("案件枠" in w for w in estimate.estimate(at_limit, fake_tables()).warnings)


def test_usance_days_are_compared_with_the_months_from_the_shipment_date():
    # 船積後のみ: from the 試算日 2026-04-15; 6 months → 2026-10-15 = 183 days later
    def exceeds(usance, **changes):
        inputs = Inputs(**{**CASE_3.__dict__, "country": "124", "usance": usance, **changes})
        return any("最長ユーザンス（6か月）" in w for w in estimate.estimate(inputs, fake_tables()).warnings)

    assert not exceeds(183)
    assert exceeds(184)
    # 船積前＋船積後: from the 最終船積日 2026-05-31; 6 months → 2026-11-30 = 183 days later
    both = {**{k: v for k, v in CASE_1.__dict__.items() if k not in ("country", "usance")}}
    assert not exceeds(183, **both)
    assert exceeds(184, **both)


def test_no_limit_warning_without_credit_cover_or_outside_the_limit_products():
    political_only = Inputs(**{**CASE_3.__dict__, "post_commercial": D(0)})
    assert estimate.estimate(political_only, fake_tables()).warnings == []
    consumer = Inputs(**{**CASE_3.__dict__, "product": "03"})
    assert estimate.estimate(consumer, fake_tables()).warnings == []
    comprehensive = Inputs(**{**CASE_3.__dict__, "product": "04"})
    assert estimate.estimate(comprehensive, fake_tables()).warnings == []
    sme = Inputs(**{**CASE_3.__dict__, "product": "06", "rating": "EF"})
    assert ["個別保証枠の確認" in w for w in estimate.estimate(sme, fake_tables()).warnings] == [True]
    government = Inputs(**{**CASE_3.__dict__, "rating": "GA"})  # 可: no limit needed
    assert estimate.estimate(government, fake_tables()).warnings == []


def test_the_offered_cover_follows_the_product_and_the_rating():
    standard = estimate.cover_choices("01", "EA", "枠要")
    assert standard["pre_political"] == [D(v) for v in (95, 90, 85, 80, 75, 70, 65, 60)]
    assert standard["pre_commercial"] == [D(v) for v in (80, 75, 70, 65, 60)]
    assert standard["post_political"] == [D(100), D("97.5")]
    assert standard["post_commercial"] == [D(90), D(0)]
    assert estimate.cover_choices("04", "EM", "枠要")["post_commercial"] == [D(90), D(50), D(0)]
    assert estimate.cover_choices("04", "EF", "枠要")["post_commercial"] == [D(90), D(50), D(0)]
    assert estimate.cover_choices("04", "EA", "枠要")["post_commercial"] == [D(90), D(0)]
    assert estimate.cover_choices("04", "EC", "不可")["post_commercial"] == [D(0)]
    assert estimate.cover_choices(None, None, None)["post_commercial"] == [D(90), D(50), D(0)]
    assert estimate.cover_choices("01", "EC", "不可")["pre_commercial"] == [D(0)]
    sme = estimate.cover_choices("06", "EE", "枠要")
    assert (sme["pre_political"], sme["post_political"], sme["post_commercial"]) == ([], [D(95)], [D(95)])
    assert estimate.cover_choices("05", "EE", "枠要")["pre_political"] == []
    assert estimate.scopes_for("05") == estimate.scopes_for("06") == [POST_ONLY]
    assert estimate.scopes_for("01") == [BOTH, POST_ONLY]


def test_rates_round_half_up_once():
    assert estimate.round_rate(Fraction(1234565, 10**12)) == D("0.000001")
    assert estimate.round_rate(Fraction(1234565, 10**7)) == D("0.123457")
    assert estimate.round_rate(Fraction(1, 3)) == D("0.333333")
    # 0.0000005 exactly rounds up; 0.00000049999… down (a float or a rounded quotient could err)
    assert estimate.round_rate(Fraction(5, 10**7)) == D("0.000001")
    assert estimate.round_rate(Fraction(5, 10**7) - Fraction(1, 10**30)) == D("0.000000")


def test_the_inputs_survive_the_navigation_state():
    for case in (CASE_1, CASE_2, CASE_3, CASE_4):
        assert Inputs.from_state(case.as_state()) == case


# --- Properties -----------------------------------------------------------------------------------

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True)
POLITICAL = st.sampled_from([D(100), D("97.5")])
COMMERCIAL = st.sampled_from([D(90), D(0)])


@st.composite
def post_only(draw):
    decimals = draw(st.sampled_from(["JPY", "USD", "EUR"]))
    places = 0 if decimals == "JPY" else 2
    amount = D(draw(st.integers(1, 10**13 - 1))).scaleb(-places)
    return Inputs(
        product=draw(st.sampled_from(["01", "02", "03", "04"])),
        scope=POST_ONLY,
        country=draw(st.sampled_from(["105", "123", "304", "124", "234"])),
        rating=draw(st.sampled_from(sorted(COEFFICIENTS) + NOT_COVERABLE)),
        commodity=draw(st.sampled_from(["一般", "機械設備"])),
        currency=decimals,
        amount=amount,
        advance=D(0),
        usance=draw(st.integers(0, 729)),
        post_political=draw(POLITICAL),
        post_commercial=draw(COMMERCIAL),
    )


@BOUNDED
@given(post_only())
def test_the_premium_is_the_value_times_the_rate_rounded_down(inputs):
    for phase in estimate.estimate(inputs, fake_tables()).phases:
        exact = D(phase.value_jpy) * phase.applied_rate / 100
        assert phase.premium <= exact < phase.premium + 1
        assert abs(Fraction(phase.applied_rate) - phase.exact_rate) <= Fraction(1, 2 * 10**6)


@BOUNDED
@given(post_only(), st.integers(0, 728))
def test_the_premium_grows_with_the_days(inputs, more):
    shorter = Inputs(**{**inputs.__dict__, "usance": min(inputs.usance, more)})
    longer = Inputs(**{**inputs.__dict__, "usance": max(inputs.usance, more)})
    short, long = (estimate.estimate(case, fake_tables()).phase(POST) for case in (shorter, longer))
    assert short.base_rate <= long.base_rate
    assert short.applied_rate <= long.applied_rate
    assert short.premium <= long.premium


@BOUNDED
@given(post_only())
def test_credit_not_coverable_means_political_cover_only(inputs):
    found = estimate.estimate(inputs, fake_tables())
    if inputs.rating in NOT_COVERABLE:
        assert found.credit_not_coverable
        assert all(phase.commercial == 0 and phase.rating_coefficient == 1 for phase in found.phases)
        assert any(w.startswith("非常危険のみ") for w in found.warnings)
    else:
        assert not any(w.startswith("非常危険のみ") for w in found.warnings)


# --- The same vectors on the migrated masters -----------------------------------------------------


@pytest.mark.parametrize(
    "inputs, total", [(CASE_1, 30_395), (CASE_2, 14_285), (CASE_3, 230_204), (CASE_4, 25_693)], ids=["1", "2", "3", "4"]
)
def test_the_migrated_masters_give_the_worked_example(app, inputs, total):
    with app.app_context():
        found = estimate.estimate(inputs, estimate.tables_on(DAY))
    assert found.total == total
    assert [phase.premium for phase in found.phases] == [
        phase.premium for phase in estimate.estimate(inputs, fake_tables()).phases
    ]


def test_the_migrated_masters_convert_case_4_at_the_july_rate_from_2026_07_01(app):
    with app.app_context():
        june = estimate.estimate(CASE_4, estimate.tables_on(date(2026, 6, 30)))
        july = estimate.estimate(CASE_4, estimate.tables_on(date(2026, 7, 1)))
    assert (june.rate, june.total) == (D("150.00"), 25_693)
    assert (july.rate, july.rate_from, july.total) == (D("152.35"), date(2026, 7, 1), 26_095)
