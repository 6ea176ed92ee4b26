"""Reading the お知らせ (the table is nexi/models/notice.py): those published at a moment, newest
first, shared by every customer."""

from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam
from sqlmodel import col, func, or_, select

from nexi import cache, db
from nexi.models import Notice
from nexi.models.types import UTCDateTime


def published(moment):
    """The condition for notices shown at `moment`: published (not a draft, not withdrawn), and
    not yet expired."""
    return (
        col(Notice.draft).is_(False)
        & col(Notice.withdrawn_at).is_(None)
        & (col(Notice.publish_at) <= moment)
        & or_(col(Notice.expire_at).is_(None), col(Notice.expire_at) > moment)
    )


# Built once, with the moment and the page as parameters: the user page runs these all the time.
_MOMENT = bindparam("moment", type_=UTCDateTime())
_LATEST = (
    select(Notice.id, Notice.title, Notice.category, Notice.publish_at)
    .where(published(_MOMENT))
    .order_by(col(Notice.publish_at).desc(), col(Notice.id).desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_COUNT = select(func.count()).select_from(Notice).where(published(_MOMENT))


def _published_at(moment: datetime, key: str, statement, params: dict):
    """Notices are the same for every customer: each process keeps what it read for the
    current minute of the business clock, for at most NEXI_NOTICE_CACHE_SECONDS (nexi/cache.py)."""
    minute = moment.replace(second=0, microsecond=0)

    def load():
        return db.session().exec(statement, params={"moment": minute, **params}).all()

    return cache.shared(f"notices:{key}", minute, current_app.config["NEXI_NOTICE_CACHE_SECONDS"], load)


def latest_published(moment: datetime, limit: int, offset: int = 0) -> list:
    """The lines (id, title, category, publish_at) of the notices published at `moment`, newest first."""
    return _published_at(moment, f"{limit}:{offset}", _LATEST, {"limit": limit, "offset": offset})


def count_published(moment: datetime) -> int:
    return _published_at(moment, "count", _COUNT, {})[0]
