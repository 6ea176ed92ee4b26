"""Master data the screens read (DOMAIN.md M), every table versioned by 適用開始日: countries
(M.1), currencies (M.2), ratings (M.3), commodities (M.4), the §6 tariff and its weights. Each
reader takes the version valid on a day (default the business today); the fixed lists that are not
master data (保険種別, 業種) are constants.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app, g, has_app_context
from sqlalchemy import Integer, String, cast, delete, event, literal, null, union_all, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select

from nexi import cache, db
from nexi.audit import audit
from nexi.clock import today
from nexi.models import Commodity, Country, Currency, Rating, Tariff, TariffWeights

# M.3 枠要: the ratings whose credit risk is covered only within a 個別保証枠 (fact; the master's
# cover flag says the same, and forms need the list when their classes are defined).
LIMIT_RATINGS = ("EE", "EA", "EM", "EF")

# C.6 保険種別コード
PRODUCTS = {
    "01": "貿易一般保険（個別）",
    "02": "設備財包括保険",
    "03": "消費財包括保険",
    "04": "企業総合保険",
    "05": "簡易通知型包括保険",
    "06": "中小企業・農林水産業輸出代金保険",
}

INDUSTRIES = ["製造", "商社", "小売", "銀行", "政府機関", "国際機関", "その他"]
PAYMENT_TERMS = ["L/C（信用状）", "D/P（支払渡し）", "D/A（引受渡し）", "送金（後払い）", "その他"]

# M.1 sample data (valid from 2017-11-01): code, 国名, 国名（英）, 地域, category, 引受方針, 案件枠, usance, L/C
COUNTRIES = [
    ("103", "大韓民国", "Republic of Korea", "アジア", "A", "引受可能", None, None, ""),
    ("105", "中華人民共和国", "People's Republic of China", "アジア", "C", "引受可能", None, None, ""),
    ("106", "台湾", "Taiwan", "アジア", "A", "引受可能", None, None, ""),
    ("108", "香港", "Hong Kong", "アジア", "B", "引受可能", None, None, ""),
    ("110", "ベトナム", "Viet Nam", "アジア", "E", "引受可能", None, None, ""),
    ("111", "タイ", "Thailand", "アジア", "C", "引受可能", None, None, ""),
    ("112", "シンガポール", "Singapore", "アジア", "A", "引受可能", None, None, ""),
    ("113", "マレーシア", "Malaysia", "アジア", "C", "引受可能", None, None, ""),
    ("117", "フィリピン", "Philippines", "アジア", "D", "引受可能", None, None, ""),
    ("118", "インドネシア", "Indonesia", "アジア", "D", "引受可能", None, None, ""),
    ("123", "インド", "India", "アジア", "D", "引受可能", None, None, ""),
    ("124", "パキスタン", "Pakistan", "アジア", "H", "条件付引受", 10, 6, "確認L/C"),
    ("137", "サウジアラビア", "Saudi Arabia", "中東", "C", "引受可能", None, None, ""),
    ("147", "アラブ首長国連邦", "United Arab Emirates", "中東", "C", "引受可能", None, None, ""),
    ("205", "英国", "United Kingdom", "欧州", "A", "引受可能", None, None, ""),
    ("210", "フランス", "France", "欧州", "A", "引受可能", None, None, ""),
    ("213", "ドイツ", "Germany", "欧州", "A", "引受可能", None, None, ""),
    ("220", "イタリア", "Italy", "欧州", "A", "引受可能", None, None, ""),
    ("224", "ロシア", "Russian Federation", "欧州", "H", "引受停止", None, None, ""),
    ("234", "トルコ", "Turkey", "欧州", "F", "条件付引受", 50, 12, ""),
    ("302", "カナダ", "Canada", "北米", "A", "引受可能", None, None, ""),
    ("304", "アメリカ合衆国", "United States of America", "北米", "A", "引受可能", None, None, ""),
    ("305", "メキシコ", "Mexico", "中南米", "D", "引受可能", None, None, ""),
    ("310", "ニカラグア", "Nicaragua", "中南米", "G", "条件付引受", 20, 12, ""),
    ("410", "ブラジル", "Brazil", "中南米", "E", "引受可能", None, None, ""),
    ("413", "アルゼンチン", "Argentina", "中南米", "H", "条件付引受", 10, 6, "確認L/C"),
    ("551", "南アフリカ共和国", "South Africa", "アフリカ", "E", "引受可能", None, None, ""),
    ("601", "オーストラリア", "Australia", "大洋州", "A", "引受可能", None, None, ""),
]
COUNTRIES_VALID_FROM = date(2017, 11, 1)


def _kept(key: str, day: date, load):
    """`load()` once per request, and kept by the process for NEXI_MASTER_CACHE_SECONDS (per day
    asked for): masters change rarely and only by new versions (S.9), so most screens read no
    master rows, and one that asks several times reads them once."""
    if not has_app_context():
        return load()
    memo = g.setdefault("masters", {})
    if memo.get(key, (None,))[0] != day:
        memo[key] = (day, cache.shared(key, day, current_app.config["NEXI_MASTER_CACHE_SECONDS"], load))
    return memo[key][1]


def countries(day: date | None = None) -> dict[str, Country]:
    """The version of each country valid on `day` (default today), by code."""
    return tables(day).countries


@dataclass(frozen=True)
class Tables:
    """M.1–M.4 and the §6 tariff as valid on one day: for each key the latest version started."""

    day: date
    countries: dict[str, Country]  # by code
    currencies: dict[str, Currency]
    ratings: dict[str, Rating]  # in the order of M.3
    commodities: dict[str, Commodity]  # in the order of M.4
    tariff: dict[tuple[str, str], Tariff]  # (phase "pre" / "post", category A–H)
    weights: TariffWeights | None


# The six small tables are read in one statement (each row cast to a common shape), so that a
# screen that needs several of them still costs one query when the process has no copy.
_SHAPE = {"key1": String, "key2": String, "number": Integer, "number2": Integer,
          **{f"text{n}": String for n in range(1, 8)}, "factor1": String, "factor2": String}  # fmt: skip
_PARTS = {  # kind: (model, shape column → model column)
    "country": (Country, {"key1": "code", "text1": "name_ja", "text2": "name_en", "text3": "region",
                          "text4": "category", "text5": "policy", "text6": "lc_condition", "text7": "note",
                          "number": "case_limit_oku", "number2": "max_usance_months"}),
    "currency": (Currency, {"key1": "code", "number": "decimals", "factor1": "rate"}),
    "rating": (Rating, {"key1": "code", "number": "position", "text1": "meaning", "text2": "cover",
                        "factor1": "coefficient"}),
    "commodity": (Commodity, {"key1": "name", "number": "position", "factor1": "coefficient"}),
    "tariff": (Tariff, {"key1": "phase", "key2": "category", "factor1": "a", "factor2": "b"}),
    "weights": (TariffWeights, {"factor1": "political", "factor2": "commercial"}),
}  # fmt: skip


def _part(kind: str, day: date):
    model, columns = _PARTS[kind]
    shaped = [
        cast(getattr(model, columns[name]) if name in columns else null(), kind_type).label(name)
        for name, kind_type in _SHAPE.items()
    ]
    return sa_select(literal(kind).label("kind"), model.id, model.valid_from, *shaped).where(model.valid_from <= day)


def _build(kind: str, row) -> SQLModel:
    model, columns = _PARTS[kind]
    values = {field: getattr(row, name) for name, field in columns.items()}
    for name in ("factor1", "factor2"):
        if name in columns and values[columns[name]] is not None:
            values[columns[name]] = Decimal(values[columns[name]])
    return model(id=row.id, valid_from=row.valid_from, **values)


def tables(day: date | None = None) -> Tables:
    """The masters valid on `day` (default today): the one function every rule uses."""
    day = day or today()

    def load() -> Tables:
        found: dict[str, dict] = {kind: {} for kind in _PARTS}
        statement = union_all(*(_part(kind, day) for kind in _PARTS))
        for row in sorted(db.session().execute(statement).all(), key=lambda row: row.valid_from):
            found[row.kind][(row.key1, row.key2)] = _build(row.kind, row)  # later versions win
        by_position = lambda rows: sorted(rows.values(), key=lambda row: row.position)  # noqa: E731
        return Tables(
            day=day,
            countries={row.code: row for row in sorted(found["country"].values(), key=lambda row: row.code)},
            currencies={row.code: row for row in found["currency"].values()},
            ratings={row.code: row for row in by_position(found["rating"])},
            commodities={row.name: row for row in by_position(found["commodity"])},
            tariff={(row.phase, row.category): row for row in found["tariff"].values()},
            weights=next(iter(found["weights"].values()), None),
        )

    return _kept("masters:tables", day, load)


def currencies(day: date | None = None) -> dict[str, Currency]:
    return tables(day).currencies


def ratings(day: date | None = None) -> dict[str, Rating]:
    return tables(day).ratings


def commodities(day: date | None = None) -> dict[str, Commodity]:
    return tables(day).commodities


def tariff(day: date | None = None) -> dict[tuple[str, str], Tariff]:
    return tables(day).tariff


def weights(day: date | None = None) -> TariffWeights | None:
    return tables(day).weights


def decimals(code: str) -> int | None:
    """The decimals of a currency (None for a code the master does not know)."""
    currency = currencies().get(code)
    return currency.decimals if currency else None


def money(amount: int | None, currency: str) -> str:
    """Minor units of `currency` as its amount with commas (「12,345.67」; JPY 「12,345」), exactly."""
    if amount is None:
        return "—"
    places = decimals(currency) or 0
    return f"{Decimal(amount).scaleb(-places):,.{places}f}"


def currency_choices() -> list[tuple[str, str]]:
    return [("", "選択してください")] + [(code, code) for code in currencies()]


def rating_choices() -> list[tuple[str, str]]:
    return [(code, f"{code}（{rating.meaning}）") for code, rating in ratings().items()]


def commodity_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in commodities()]


def country_choices() -> list[tuple[str, str]]:
    return [("", "選択してください")] + [(code, f"{c.name_ja}（{code}）") for code, c in sorted(countries().items())]


def country_name(code: str) -> str:
    country = countries().get(code)
    return country.name_ja if country else code


# --- NEXI staff (S.9): every version of the countries, and new versions --------------------------
#
# A version whose 適用開始日 has come is never changed or deleted: each write states, in its own
# statement, that the version still starts after the business day it runs on, so a version that
# took effect between the screen and the POST is left as it is.

COUNTRY_FIELDS = (
    "code",
    "valid_from",
    "name_ja",
    "name_en",
    "region",
    "category",
    "policy",
    "case_limit_oku",
    "max_usance_months",
    "lc_condition",
    "note",
)


def every_version() -> list[Country]:
    """Every version of every country by code and 適用開始日, read fresh for the staff console
    (one row per country and change: the whole table is small)."""
    return list(db.session().exec(select(Country).order_by(Country.code, Country.valid_from)).all())


def versions(code: str) -> list[Country]:
    """Every version of one country, oldest first."""
    statement = select(Country).where(col(Country.code) == code).order_by(Country.valid_from)
    return list(db.session().exec(statement).all())


def country_version(version_id) -> Country | None:
    return db.session().get(Country, version_id) if isinstance(version_id, int) else None


def valid_version(found: list[Country]) -> Country | None:
    """The version valid today among one country's versions (oldest first), or None."""
    day = today()
    valid = [version for version in found if version.valid_from <= day]
    return valid[-1] if valid else None


def country_list(keyword: str = "") -> list[dict]:
    """Each country by code as the staff list shows it: `version`, valid today (a country not yet
    in effect: its first one), whether it is `current`, and the `next` version's 適用開始日 (or
    None); `keyword` keeps those whose code starts with it or whose name contains it."""
    day = today()
    by_code: dict[str, list[Country]] = {}
    for version in every_version():
        by_code.setdefault(version.code, []).append(version)
    rows = []
    for found in by_code.values():
        current = valid_version(found)
        upcoming = [version for version in found if version.valid_from > day]
        rows.append(
            {
                "version": current or upcoming[0],
                "current": current is not None,
                "next": upcoming[0].valid_from if upcoming else None,
            }
        )
    wanted = keyword.casefold()
    return [
        row
        for row in rows
        if row["version"].code.startswith(keyword)
        or wanted in row["version"].name_ja.casefold()
        or wanted in row["version"].name_en.casefold()
    ]


def country_snapshot(version: Country) -> dict:
    """A version as the screens keep it and the audit log records it (plain JSON)."""
    values = {name: getattr(version, name) for name in COUNTRY_FIELDS}
    return values | {"valid_from": version.valid_from.isoformat()}


def forget() -> None:
    """Drop this process's copy of the masters now and once the change commits (a read in
    between, on this worker, may copy the rows as they were)."""
    cache.forget("masters:")
    g.pop("masters", None)
    event.listen(db.session(), "after_commit", lambda _session: cache.forget("masters:"), once=True)


def add_country_version(values: dict, *, staff) -> Country | None:
    """A new version of a country (or a new country's first one) from `values` (COUNTRY_FIELDS,
    valid_from a date after today), audited; None when the code has a version of that
    適用開始日 already (added meanwhile by someone else)."""
    version = Country(**{name: values[name] for name in COUNTRY_FIELDS})
    try:
        with db.session().begin_nested():
            db.session().add(version)
            db.session().flush()
    except IntegrityError:
        return None
    audit("staff.country.added", staff=staff, target=version.id, before=None, after=country_snapshot(version))
    forget()
    return version


SAVED, STALE, TAKEN = "saved", "stale", "taken"


def write_future_version(model, version_id: int, statement) -> str:
    """Run `statement`, a conditional UPDATE of one version not yet in effect (its conditions say
    so): SAVED, STALE (no row matched) or TAKEN (its key has a version of the new 適用開始日);
    the request's copy of the row is read again when next shown."""
    session = db.session()
    try:
        with session.begin_nested():
            written = session.execute(statement).rowcount == 1
    except IntegrityError:
        return TAKEN
    if not written:
        return STALE
    loaded = session.identity_map.get(session.identity_key(model, version_id))
    if loaded is not None:  # an htmx answer renders in this request
        session.expire(loaded)
    return SAVED


def delete_future_version(model, version_id: int, statement) -> bool:
    """Run `statement`, a conditional DELETE of one version not yet in effect; False when no row
    matched. The request's copy of the row is forgotten."""
    session = db.session()
    if session.execute(statement).rowcount != 1:
        return False
    loaded = session.identity_map.get(session.identity_key(model, version_id))
    if loaded is not None:
        session.expunge(loaded)
    return True


def _as_shown(shown: dict):
    """The condition that a version still holds the values a screen showed."""
    conditions = []
    for name in COUNTRY_FIELDS:
        value = date.fromisoformat(shown[name]) if name == "valid_from" else shown[name]
        column = col(getattr(Country, name))
        conditions.append(column.is_(None) if value is None else column == value)
    return conditions


def change_country_version(version_id: int, shown: dict, values: dict, *, staff) -> str:
    """Save `values` over a version that starts after today and still holds what the screen
    showed (`shown`, a country_snapshot): SAVED, STALE (it took effect, or was changed or
    deleted meanwhile) or TAKEN (its code has another version of the new 適用開始日)."""
    changed = {name: values[name] for name in COUNTRY_FIELDS if name != "code"}
    statement = (
        update(Country)
        .where(col(Country.id) == version_id, col(Country.valid_from) > today(), *_as_shown(shown))
        .values(**changed)
        .execution_options(synchronize_session=False)
    )
    outcome = write_future_version(Country, version_id, statement)
    if outcome != SAVED:
        return outcome
    after = shown | changed | {"valid_from": changed["valid_from"].isoformat()}
    audit("staff.country.updated", staff=staff, target=version_id, before=shown, after=after)
    forget()
    return SAVED


def delete_country_version(version_id: int, shown: dict, *, staff) -> bool:
    """Delete a version that starts after today and still holds what the screen showed; False
    when it took effect, or was changed or deleted meanwhile."""
    statement = (
        delete(Country)
        .where(col(Country.id) == version_id, col(Country.valid_from) > today(), *_as_shown(shown))
        .execution_options(synchronize_session=False)
    )
    if not delete_future_version(Country, version_id, statement):
        return False
    audit("staff.country.deleted", staff=staff, target=version_id, before=shown, after=None)
    forget()
    return True
