"""What the buyer screens of the console read (S.4, S.5): the register searched whole, one buyer with
its relatives and rating history, the dormant buyers, the published batches. Each list is one query
for its page and one for its count, whatever the number of rows (the statement budget)."""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from nexi import db, register
from nexi.models import Application, Buyer, BuyerRating, BuyerStatus, SleepingBatch, StaffUser
from nexi.procedures.buyers.rules import name_key


def _page(query, order, page: int, size: int):
    total = db.session().exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    rows = db.session().exec(query.order_by(*order).limit(size).offset((page - 1) * size)).all()
    return list(rows), total, page, pages


# --- バイヤー検索 -----------------------------------------------------------------------------------


def _filtered(criteria: dict):
    query = select(Buyer)
    if criteria.get("code"):
        query = query.where(col(Buyer.code) == criteria["code"])
    if criteria.get("name"):
        typed = " ".join(unicodedata.normalize("NFKC", criteria["name"]).casefold().split())
        alias = func.lower(col(Buyer.alias)).contains(typed, autoescape=True)
        key = name_key(criteria["name"])
        query = query.where(or_(col(Buyer.name_key).contains(key, autoescape=True), alias) if key else alias)
    for name, column in (("country", Buyer.country_code), ("rating", Buyer.rating), ("status", Buyer.status)):
        if criteria.get(name):
            query = query.where(col(column) == criteria[name])
    return query


def search(criteria: dict, page: int, size: int):
    """(buyers of the page, total, page, pages), by バイヤーコード."""
    return _page(_filtered(criteria), (col(Buyer.code),), page, size)


def search_all(criteria: dict) -> list[tuple[Buyer, str | None]]:
    """Every buyer the criteria find, with its head office's code (the CSV)."""
    head = aliased(Buyer)
    query = (
        _filtered(criteria)
        .add_columns(head.code)
        .outerjoin(head, col(head.id) == col(Buyer.head_office_id))
        .order_by(col(Buyer.code))
    )
    return [tuple(row) for row in db.session().execute(query).all()]


# --- バイヤー詳細 -----------------------------------------------------------------------------------


def get(buyer_id) -> Buyer | None:
    return db.session().get(Buyer, buyer_id) if isinstance(buyer_id, int) else None


def relatives(buyer: Buyer) -> tuple[Buyer | None, list[Buyer]]:
    """(its head office, its branches and subsidiaries), in one query."""
    found = db.session().exec(
        select(Buyer)
        .where(or_(col(Buyer.id) == buyer.head_office_id, col(Buyer.head_office_id) == buyer.id))
        .order_by(col(Buyer.code))
    )
    head, linked = None, []
    for other in found.all():
        if other.id == buyer.head_office_id:
            head = other
        else:
            linked.append(other)
    return head, linked


@dataclass(frozen=True)
class RatingEntry:
    rating: str
    rated_on: object
    recorded_at: object
    number: str | None  # the Web申込番号 whose 完了 gave it
    staff_name: str | None  # or the staff member who gave it
    note: str


def history(buyer: Buyer) -> list[RatingEntry]:
    """格付の履歴, newest first, with what each entry rests on (one query)."""
    found = db.session().exec(
        select(BuyerRating, Application.number, StaffUser.name)
        .outerjoin(Application, col(Application.id) == col(BuyerRating.application_id))
        .outerjoin(StaffUser, col(StaffUser.id) == col(BuyerRating.staff_user_id))
        .where(col(BuyerRating.buyer_id) == buyer.id)
        .order_by(col(BuyerRating.recorded_at).desc(), col(BuyerRating.id).desc())
    )
    return [
        RatingEntry(entry.rating, entry.rated_on, entry.recorded_at, number, staff_name, entry.note)
        for entry, number, staff_name in found.all()
    ]


# --- スリーピング候補 ---------------------------------------------------------------------------------


def dormant(page: int, size: int):
    """The dormant buyers (7-5), the longest without activity first."""
    order = (func.coalesce(col(Buyer.last_activity_on), func.date(col(Buyer.registered_at))), col(Buyer.code))
    return _page(select(Buyer).where(register.dormant()), order, page, size)


def dormant_ids(ids: list[int] | None = None) -> list[int]:
    """The ids of the dormant buyers (among `ids`, when given), by code."""
    query = select(Buyer.id).where(register.dormant())
    if ids is not None:
        query = query.where(col(Buyer.id).in_(ids))
    return list(db.session().exec(query.order_by(col(Buyer.code))).all())


def buyers(ids: list[int]) -> list[Buyer]:
    return list(db.session().exec(select(Buyer).where(col(Buyer.id).in_(ids)).order_by(col(Buyer.code))).all())


def _remaining():
    """The candidates a batch still has (スリーピング候補 not yet removed or released)."""
    return (
        select(func.count(col(Buyer.id)))
        .where(col(Buyer.sleeping_batch_id) == SleepingBatch.id, col(Buyer.status) == BuyerStatus.SLEEPING)
        .scalar_subquery()
    )


def batches(page: int, size: int):
    """The published batches, newest first: (batch, candidates left) rows."""
    query = select(SleepingBatch, _remaining())
    return _page(query, (col(SleepingBatch.published_at).desc(), col(SleepingBatch.id).desc()), page, size)


def batch(batch_id) -> tuple[SleepingBatch, int] | None:
    if not isinstance(batch_id, int):
        return None
    found = db.session().exec(select(SleepingBatch, _remaining()).where(col(SleepingBatch.id) == batch_id)).first()
    return tuple(found) if found else None


def batch_buyers(batch_id: int, page: int, size: int):
    """A batch's buyers (those a 完了 B05 released are no longer in it), each with whether a B05
    about it is pending: (buyer, pending) rows."""
    pending = register.pending_releases().where(col(Application.target_key) == col(Buyer.code)).exists()
    query = select(Buyer, pending).where(col(Buyer.sleeping_batch_id) == batch_id)
    return _page(query, (col(Buyer.code),), page, size)


# --- バイヤー検索のCSV (C.7) -------------------------------------------------------------------------

CSV_COLUMNS = [
    "バイヤーコード",
    "英文名称",
    "別名",
    "国コード",
    "国",
    "住所",
    "都市",
    "州・省",
    "郵便番号",
    "本店バイヤーコード",
    "関係",
    "業種",
    "格付",
    "格付適用日",
    "設定額",
    "状態",
    "解除申請期限",
    "最終活動日",
    "削除日",
    "削除理由",
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def csv_lines(criteria: dict) -> list[list]:
    """Every buyer the search finds, as CSV_COLUMNS: 設定額 included (the console is staff only)."""
    from nexi.masters import country_name

    return [
        [
            buyer.code,
            buyer.name_en,
            buyer.alias,
            buyer.country_code,
            country_name(buyer.country_code),
            buyer.address,
            buyer.city,
            buyer.state,
            buyer.postal_code,
            head_code or "",
            buyer.relation,
            buyer.industry,
            buyer.rating,
            _day(buyer.rated_on),
            buyer.limit_amount if buyer.limit_amount is not None else "",
            buyer.status,
            _day(buyer.release_deadline),
            _day(buyer.last_activity_on),
            _day(buyer.deleted_on),
            buyer.deleted_reason,
        ]
        for buyer, head_code in search_all(criteria)
    ]
