"""お知らせ (DOMAIN.md S.7): published to every customer between its publish and expiry times."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam
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


def published(moment):
    """The condition for notices shown at `moment`: published, and not yet expired."""
    return (col(Notice.publish_at) <= moment) & or_(col(Notice.expire_at).is_(None), col(Notice.expire_at) > moment)


# Built once, with the moment and the page as parameters: the user page runs these all the time.
_MOMENT = bindparam("moment", type_=UTCDateTime())
_LATEST = (
    select(Notice)
    .where(published(_MOMENT))
    .order_by(col(Notice.publish_at).desc(), col(Notice.id).desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_COUNT = select(func.count()).select_from(Notice).where(published(_MOMENT))


def latest_published(moment: datetime, limit: int, offset: int = 0) -> list[Notice]:
    from nexi import db

    return db.session().exec(_LATEST, params={"moment": moment, "limit": limit, "offset": offset}).all()


def count_published(moment: datetime) -> int:
    from nexi import db

    return db.session().exec(_COUNT, params={"moment": moment}).one()
