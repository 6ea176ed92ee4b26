"""お知らせ (DOMAIN.md S.7): published to every customer between its publish and expiry times
(which are published at a moment: nexi/notices.py)."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class NoticeCategory(StrEnum):
    IMPORTANT = "重要"
    SYSTEM_RULES = "制度"
    SYSTEM = "システム"
    OTHER = "その他"


class Notice(SQLModel, table=True):
    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=100)
    body: str = Field(max_length=4000)
    category: str = Field(max_length=10)  # a NoticeCategory value
    publish_at: datetime = Field(sa_type=UTCDateTime, index=True)
    expire_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    draft: bool = False  # 下書き: written by staff (or by a sleeping-buyer batch), not shown yet
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # 掲載取消: hidden from then on
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")  # who last saved it
