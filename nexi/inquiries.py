"""What the public inquiries of 5章 read: 5-1 海外商社情報 (the buyer register) and 5-5 国別引受方針
(the countries of M.1). Both are global data (C.4.1), the same for every customer.

A buyer is read as its public fields only (PUBLIC): its 個別保証枠 is a yes/no computed in the
query, so no amount of the register (設定額, and nothing of 使用額 or 予約額) ever reaches the
screens, the CSV or this process. Each search is one statement, capped at LIMIT rows (§5).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from nexi import db, masters
from nexi.clock import today
from nexi.fields import BUYER_CODE
from nexi.models import Buyer, BuyerStatus, Country
from nexi.models.buyer import search_text

LIMIT = 200  # §5: more matches → the first LIMIT in code order, and 「条件を絞り込んでください」
NAME_MIN = 2  # 5-1: 名称 is searched from two characters on (as normalised)


# --- 5-1 海外商社情報 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicBuyer:
    """A buyer as every customer may see it (C.4.1)."""

    code: str
    name_en: str
    alias: str
    country_code: str
    address: str
    city: str
    state: str
    postal_code: str
    head_code: str | None  # its head office's バイヤーコード (a branch, subsidiary …)
    relation: str
    rating: str
    rated_on: date
    status: str
    release_deadline: date | None
    deleted_on: date | None
    has_limit: bool  # whether a 個別保証枠 is set — the amount is never read

    @property
    def deleted(self) -> bool:
        return self.status == BuyerStatus.DELETED

    @property
    def sleeping(self) -> bool:
        return self.status == BuyerStatus.SLEEPING

    @property
    def office(self) -> str:
        """本店/支店: 本店, or its relation to the head office with that office's code."""
        if self.head_code is None:
            return "本店"
        return f"{self.relation or '支店'}（本店 {self.head_code}）"

    @property
    def cover(self) -> str:
        """信用危険てん補 of its 格付 (M.3): 可 / 枠要 / 不可."""
        rating = masters.ratings().get(self.rating)
        return rating.cover if rating is not None else "不可"

    @property
    def limit_label(self) -> str | None:
        """個別保証枠 of an 枠要 buyer: 枠あり / 枠なし (nothing for the others)."""
        if self.cover != "枠要":
            return None
        return "枠あり" if self.has_limit else "枠なし"

    @property
    def status_label(self) -> str:
        return "削除済" if self.deleted else self.status

    @property
    def full_address(self) -> str:
        return ", ".join(part for part in (self.address, self.city, self.state, self.postal_code) if part)


PUBLIC = (
    Buyer.code,
    Buyer.name_en,
    Buyer.alias,
    Buyer.country_code,
    Buyer.address,
    Buyer.city,
    Buyer.state,
    Buyer.postal_code,
    Buyer.relation,
    Buyer.rating,
    Buyer.rated_on,
    Buyer.status,
    Buyer.release_deadline,
    Buyer.deleted_on,
)


def buyer_criteria(code: str = "", name: str = "", country: str = "") -> dict:
    return {"code": code or "", "name": name or "", "country": country or ""}


def _buyers(criteria: dict):
    """The search of 5-1: exact code (the only way to a deleted buyer), the name anywhere in the
    stored key of 英文名称 and 別名 (LIKE with the user's % and _ taken literally), the country."""
    head = aliased(Buyer)
    query = select(
        *PUBLIC,
        col(head.code).label("head_code"),
        case((col(Buyer.limit_amount) > 0, True), else_=False).label("has_limit"),
    ).outerjoin(head, col(head.id) == col(Buyer.head_office_id))
    if criteria.get("code"):
        query = query.where(col(Buyer.code) == criteria["code"])
    else:
        query = query.where(col(Buyer.status) != BuyerStatus.DELETED)
    name = search_text(criteria.get("name"))
    if name:
        if db.engine().dialect.name == "sqlite":
            # SQLite finds the ids by a scan of the key's own index (narrow, no row read) instead of
            # reading the whole register in code order; PostgreSQL's trigram index needs no help
            key = aliased(Buyer)
            found = select(key.id).where(col(key.search_key).contains(name, autoescape=True))
            query = query.where(col(Buyer.id).in_(found))
        else:
            query = query.where(col(Buyer.search_key).contains(name, autoescape=True))
    if country := criteria.get("country"):
        # a code starts with its country's (C.6): the range reads only that country's part of the
        # code index, where the country alone had the register walked in code order up to it
        code = col(Buyer.code)
        query = query.where(col(Buyer.country_code) == country, code >= f"{country}-", code <= f"{country}-999999")
    return query


def _public(row) -> PublicBuyer:
    values = row._mapping
    return PublicBuyer(**{name: values[name] for name in PublicBuyer.__dataclass_fields__})


def search_buyers(criteria: dict) -> tuple[list[PublicBuyer], bool]:
    """(the buyers found, by バイヤーコード, at most LIMIT; whether more matched)."""
    if search_text(criteria.get("name")):
        # planned without the name, PostgreSQL cannot tell a rare one (the trigram index) from a
        # common one (the register in code order up to LIMIT)
        db.plan_each_run(db.session().connection())
    rows = db.session().execute(_buyers(criteria).order_by(col(Buyer.code)).limit(LIMIT + 1)).all()
    return [_public(row) for row in rows[:LIMIT]], len(rows) > LIMIT


def find_buyer(criteria: dict, code: str) -> PublicBuyer | None:
    """The buyer of `code` if the search `criteria` finds it: a detail is of a row of the result
    (a deleted buyer's only after searching its exact code)."""
    if not isinstance(code, str) or not code:
        return None
    row = db.session().execute(_buyers(criteria).where(col(Buyer.code) == code)).first()
    return _public(row) if row is not None else None


# --- 5-5 国別引受方針 --------------------------------------------------------------------------------

CATEGORIES = tuple("ABCDEFGH")
POLICIES = ("引受可能", "条件付引受", "引受停止")


@dataclass(frozen=True)
class CountryPolicy:
    """A country as 5-5 shows it: the version valid today, and the category before the last change
    of category (with the 適用開始日 of that change), when an earlier version had another."""

    version: Country
    previous_category: str | None
    changed_on: date | None
    history: tuple[Country, ...]  # the versions in effect so far, oldest first

    @property
    def code(self) -> str:
        return self.version.code


def _policy(found: list[Country]) -> CountryPolicy | None:
    """From one country's versions (oldest first): None when none is in effect yet."""
    day = today()
    started = [version for version in found if version.valid_from <= day]
    if not started:
        return None
    current = started[-1]
    previous = changed = None
    for earlier, later in zip(reversed(started[:-1]), reversed(started[1:]), strict=True):
        if earlier.category != current.category:
            previous, changed = earlier.category, later.valid_from
            break
    return CountryPolicy(current, previous, changed, tuple(started))


def _matches(policy: CountryPolicy, criteria: dict) -> bool:
    version = policy.version
    name = search_text(criteria.get("name"))
    if name and name not in search_text(version.name_ja) and name not in search_text(version.name_en):
        return False
    for key, value in (("region", version.region), ("category", version.category), ("policy", version.policy)):
        if criteria.get(key) and criteria[key] != value:
            return False
    return True


def country_criteria(name: str = "", region: str = "", category: str = "", policy: str = "") -> dict:
    return {"name": name or "", "region": region or "", "category": category or "", "policy": policy or ""}


def country_policies(criteria: dict) -> tuple[list[CountryPolicy], bool]:
    """(every country in effect today that the filters keep, by code, at most LIMIT; whether more
    matched). One statement: every version of every country (the table is small)."""
    by_code: dict[str, list[Country]] = {}
    for version in masters.every_version():
        by_code.setdefault(version.code, []).append(version)
    found = [policy for versions in by_code.values() if (policy := _policy(versions)) is not None]
    kept = [policy for policy in sorted(found, key=lambda policy: policy.code) if _matches(policy, criteria)]
    return kept[:LIMIT], len(kept) > LIMIT


def country_policy(code: str) -> CountryPolicy | None:
    if not isinstance(code, str) or not code:
        return None
    return _policy(masters.versions(code))


def regions() -> list[str]:
    """The 地域 of the countries in effect today, in the order of their first country's code."""
    seen: dict[str, None] = {}
    for _code, country in sorted(masters.countries().items()):
        seen.setdefault(country.region, None)
    return list(seen)


def buyer_ids(text: str):
    """The buyers a バイヤーコード (exact) or a 名称 (anywhere in 英文名称 / 別名, as 5-1) designates:
    a subquery for the own-company inquiries (5-2, 5-3) to filter their rows by."""
    if is_code(text):
        return select(Buyer.id).where(col(Buyer.code) == text)
    return select(Buyer.id).where(col(Buyer.search_key).contains(search_text(text), autoescape=True))


def is_code(text: str) -> bool:
    return bool(BUYER_CODE.fullmatch(text or ""))
