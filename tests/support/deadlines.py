"""Rows for the user page's 期限が近いお手続き (nexi/deadlines.py): one factory per kind of deadline,
written as the procedures and NEXI's console write them (the contract book's factories, losses.py,
the 更新案 of S.6, a published スリーピング候補). Call them in an app or request context and commit."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

from sqlmodel import select

from nexi import db, losses
from nexi.models import (
    Buyer,
    BuyerRating,
    BuyerStatus,
    Instalment,
    NoticeKind,
    Policy,
    ProposalState,
    RenewalProposal,
    Rider,
    RiderState,
    SleepingBatch,
    Status,
)
from nexi.procedures.comprehensive import renewal_effects
from tests.support import contracts
from tests.support.losses import accepted_loss

_serial = count(1)
MOMENT = datetime(2026, 4, 15, tzinfo=UTC)


def demo_buyer(code: str = "304-000101") -> Buyer:
    return db.session().exec(select(Buyer).where(Buyer.code == code)).one()


def unsettled(customer_id: int, due_on: date, *, buyer: Buyer | None = None, settled: int = 0) -> Policy:
    """A 有効 policy with one 決済期限 `due_on` of USD 1,000.00 (`settled` of it paid)."""
    policy = contracts.policy(customer_id, buyer or demo_buyer(), amount=100_000)
    contracts.add_instalments(policy, [(due_on, 100_000)])
    if settled:
        instalment = instalments(policy)[0]
        instalment.settled = settled
        db.session().flush()
    return policy


def instalments(policy: Policy) -> list[Instalment]:
    query = select(Instalment).where(Instalment.policy_id == policy.id).order_by(Instalment.position)
    return list(db.session().exec(query).all())


def loss_notice(policy: Policy, user_id: int, status: str = Status.SUBMITTED):
    """An A01 about the policy's first 決済期限 in `status` (its loss notice exists while the A01
    is 申込済, 審査中 or 完了)."""
    application = contracts.application(policy.customer_id, user_id, "A01")
    application.status = status
    losses.record_notice(application, policy.customer_id, policy.id, instalments(policy)[0].id, NoticeKind.POST)
    return application


def applied(customer_id: int, user_id: int, procedure: str, target_key: str, status: str = Status.SUBMITTED):
    """An application of the customer about `target_key` (a 事故番号, a バイヤーコード)."""
    application = contracts.application(customer_id, user_id, procedure)
    application.status, application.target_key = status, target_key
    db.session().flush()
    return application


def proposal(customer_id: int, ends_on: date, state: str = ProposalState.OPEN) -> RenewalProposal:
    """A 特約 of the customer ending `ends_on` (更新手続中) with the 更新案 NEXI staff issued on it,
    its 更新申込期限 as 8-4 computes it."""
    rider = Rider(
        number=f"T2026{90000 + next(_serial)}",
        customer_id=customer_id,
        starts_on=ends_on - timedelta(days=364),
        ends_on=ends_on,
        state=RiderState.RENEWING,
        created_at=MOMENT,
        updated_at=MOMENT,
    )
    db.session().add(rider)
    db.session().flush()
    found = RenewalProposal(
        rider_id=rider.id,
        customer_id=customer_id,
        issued_on=renewal_effects.issue_from(ends_on),
        deadline_on=renewal_effects.deadline(ends_on),
        state=state,
        created_at=MOMENT,
        updated_at=MOMENT,
    )
    db.session().add(found)
    db.session().flush()
    return found


def sleeping(code: str, deadline: date, *, name: str = "DORMANT TRADING LTD") -> Buyer:
    """A スリーピング候補 published in a batch of its own with the 解除申請期限 `deadline` (S.5)."""
    batch = SleepingBatch(published_at=MOMENT, release_deadline=deadline, buyer_count=1)
    db.session().add(batch)
    db.session().flush()
    return contracts.registered_buyer(
        code, code[:3], "EA", name=name, status=BuyerStatus.SLEEPING, release_deadline=deadline,
        sleeping_batch_id=batch.id, limit_amount=10**9,
    )  # fmt: skip


def rated_on_application(buyer: Buyer, customer_id: int, user_id: int, status: str = Status.COMPLETED) -> None:
    """The buyer's 格付 entry written by the 完了 of the customer's B01 (the buyer it registered)."""
    application = contracts.application(customer_id, user_id, "B01")
    application.status = status
    db.session().add(
        BuyerRating(
            buyer_id=buyer.id,
            rating=buyer.rating,
            rated_on=buyer.rated_on,
            recorded_at=MOMENT,
            application_id=application.id,
            note="新規登録",
        )
    )
    db.session().flush()


def confirmation(customer_id: int, valid_until: date, *, buyer: Buyer | None = None, state: str | None = None):
    """A USD 確認 of the customer on the buyer (default 304-000101, given a limit) valid through
    `valid_until`."""
    buyer = buyer or contracts.buyer_with_limit(3_000_000_000)
    row = contracts.confirmation(buyer, customer_id, 100_000, approved_on=valid_until - timedelta(days=80))
    row.valid_until = valid_until
    if state is not None:
        row.state = state
    db.session().flush()
    return row


def one_of_each(customer_id: int, user_id: int, other_id: int) -> None:
    """With the business day 2026-10-01: one deadline of each kind for the customer, on different
    days (請求期限 10-02, 確認 10-03, 解除申請期限 10-05, A01 10-07, 更新申込期限 10-09), and a 確認 of
    another customer's expiring today."""
    confirmation(customer_id, date(2026, 10, 3))
    contracts.policy(customer_id, sleeping("304-990001", date(2026, 10, 5)))
    unsettled(customer_id, date(2026, 8, 23))  # 45 days: 10-07
    proposal(customer_id, date(2026, 11, 9))  # add_months(満了日, −1): 10-09
    accepted_loss(customer_id, user_id, demo_buyer(), due_on=date(2026, 1, 2))  # add_months(決済期限, 9): 10-02
    confirmation(other_id, date(2026, 10, 1))
