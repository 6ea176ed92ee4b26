"""海外商社名簿 (the buyer register, DOMAIN.md §7): global; only some fields are public (C.4.1)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class BuyerStatus(StrEnum):
    REGISTERED = "登録"
    SLEEPING = "スリーピング候補"
    DELETED = "削除"


class Buyer(SQLModel, table=True):
    __tablename__ = "buyer"
    __table_args__ = (Index("ix_buyer_country_name", "country_code", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=10, unique=True)  # バイヤーコード NNN-NNNNNN
    name_en: str = Field(max_length=140)  # 英文名称
    name_key: str = Field(max_length=140)  # normalised name, to find the same buyer registered twice
    alias: str = Field(default="", max_length=140)  # 別名
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
    limit_amount: int | None = None  # 個別保証枠 設定額 (JPY) — NEXI staff only, never shown to customers
    status: str = Field(default=BuyerStatus.REGISTERED, max_length=10)
    release_deadline: date | None = None  # 解除申請期限 of a スリーピング候補
    deleted_on: date | None = None
    deleted_reason: str = Field(default="", max_length=100)
    last_activity_on: date | None = None
    registered_at: datetime = Field(sa_type=UTCDateTime)
