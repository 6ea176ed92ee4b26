"""期限が近いお手続き on the user page (issue 20): what the logged-in 保険利用者 has to do within the
next 30 days, soonest first. Five kinds, each the customer's own (C.4):

- 損失等発生通知の期限 (11-1): 45 days after a 決済期限 that passed unsettled without a loss notice,
  on a policy 有効, 一部決済 or 事故;
- 請求期限 of a 事故 still 受理 or 請求可能 (11), unless an A03 is pending (it keeps the claim alive);
- 更新申込期限 of a 更新案 NEXI has presented (提示中) and no K04 answers yet (8-4);
- 解除申請期限 of a スリーピング候補 (7-5) the customer had to do with — registered or rated on its
  application, named by its policy, 確認 or application — unless its own B05 is pending;
- 有効期限 of a 確認 still 確認済 or 一部使用 (10-1).

All five are one statement (a UNION ALL of one SELECT per kind, each cast to a common shape, as
nexi/masters.py reads its tables), so the page needs no cache to invalidate: every submission and
every staff decision shows at the next rendering. Each part reads only the customer's rows by its
indexes; the スリーピング候補 of the whole register by ix_buyer_status_release (migration 0017).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import Date, Integer, String, cast, exists, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlmodel import col

from nexi import db
from nexi.clock import today
from nexi.losses import LIVE, notice_deadline
from nexi.models import (
    OPEN_LOSS,
    Application,
    Buyer,
    BuyerRating,
    BuyerStatus,
    Confirmation,
    Instalment,
    Loss,
    LossNotice,
    NoticeKind,
    Policy,
    PolicyState,
    ProposalState,
    RenewalProposal,
    Rider,
    RiderState,
    Status,
)
from nexi.models.contract import OPEN_CONFIRMATION
from nexi.procedures.engine import PENDING

WINDOW_DAYS = 30  # a deadline from today through today + 30 days is listed
NOTICE_POLICIES = (PolicyState.IN_FORCE, PolicyState.PART_SETTLED, PolicyState.LOSS)  # A01 takes these (11-1)
# The 申込 a 確認 serves, by its 保険種別コード (10-1: 個別 / 設備財 / 中小企業)
APPLY_WITH = {"01": "IA1", "02": "IB1", "06": "IF1"}


class Kind(StrEnum):
    NOTICE = "notice"
    CLAIM = "claim"
    RENEWAL = "renewal"
    RELEASE = "release"
    CONFIRMATION = "confirmation"


LABELS = {
    Kind.NOTICE: "損失等発生通知の期限",
    Kind.CLAIM: "請求期限",
    Kind.RENEWAL: "更新申込期限",
    Kind.RELEASE: "解除申請期限",
    Kind.CONFIRMATION: "確認の有効期限",
}
PROCEDURES = {Kind.NOTICE: "A01", Kind.CLAIM: "A03", Kind.RENEWAL: "K04", Kind.RELEASE: "B05"}


@dataclass(frozen=True)
class Deadline:
    kind: Kind
    due_on: date  # the last day (it ends 23:59:59 JST, C.5)
    days_left: int  # 0 = today
    label: str  # which deadline
    subject: str  # what it is about
    code: str | None  # the procedure that acts on it

    @property
    def due_text(self) -> str:
        return japanese_day(self.due_on)


def japanese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# Every part gives these columns; a part without one gives NULL cast to the column's type, as
# PostgreSQL resolves a UNION's types pair by pair (a bare NULL there is text). The parts' own
# columns are not cast: SQLite's CAST(… AS DATE) would make a number of a date.
_SHAPE = {"day": Date, "ref": String, "text1": String, "text2": String, "number": Integer, "detail": String,
          "day2": Date}  # fmt: skip


def _shaped(kind: Kind, **columns):
    values = [literal(kind.value, String).label("kind")]
    for name, kind_type in _SHAPE.items():
        value = columns.get(name)
        values.append((cast(null(), kind_type) if value is None else value).label(name))
    return select(*values)


def _notices(customer_id: int, first: date, last: date):
    """11-1: an unsettled 決済期限 whose 45 days end in the window, with no loss notice on it."""
    lag = notice_deadline(NoticeKind.POST, first, None) - first  # the 45 days, as losses counts them
    noticed = (
        select(LossNotice.id)
        .join(Application, col(Application.id) == col(LossNotice.application_id))
        .where(col(LossNotice.policy_id) == col(Policy.id), col(LossNotice.instalment_id) == col(Instalment.id))
        .where(col(Application.status).in_(LIVE))
    )
    return (
        _shaped(
            Kind.NOTICE,
            day=col(Instalment.due_on),
            ref=col(Policy.number),
            text1=col(Policy.branch),
            number=col(Instalment.position),
        )
        .select_from(Policy)
        .join(Instalment, col(Instalment.policy_id) == col(Policy.id))
        .where(col(Policy.customer_id) == customer_id, col(Policy.state).in_(NOTICE_POLICIES))
        .where(col(Instalment.amount) > col(Instalment.settled))
        .where(col(Instalment.due_on).between(first - lag, last - lag), col(Instalment.due_on) < first)
        .where(~exists(noticed))
    )


def _claims(customer_id: int, first: date, last: date):
    """11: the 請求期限 of an open 事故 with no A03 pending about it."""
    extending = (
        select(Application.id)
        .where(col(Application.customer_id) == customer_id, col(Application.procedure) == "A03")
        .where(col(Application.target_key) == col(Loss.number), col(Application.status).in_(PENDING))
    )
    return (
        _shaped(
            Kind.CLAIM,
            day=col(Loss.claim_until),
            ref=col(Loss.number),
            text1=col(Policy.branch),
            text2=col(Policy.number),
            number=col(Instalment.position),
        )
        .select_from(Loss)
        .join(Policy, col(Policy.id) == col(Loss.policy_id))
        .outerjoin(Instalment, col(Instalment.id) == col(Loss.instalment_id))
        .where(col(Loss.customer_id) == customer_id, col(Loss.state).in_(OPEN_LOSS))
        .where(col(Loss.claim_until).between(first, last), ~exists(extending))
    )


def _renewals(customer_id: int, first: date, last: date):
    """8-4: a 更新案 presented and not answered, by its 更新申込期限."""
    return (
        _shaped(Kind.RENEWAL, day=col(RenewalProposal.deadline_on), ref=col(Rider.number), day2=col(Rider.ends_on))
        .select_from(RenewalProposal)
        .join(Rider, col(Rider.id) == col(RenewalProposal.rider_id))
        .where(col(RenewalProposal.customer_id) == customer_id, col(RenewalProposal.state) == ProposalState.OPEN)
        .where(col(Rider.customer_id) == customer_id, col(Rider.state) == RiderState.RENEWING)
        .where(col(RenewalProposal.deadline_on).between(first, last))
    )


def _releases(customer_id: int, first: date, last: date):
    """7-5: a candidate the customer had to do with, unless its own B05 about it is pending. Each
    test looks the candidate up by its id or code — indexes that hold few rows of a dormant buyer —
    never through all of the customer's rows once per candidate (SQLite's planner, without
    statistics, chose the customer's indexes: the hints name the buyer's); a policy counts by its
    支払人, the buyer it insures against (契約相手方 has no index)."""
    rated = aliased(Application)
    concerned = or_(
        exists(
            select(Policy.id)
            .where(col(Policy.payer_id) == col(Buyer.id), col(Policy.customer_id) == customer_id)
            .with_hint(Policy, "INDEXED BY ix_policy_payer_state", "sqlite")
        ),
        exists(
            select(Confirmation.id)
            .where(col(Confirmation.buyer_id) == col(Buyer.id), col(Confirmation.customer_id) == customer_id)
            .with_hint(Confirmation, "INDEXED BY ix_confirmation_buyer_state", "sqlite")
        ),
        exists(
            select(Application.id)
            .where(col(Application.target_key) == col(Buyer.code), col(Application.customer_id) == customer_id)
            .with_hint(Application, "INDEXED BY ix_application_target_key", "sqlite")
        ),
        exists(  # registered (B01, B04) or re-rated (B02) on one of its applications
            select(BuyerRating.id)
            .join(rated, rated.id == col(BuyerRating.application_id))
            .where(col(BuyerRating.buyer_id) == col(Buyer.id), rated.customer_id == customer_id)
            .where(rated.status == Status.COMPLETED)
        ),
    )
    # read once (the customer's B05 entries of ix_application_procedure), not per candidate
    releasing = (
        select(Application.target_key)
        .where(col(Application.customer_id) == customer_id, col(Application.procedure) == "B05")
        .where(col(Application.status).in_(PENDING), col(Application.target_key).is_not(None))
    )
    return (
        _shaped(Kind.RELEASE, day=col(Buyer.release_deadline), ref=col(Buyer.code), text2=col(Buyer.name_en))
        .select_from(Buyer)
        .where(col(Buyer.status) == BuyerStatus.SLEEPING, col(Buyer.release_deadline).between(first, last))
        .where(concerned, col(Buyer.code).not_in(releasing))
    )


def _confirmations(customer_id: int, first: date, last: date):
    """10-1: a 確認 that can still be used, by its 有効期限."""
    return (
        _shaped(
            Kind.CONFIRMATION,
            day=col(Confirmation.valid_until),
            ref=col(Confirmation.number),
            text1=col(Buyer.code),
            text2=col(Buyer.name_en),
            detail=col(Confirmation.product),
        )
        .select_from(Confirmation)
        .join(Buyer, col(Buyer.id) == col(Confirmation.buyer_id))
        .where(col(Confirmation.customer_id) == customer_id, col(Confirmation.state).in_(OPEN_CONFIRMATION))
        .where(col(Confirmation.valid_until).between(first, last))
    )


PARTS = (_notices, _claims, _renewals, _releases, _confirmations)
ORDER = {kind: index for index, kind in enumerate(Kind)}


def _policy(number: str, branch: str, position: int | None) -> str:
    return f"証券番号 {number}-{branch}" + (f" 第{position}回決済期限" if position else "")


def _deadline(row, first: date) -> Deadline:
    kind = Kind(row.kind)
    due_on = notice_deadline(NoticeKind.POST, row.day, None) if kind == Kind.NOTICE else row.day
    if kind == Kind.NOTICE:
        subject = f"{_policy(row.ref, row.text1, row.number)}（{japanese_day(row.day)}）"
    elif kind == Kind.CLAIM:
        subject = f"事故番号 {row.ref}（{_policy(row.text2, row.text1, row.number)}）"
    elif kind == Kind.RENEWAL:
        subject = f"特約番号 {row.ref}（特約期間満了日 {japanese_day(row.day2)}）"
    elif kind == Kind.RELEASE:
        subject = f"スリーピング候補バイヤー {row.ref} {row.text2}"
    else:
        subject = f"確認管理番号 {row.ref}（バイヤーコード {row.text1} {row.text2}）"
    code = APPLY_WITH.get(row.detail) if kind == Kind.CONFIRMATION else PROCEDURES[kind]
    return Deadline(kind, due_on, (due_on - first).days, LABELS[kind], subject, code)


def upcoming(customer_id: int) -> list[Deadline]:
    """The customer's deadlines from today through today + WINDOW_DAYS, soonest first (one statement)."""
    first = today()
    last = first + timedelta(days=WINDOW_DAYS)
    statement = union_all(*(part(customer_id, first, last) for part in PARTS))
    found = [_deadline(row, first) for row in db.session().execute(statement)]
    return sorted(found, key=lambda item: (item.due_on, ORDER[item.kind], item.subject))
