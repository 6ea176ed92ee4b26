"""Writing the buyer register (DOMAIN.md §7, S.4, S.5): its codes, its ratings with their
history, and the 最終活動日 that dormancy is judged on. Both the 完了 of the buyer procedures
and NEXI's direct changes on the staff console go through here."""

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select, update

from nexi import db, limits
from nexi.audit import audit
from nexi.clock import JST, add_months, now, today
from nexi.masters import LIMIT_RATINGS, country_name
from nexi.models import Application, Buyer, BuyerRating, BuyerStatus, Notice, SleepingBatch, Status
from nexi.models.notice import NoticeCategory
from nexi.sequences import next_value


def next_code(country: str) -> str:
    """The next free バイヤーコード of the country (C.6): its serials continue from the last one."""
    return f"{country}-{next_value(f'buyer:{country}'):06d}"


def record_rating(
    buyer: Buyer, *, staff_id: int | None = None, application_id: int | None = None, note: str = ""
) -> BuyerRating:
    """格付の履歴: the rating the buyer holds now, as one more entry (S.4)."""
    entry = BuyerRating(
        buyer_id=buyer.id,
        rating=buyer.rating,
        rated_on=buyer.rated_on,
        recorded_at=now(),
        staff_user_id=staff_id,
        application_id=application_id,
        note=note[:200],
    )
    db.session().add(entry)
    return entry


def rate(
    buyer: Buyer,
    rating: str,
    rated_on: date,
    *,
    staff_id: int | None = None,
    application_id: int | None = None,
    note: str = "",
) -> None:
    """A new 格付 from its 適用日, kept in the history; the buyer was active today."""
    buyer.rating, buyer.rated_on = rating, rated_on
    touch(buyer)
    db.session().add(buyer)
    db.session().flush()
    record_rating(buyer, staff_id=staff_id, application_id=application_id, note=note)


def touch(buyer: Buyer) -> None:
    """最終活動日 = today: the dormancy clock restarts (S.5)."""
    buyer.last_activity_on = today()


# --- S.4: NEXI's direct changes ----------------------------------------------------------------

NEEDS_LIMIT = LIMIT_RATINGS  # M.3 枠要: a 個別保証枠 設定額 is required
DELETED_SLEEPING = "スリーピング"  # deleted_reason of a candidate removed after its 解除申請期限 (S.5)


class Stale(Exception):
    """The buyer changed meanwhile (deleted, or no longer in the state the screen showed)."""


def committed(buyer: Buyer) -> int:
    """使用額 + 予約額 of the buyer's 個別保証枠 (JPY), across customers: the floor of its 設定額 (S.4).
    A change that rests on it locks the buyer's row first (`limits.lock_buyer`), as an approval
    against the 残高 does, so that none comes in between."""
    held = limits.amounts(buyer)
    return held.used + held.reserved


def snapshot(buyer: Buyer) -> dict:
    """What an audit entry records of a buyer, before and after."""
    return {
        "code": buyer.code,
        "name_en": buyer.name_en,
        "country_code": buyer.country_code,
        "rating": buyer.rating,
        "rated_on": buyer.rated_on.isoformat() if buyer.rated_on else None,
        "limit_amount": buyer.limit_amount,
        "status": buyer.status,
        "release_deadline": buyer.release_deadline.isoformat() if buyer.release_deadline else None,
        "deleted_reason": buyer.deleted_reason,
        "last_activity_on": buyer.last_activity_on.isoformat() if buyer.last_activity_on else None,
    }


def register_direct(columns: dict, *, staff) -> Buyer:
    """S.4 直接登録 (a request by phone or on paper): the buyer's `columns` (as the form gives them)
    with the next code of its country, as B01's 完了 gives it, and its 格付 as the first entry of
    its history."""
    buyer = Buyer(
        **columns,
        code=next_code(columns["country_code"]),
        status=BuyerStatus.REGISTERED,
        last_activity_on=today(),
        registered_at=now(),
    )
    if buyer.rating not in NEEDS_LIMIT:
        buyer.limit_amount = None
    db.session().add(buyer)
    db.session().flush()
    record_rating(buyer, staff_id=staff.id, note="直接登録")
    audit("staff.buyer.registered", staff=staff, target=buyer.id, before=None, after=snapshot(buyer))
    return buyer


def version(buyer: Buyer) -> dict:
    """What a change of S.4 rests on (its checks and its audit's before): the screens keep it from
    the moment the change began, and the change is made only on a buyer that still has it."""
    return {
        "rating": buyer.rating,
        "rated_on": buyer.rated_on.isoformat() if buyer.rated_on else None,
        "limit_amount": buyer.limit_amount,
        "status": str(buyer.status),
    }


def _change(buyer: Buyer, values: dict) -> None:
    """One conditional UPDATE of a buyer not deleted and still as this request read it (another
    staff member's change in between is not overwritten), then the same values on this request's
    copy; Stale when it was deleted or changed meanwhile."""
    limit = col(Buyer.limit_amount)
    query = update(Buyer).where(
        col(Buyer.id) == buyer.id,
        col(Buyer.status) != BuyerStatus.DELETED,
        col(Buyer.status) == buyer.status,
        col(Buyer.rating) == buyer.rating,
        col(Buyer.rated_on) == buyer.rated_on,
        limit.is_(None) if buyer.limit_amount is None else limit == buyer.limit_amount,
    )
    if db.session().execute(query.values(**values).execution_options(synchronize_session=False)).rowcount != 1:
        raise Stale
    for key, value in values.items():
        set_committed_value(buyer, key, value)


def rerate(buyer: Buyer, rating: str, rated_on: date, reason: str, limit: int | None, *, staff) -> None:
    """S.4 格付の変更: the new 格付 from its 適用日, one more entry of the history. An 枠要 rating
    takes the 設定額 given (never below committed()); another rating has no 個別保証枠, unless
    business already uses it (a downgrade stops new business, the amounts in use stay)."""
    limits.lock_buyer(buyer.id)
    if rating in NEEDS_LIMIT:
        if limit is None or limit < committed(buyer):
            raise ValueError("設定額が使用額・予約額の合計を下回ります")
    else:
        limit = buyer.limit_amount if committed(buyer) else None
    before = snapshot(buyer)
    _change(buyer, {"rating": rating, "rated_on": rated_on, "limit_amount": limit, "last_activity_on": today()})
    record_rating(buyer, staff_id=staff.id, note=reason)
    audit("staff.buyer.rated", staff=staff, target=buyer.id, reason=reason, before=before, after=snapshot(buyer))


def set_limit(buyer: Buyer, amount: int, *, staff) -> None:
    """S.4 設定額の変更 of an 枠要 buyer: never below 使用額 + 予約額 (to stop new business, NEXI
    downgrades the buyer or sets its country to 引受停止 instead)."""
    if buyer.rating not in NEEDS_LIMIT:
        raise ValueError("格付が個別保証枠の対象ではありません")
    limits.lock_buyer(buyer.id)
    if amount < committed(buyer):
        raise ValueError("設定額が使用額・予約額の合計を下回ります")
    before = snapshot(buyer)
    _change(buyer, {"limit_amount": amount, "last_activity_on": today()})
    audit("staff.buyer.limit_set", staff=staff, target=buyer.id, before=before, after=snapshot(buyer))


def delete(buyer: Buyer, reason: str, *, staff) -> None:
    """S.4 削除 with its reason: the buyer stays readable (5-1 finds it by its exact code)."""
    before = snapshot(buyer)
    _change(buyer, {"status": BuyerStatus.DELETED, "deleted_on": today(), "deleted_reason": reason[:100]})
    audit("staff.buyer.deleted", staff=staff, target=buyer.id, reason=reason, before=before, after=snapshot(buyer))


# --- S.5: the sleeping-buyer cycle -------------------------------------------------------------


def dormancy_threshold() -> date:
    """A buyer whose 最終活動日 is before this day is dormant (7-5: NEXI_SLEEPING_MONTHS)."""
    return add_months(today(), -current_app.config["NEXI_SLEEPING_MONTHS"])


def dormant():
    """The condition of a dormant buyer: 登録, and no activity since the threshold (a buyer with no
    最終活動日 is judged on its registration date)."""
    threshold = dormancy_threshold()
    since = datetime(threshold.year, threshold.month, threshold.day, tzinfo=JST)
    return and_(
        col(Buyer.status) == BuyerStatus.REGISTERED,
        or_(
            col(Buyer.last_activity_on) < threshold,
            and_(col(Buyer.last_activity_on).is_(None), col(Buyer.registered_at) < since),
        ),
    )


def default_release_deadline() -> date:
    return today() + timedelta(days=current_app.config["NEXI_SLEEPING_RELEASE_DAYS"])


def publish(buyer_ids: list[int], deadline: date, *, staff) -> SleepingBatch:
    """S.5 公開: the chosen buyers that are still dormant become スリーピング候補 with the 解除申請期限,
    in one batch, and a draft お知らせ listing them is written for staff to edit and publish."""
    session = db.session()
    chosen = session.exec(select(Buyer).where(col(Buyer.id).in_(buyer_ids), dormant()).order_by(col(Buyer.code)))
    buyers = list(chosen.all())
    if not buyers:
        raise Stale
    with session.begin_nested():  # all of it or, when a buyer moved on meanwhile, none of it
        notice = Notice(
            **sleeping_notice(buyers, deadline), publish_at=now(), draft=True, updated_at=now(), staff_user_id=staff.id
        )
        session.add(notice)
        session.flush()
        batch = SleepingBatch(
            published_at=now(),
            release_deadline=deadline,
            notice_id=notice.id,
            staff_user_id=staff.id,
            buyer_count=len(buyers),
        )
        session.add(batch)
        session.flush()
        changed = session.execute(
            update(Buyer)
            .where(col(Buyer.id).in_([buyer.id for buyer in buyers]), dormant())
            .values(status=BuyerStatus.SLEEPING, release_deadline=deadline, sleeping_batch_id=batch.id)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != len(buyers):
            raise Stale
    audit(
        "staff.sleeping.published",
        staff=staff,
        target=batch.id,
        notice=notice.id,
        before={buyer.code: BuyerStatus.REGISTERED.value for buyer in buyers},
        after={
            "release_deadline": deadline.isoformat(),
            "buyers": {buyer.code: BuyerStatus.SLEEPING.value for buyer in buyers},
        },
    )
    for buyer in buyers:  # this request's copies, as the UPDATE left the rows
        for key, value in (
            ("status", BuyerStatus.SLEEPING),
            ("release_deadline", deadline),
            ("sleeping_batch_id", batch.id),
        ):
            set_committed_value(buyer, key, value)
    return batch


NOTICE_BODY_MAX = 4000  # S.7 本文


def sleeping_notice(buyers: list[Buyer], deadline: date) -> dict:
    """The draft お知らせ of a batch: its title, category and body (code, name and country of each
    candidate, and how to keep one, B05 by the deadline)."""
    day = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    head = (
        "下記の海外商社（バイヤー）は、長期間お取引の実績がないため、スリーピング候補バイヤーとなりました。\n"
        f"今後もお取引の予定がある場合は、{day}（解除申請期限）までに「スリーピング候補バイヤー解除申請」"
        "（B05）をお申込みください。期限までに解除申請のないバイヤーは海外商社名簿から削除します。"
        "削除されたバイヤーとのお取引には、改めて海外商社新規登録が必要です。\n\n"
        "■ スリーピング候補バイヤー（バイヤーコード　英文名称（国））\n"
    )
    lines = [f"{buyer.code}　{buyer.name_en}（{country_name(buyer.country_code)}）" for buyer in buyers]
    body = head + "\n".join(lines)
    if len(body) > NOTICE_BODY_MAX:  # S.7's limit: the rest is found on 海外商社情報 (5-1)
        kept: list[str] = []
        for index, line in enumerate(lines):
            rest = f"\nほか{len(lines) - index}件（海外商社情報の照会でご確認いただけます）"
            if len(head + "\n".join([*kept, line]) + rest) > NOTICE_BODY_MAX:
                body = (
                    head
                    + "\n".join(kept)
                    + f"\nほか{len(lines) - len(kept)}件（海外商社情報の照会でご確認いただけます）"
                )
                break
            kept.append(line)
    return {
        "title": f"スリーピング候補バイヤーのお知らせ（解除申請期限 {day}）",
        "category": NoticeCategory.IMPORTANT.value,
        "body": body,
    }


PENDING = (Status.SUBMITTED, Status.REVIEWING, Status.RETURNED)  # a B05 NEXI has still to decide


def pending_releases():
    """The バイヤーコード of every B05 still pending (申込済, 審査中, 差戻し), as a subquery."""
    return select(Application.target_key).where(
        col(Application.procedure) == "B05", col(Application.status).in_(list(PENDING))
    )


def removable(batch: SleepingBatch) -> bool:
    """Removal is for after the 解除申請期限 (B05 can be filed until 23:59:59 JST of that day)."""
    return today() > batch.release_deadline


def remove(batch: SleepingBatch, *, staff=None) -> tuple[int, int]:
    """S.5 削除の実行 of a batch after its deadline: (removed, skipped). Candidates released by a 完了
    B05 are already 登録 again; those with a B05 pending are skipped and taken by a later run if it
    ends 不承認 or 取下げ; the others are deleted, reason スリーピング. Running it again removes
    nothing twice (one conditional UPDATE)."""
    if not removable(batch):
        raise ValueError("the release deadline has not passed")
    session = db.session()
    candidates = and_(col(Buyer.sleeping_batch_id) == batch.id, col(Buyer.status) == BuyerStatus.SLEEPING)
    rows = session.exec(select(Buyer.code, Buyer.id).where(candidates).order_by(col(Buyer.code))).all()
    pending = set(session.exec(pending_releases().where(col(Application.target_key).in_([c for c, _ in rows]))).all())
    removing = [(code, buyer_id) for code, buyer_id in rows if code not in pending]
    removed = 0
    if removing:  # a B05 filed meanwhile is pending too: the UPDATE checks again
        removed = session.execute(
            update(Buyer)
            .where(col(Buyer.id).in_([buyer_id for _, buyer_id in removing]), candidates)
            .where(col(Buyer.code).not_in(pending_releases()))
            .values(status=BuyerStatus.DELETED, deleted_on=today(), deleted_reason=DELETED_SLEEPING)
            .execution_options(synchronize_session=False)
        ).rowcount
    if removed != len(removing):  # the UPDATE left some (a B05 filed meanwhile): the audit names who went
        gone = set(
            session.exec(
                select(Buyer.code).where(
                    col(Buyer.id).in_([buyer_id for _, buyer_id in removing]), col(Buyer.status) == BuyerStatus.DELETED
                )
            ).all()
        )
        removing = [(code, buyer_id) for code, buyer_id in removing if code in gone]
    pending = {code for code, _ in rows} - {code for code, _ in removing}
    before = {"removed_count": batch.removed_count, "candidates": len(rows)}
    if removed:
        table = SleepingBatch.__table__
        session.execute(
            update(SleepingBatch)
            .where(col(SleepingBatch.id) == batch.id)
            .values(
                removed_at=func.coalesce(table.c.removed_at, now()),
                removed_count=func.coalesce(table.c.removed_count, 0) + removed,
            )
            .execution_options(synchronize_session=False)
        )
        session.refresh(batch)
    if removed or staff is not None:
        audit(
            "staff.sleeping.removed",
            staff=staff,
            target=batch.id,
            by_command=staff is None,
            removed=[code for code, _ in removing],
            skipped=sorted(pending),
            before=before,
            after={"removed_count": batch.removed_count, "candidates": len(rows) - removed},
        )
    return removed, len(pending)


def remove_all_due() -> int:
    """run-daily (NEXI_SLEEPING_AUTO_REMOVE): every batch past its deadline that still has
    candidates; the number of buyers removed."""
    due = db.session().exec(
        select(SleepingBatch)
        .where(
            col(SleepingBatch.release_deadline) < today(),
            col(SleepingBatch.id).in_(select(Buyer.sleeping_batch_id).where(col(Buyer.status) == BuyerStatus.SLEEPING)),
        )
        .order_by(col(SleepingBatch.id))
    )
    return sum(remove(batch)[0] for batch in due.all())
