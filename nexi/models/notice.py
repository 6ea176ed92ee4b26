"""お知らせ (DOMAIN.md S.7): published to every customer between its publish and expiry times."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel, col, func, or_, select

from nexi.db import UTCDateTime


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


def published(moment: datetime):
    """The condition for notices shown at `moment`: published, and not yet expired."""
    return (col(Notice.publish_at) <= moment) & or_(col(Notice.expire_at).is_(None), col(Notice.expire_at) > moment)


def latest_published(moment: datetime, limit: int, offset: int = 0):
    return (
        select(Notice)
        .where(published(moment))
        .order_by(col(Notice.publish_at).desc(), col(Notice.id).desc())
        .offset(offset)
        .limit(limit)
    )


def count_published(moment: datetime):
    return select(func.count()).select_from(Notice).where(published(moment))
