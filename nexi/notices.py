"""The お知らせ (the table is nexi/models/notice.py): those published at a moment, newest first,
shared by every customer; and, for NEXI staff (S.7), every notice and the writes of お知らせ管理
(`save`, `withdraw`, `publish`), which customers see within NEXI_NOTICE_CACHE_SECONDS."""

from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, event
from sqlmodel import col, func, or_, select, update

from nexi import cache, db
from nexi.audit import audit
from nexi.clock import real_now
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


# --- NEXI staff (S.7): every notice, and what 管理担当 write ------------------------------------
#
# A write drops this process's copies once it commits (`_forget_on_commit`): the worker that
# saved a change shows it at the next request; every other worker keeps its copy for at most
# NEXI_NOTICE_CACHE_SECONDS (and no longer than the business minute it was read for), so
# customers everywhere see a change — a withdrawn notice gone — within that bound.

CACHE_PREFIX = "notices:"
DRAFT, SCHEDULED, SHOWN, ENDED, WITHDRAWN = "下書き", "掲載予定", "掲載中", "掲載終了", "掲載取消"
_LISTED = (
    Notice.id,
    Notice.title,
    Notice.category,
    Notice.publish_at,
    Notice.expire_at,
    Notice.draft,
    Notice.withdrawn_at,
)


def status(notice, moment: datetime) -> str:
    """下書き / 掲載予定 / 掲載中 / 掲載終了 / 掲載取消 of a notice (or a listed row) at `moment`."""
    if notice.withdrawn_at is not None:
        return WITHDRAWN
    if notice.draft:
        return DRAFT
    if notice.publish_at > moment:
        return SCHEDULED
    if notice.expire_at is not None and notice.expire_at <= moment:
        return ENDED
    return SHOWN


def all_notices(page: int, size: int) -> tuple[list, int, int]:
    """(rows, total, page) of every notice, drafts and withdrawn ones included, newest 掲載開始
    first: the page asked for, clamped to the pages there are."""
    session = db.session()
    total = session.exec(select(func.count()).select_from(Notice)).one()
    page = min(max(page, 1), max(1, -(-total // size)))
    rows = session.exec(
        select(*_LISTED)
        .order_by(col(Notice.publish_at).desc(), col(Notice.id).desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return list(rows), total, page


def get(notice_id) -> Notice | None:
    return db.session().get(Notice, notice_id) if isinstance(notice_id, int) else None


def version(notice: Notice) -> str | None:
    """What the screens carry to save over exactly the notice they showed (see `save`)."""
    return notice.updated_at.isoformat() if notice.updated_at else None


def snapshot(notice: Notice | None) -> dict | None:
    """A notice as an audit entry records it, before and after."""
    if notice is None:
        return None
    return {
        "title": notice.title,
        "body": notice.body,
        "category": notice.category,
        "publish_at": _iso(notice.publish_at),
        "expire_at": _iso(notice.expire_at),
        "draft": bool(notice.draft),
        "withdrawn_at": _iso(notice.withdrawn_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _forget_on_commit() -> None:
    """This process's copies go now and again once the change commits (a read between the two,
    on this worker, may have copied the rows as they were)."""
    cache.forget(CACHE_PREFIX)
    event.listen(db.session(), "after_commit", lambda _session: cache.forget(CACHE_PREFIX), once=True)


def _unchanged_since(shown: str | None):
    """The condition that the notice is still the one a screen showed (its last save)."""
    if shown is None:
        return col(Notice.updated_at).is_(None)
    return col(Notice.updated_at) == datetime.fromisoformat(shown)


def _conditional(notice_id: int, condition, values: dict) -> bool:
    """One UPDATE of the notice where `condition` still holds: False when another staff member
    (or a double submission) got there first."""
    session = db.session()
    statement = (
        update(Notice)
        .where(col(Notice.id) == notice_id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    written = session.execute(statement).rowcount == 1
    loaded = session.identity_map.get(session.identity_key(Notice, notice_id))
    if loaded is not None:  # read again when next shown (an htmx answer renders in this request)
        session.expire(loaded)
    return written


def save(values: dict, *, staff, draft: bool, notice_id: int | None = None, shown: str | None = None) -> int | None:
    """Create a notice (`notice_id` None) or save over the one shown (its `version`, `shown`):
    `values` are title, body, category, publish_at and expire_at (aware datetimes). Returns the
    notice's id, or None when it was withdrawn or saved by someone else since it was shown.
    Audited with the values before and after, in the caller's transaction."""
    record = {key: values[key] for key in ("title", "body", "category", "publish_at", "expire_at")}
    stamp = real_now()
    if notice_id is None:
        notice = Notice(**record, draft=draft, updated_at=stamp, staff_user_id=staff.id)
        db.session().add(notice)
        db.session().flush()
        audit("staff.notice.created", staff=staff, target=notice.id, before=None, after=snapshot(notice))
        _forget_on_commit()
        return notice.id
    before = get(notice_id)
    if before is None:
        return None
    before = snapshot(before)
    written = {**record, "draft": draft, "updated_at": stamp, "staff_user_id": staff.id}
    condition = col(Notice.withdrawn_at).is_(None) & _unchanged_since(shown)
    if not _conditional(notice_id, condition, written):
        return None
    after = before | {key: _iso(value) if isinstance(value, datetime) else value for key, value in record.items()}
    audit("staff.notice.updated", staff=staff, target=notice_id, before=before, after=after | {"draft": draft})
    _forget_on_commit()
    return notice_id


def withdraw(notice_id: int, *, staff) -> bool:
    """掲載取消: hidden from customers from now on; False when it already was."""
    notice = get(notice_id)
    if notice is None:
        return False
    before, stamp = snapshot(notice), real_now()
    changes = {"withdrawn_at": stamp, "updated_at": stamp, "staff_user_id": staff.id}
    if not _conditional(notice_id, col(Notice.withdrawn_at).is_(None), changes):
        return False
    audit(
        "staff.notice.withdrawn",
        staff=staff,
        target=notice_id,
        before=before,
        after=before | {"withdrawn_at": _iso(stamp)},
    )
    _forget_on_commit()
    return True


def publish(notice_id: int, *, staff, shown: str | None) -> bool:
    """公開 of a draft exactly as the confirmation showed it (its `version`, `shown`): shown from
    its 掲載開始日時 on; False when it is no draft any more, or was saved again meanwhile."""
    notice = get(notice_id)
    if notice is None:
        return False
    before = snapshot(notice)
    changes = {"draft": False, "updated_at": real_now(), "staff_user_id": staff.id}
    condition = col(Notice.draft).is_(True) & col(Notice.withdrawn_at).is_(None) & _unchanged_since(shown)
    if not _conditional(notice_id, condition, changes):
        return False
    audit("staff.notice.published", staff=staff, target=notice_id, before=before, after=before | {"draft": False})
    _forget_on_commit()
    return True
