"""Writing the buyer register (DOMAIN.md §7, S.4, S.5): its codes, its ratings with their
history, and the 最終活動日 that dormancy is judged on. Both the 完了 of the buyer procedures
and NEXI's direct changes on the staff console go through here."""

from datetime import date

from nexi import db
from nexi.clock import now, today
from nexi.models import Buyer, BuyerRating
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
