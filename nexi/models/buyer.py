"""海外商社名簿 (the buyer register, DOMAIN.md §7): global; only some fields are public (C.4.1)."""

import unicodedata
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, event
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class BuyerStatus(StrEnum):
    REGISTERED = "登録"
    SLEEPING = "スリーピング候補"
    DELETED = "削除"


def search_text(value: str | None) -> str:
    """A name as 5-1 compares it: NFKC, case-folded, each run of spaces one space."""
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


def search_key(name_en: str | None, alias: str | None) -> str:
    """英文名称 and 別名 as 5-1 searches them, one line each: a search (search_text) never holds a
    line break, so no match spans the two."""
    return f"{search_text(name_en)}\n{search_text(alias)}"


def _search_key_default(context) -> str:
    """The key of a row inserted without one (any INSERT, the bulk ones of the bench and tests too)."""
    row = context.get_current_parameters()
    return search_key(row.get("name_en"), row.get("alias"))


class Buyer(SQLModel, table=True):
    __tablename__ = "buyer"
    __table_args__ = (
        Index("ix_buyer_country_name", "country_code", "name_key"),
        # the user page's 解除申請期限 of the next 30 days (nexi/deadlines.py, migration 0017)
        Index("ix_buyer_status_release", "status", "release_deadline"),
        # 5-1's partial-name search: a trigram index on PostgreSQL (migration 0013). SQLite scans
        # the column; it has a plain index of that name only so that schema and models compare equal
        Index(
            "ix_buyer_search_key",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=10, unique=True)  # バイヤーコード NNN-NNNNNN
    name_en: str = Field(max_length=140)  # 英文名称
    name_key: str = Field(max_length=140)  # normalised name, to find the same buyer registered twice
    alias: str = Field(default="", max_length=140)  # 別名
    # search_key(name_en, alias), kept by the column default and the ORM events below
    search_key: str | None = Field(default=None, nullable=False, sa_column_kwargs={"default": _search_key_default})
    country_code: str = Field(max_length=3)
    address: str = Field(max_length=140)
    city: str = Field(max_length=60)
    state: str = Field(default="", max_length=60)
    postal_code: str = Field(default="", max_length=20)
    head_office_id: int | None = Field(default=None, foreign_key="buyer.id", index=True)
    relation: str = Field(default="", max_length=10)  # 支店 / 子会社 / 関連会社 (to its head office)
    industry: str = Field(max_length=10)  # 業種
    rating: str = Field(max_length=2)  # 格付 (M.3)
    rated_on: date  # 格付適用日
    # 個別保証枠 設定額 (JPY, up to 16 digits) — NEXI staff only, never shown to customers
    limit_amount: int | None = Field(default=None, sa_type=BigInteger)
    status: str = Field(default=BuyerStatus.REGISTERED, max_length=10)
    release_deadline: date | None = None  # 解除申請期限 of a スリーピング候補
    deleted_on: date | None = None
    deleted_reason: str = Field(default="", max_length=100)
    last_activity_on: date | None = None  # 最終活動日: what dormancy is judged on (S.5)
    sleeping_batch_id: int | None = Field(default=None, foreign_key="sleeping_batch.id", index=True)
    registered_at: datetime = Field(sa_type=UTCDateTime)


def _keep_search_key(_mapper, _connection, buyer: Buyer) -> None:
    """Whatever changed 英文名称 or 別名 (a 完了, NEXI's console, the demo), the key follows."""
    buyer.search_key = search_key(buyer.name_en, buyer.alias)


event.listen(Buyer, "before_insert", _keep_search_key)
event.listen(Buyer, "before_update", _keep_search_key)


class BuyerRating(SQLModel, table=True):
    """格付の履歴 (S.4): every rating a buyer was given, by a 完了 (application) or by staff directly."""

    __tablename__ = "buyer_rating"

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="buyer.id", index=True)
    rating: str = Field(max_length=2)
    rated_on: date  # 格付適用日
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    application_id: int | None = Field(default=None, foreign_key="application.id")
    note: str = Field(default="", max_length=200)


class SleepingBatch(SQLModel, table=True):
    """One publication of スリーピング候補 (S.5): its 解除申請期限, the draft お知らせ listing them, and
    when the candidates without a 完了 B05 were removed."""

    __tablename__ = "sleeping_batch"

    id: int | None = Field(default=None, primary_key=True)
    published_at: datetime = Field(sa_type=UTCDateTime)
    release_deadline: date = Field(index=True)
    notice_id: int | None = Field(default=None, foreign_key="notice.id")
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    buyer_count: int = 0
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_count: int | None = None
