"""Master data the screens read (DOMAIN.md M): countries from the database (versioned by
適用開始日), the small fixed lists as constants.

FIXME: ratings (M.3), currencies (M.2) and commodity coefficients (M.4) are constants here; they
become versioned tables with the staff side (S.9), as countries already are.
"""

from datetime import date

from sqlalchemy import delete, event, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from nexi import cache, db
from nexi.audit import audit
from nexi.clock import today
from nexi.models import Country

# M.3: rating → (meaning, credit-risk cover)
RATINGS = {
    "GS": ("中央銀行・財務省・国際機関等", "可"),
    "GA": ("その他の政府機関・州政府・地方政府等", "可"),
    "GE": ("政府系企業", "可"),
    "SA": ("銀行（信用危険てん補可）", "可"),
    "SC": ("銀行（信用危険てん補不可）", "不可"),
    "EE": ("民間企業（優良）", "枠要"),
    "EA": ("民間企業（良好）", "枠要"),
    "EM": ("民間企業（中位）", "枠要"),
    "EF": ("民間企業（てん補可能な下位）", "枠要"),
    "EC": ("民間企業（信用危険てん補不可）", "不可"),
    "PN": ("暫定格付", "不可"),
    "PU": ("暫定格付（審査なし）", "不可"),
    "PT": ("暫定格付", "不可"),
    "GR": ("事故管理R（政府機関）", "不可"),
    "ER": ("事故管理R（民間企業）", "不可"),
    "SR": ("事故管理R（銀行）", "不可"),
    "GB": ("事故管理B（政府機関）", "不可"),
    "EB": ("事故管理B（民間企業）", "不可"),
    "SB": ("事故管理B（銀行）", "不可"),
}

# M.2: currency → decimals
CURRENCIES = {
    "JPY": 0, "USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "AUD": 2,
    "CAD": 2, "CHF": 2, "HKD": 2, "SGD": 2, "THB": 2,
}  # fmt: skip

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


CACHE_SECONDS = 300


def countries() -> dict[str, Country]:
    """The version of each country valid today, by code.

    Masters change rarely and only by new versions (S.9), so each process keeps them for
    CACHE_SECONDS (and per business day): most screens then read no master rows at all.
    """
    day = today()

    def load() -> dict[str, Country]:
        rows = (
            db.session()
            .exec(select(Country).where(col(Country.valid_from) <= day).order_by(Country.code, Country.valid_from))
            .all()
        )
        for row in rows:
            db.session().expunge(row)
        return {row.code: row for row in rows}  # later versions overwrite earlier ones

    return cache.shared("countries", day, CACHE_SECONDS, load)


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


def forget_countries() -> None:
    """Drop this process's copy now and once the change commits (a read in between, on this
    worker, may copy the rows as they were)."""
    cache.forget("countries")
    event.listen(db.session(), "after_commit", lambda _session: cache.forget("countries"), once=True)


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
    forget_countries()
    return version


SAVED, STALE, TAKEN = "saved", "stale", "taken"


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
    session = db.session()
    try:
        with session.begin_nested():
            written = session.execute(statement).rowcount == 1
    except IntegrityError:
        return TAKEN
    if not written:
        return STALE
    loaded = session.identity_map.get(session.identity_key(Country, version_id))
    if loaded is not None:  # read again when next shown (an htmx answer renders in this request)
        session.expire(loaded)
    after = shown | changed | {"valid_from": changed["valid_from"].isoformat()}
    audit("staff.country.updated", staff=staff, target=version_id, before=shown, after=after)
    forget_countries()
    return SAVED


def delete_country_version(version_id: int, shown: dict, *, staff) -> bool:
    """Delete a version that starts after today and still holds what the screen showed; False
    when it took effect, or was changed or deleted meanwhile."""
    session = db.session()
    statement = (
        delete(Country)
        .where(col(Country.id) == version_id, col(Country.valid_from) > today(), *_as_shown(shown))
        .execution_options(synchronize_session=False)
    )
    if session.execute(statement).rowcount != 1:
        return False
    loaded = session.identity_map.get(session.identity_key(Country, version_id))
    if loaded is not None:
        session.expunge(loaded)
    audit("staff.country.deleted", staff=staff, target=version_id, before=shown, after=None)
    forget_countries()
    return True
