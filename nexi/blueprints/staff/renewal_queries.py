"""What the 更新案 screens of the console read and write (DOMAIN.md 8-4, S.6): the buyers of a 特約
with their last-year insured turnover, issuing the 更新案, and NEXI's decision on one left without a
submission. Scoped by the customer the screen shows (C.4.1); each write is audit-logged."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from nexi import db, masters
from nexi.audit import audit
from nexi.clock import now, today
from nexi.estimate import to_yen
from nexi.models import (
    Buyer,
    Customer,
    Department,
    Policy,
    PolicyState,
    ProposalState,
    RegistrationState,
    RenewalProposal,
    RenewalProposalRow,
    Rider,
    RiderBuyer,
    RiderDepartment,
    RiderState,
)
from nexi.procedures.comprehensive import renewal_effects as effects


class Taken(Exception):
    """A 更新案 exists already for the 特約 (issued meanwhile)."""


@dataclass(frozen=True)
class Candidate:
    """A buyer of the 更新案 as staff are about to issue it."""

    registration: RiderBuyer
    buyer: Buyer
    turnover_jpy: int
    unused: bool  # 削除予定: no policy of the 特約期間 names it


def turnover(customer_id: int, rider_id: int) -> dict[int, int]:
    """payer id → the 保険価額 船後 of the policies declared under the 特約, in yen at today's 換算
    レート (M.2; floor, C.5), summed by one grouped statement (per payer and currency)."""
    rows = db.session().exec(
        select(Policy.payer_id, Policy.currency, func.sum(Policy.value_post))
        .where(col(Policy.customer_id) == customer_id, col(Policy.rider_id) == rider_id)
        .where(col(Policy.state) != PolicyState.CANCELLED)
        .group_by(col(Policy.payer_id), col(Policy.currency))
    )
    currencies, found = masters.currencies(), {}
    for payer_id, code, total in rows:
        currency = currencies.get(code)
        minor = Decimal(int(total or 0))
        value = to_yen(minor / (10**currency.decimals), currency.rate) if currency else 0
        found[payer_id] = found.get(payer_id, 0) + value
    return found


def candidates(customer_id: int, rider_id: int) -> list[Candidate]:
    """One per 有効 企総登録 of the 特約, by バイヤーコード."""
    sums = turnover(customer_id, rider_id)
    rows = db.session().exec(
        select(RiderBuyer, Buyer)
        .join(Buyer, col(Buyer.id) == col(RiderBuyer.buyer_id))
        .where(col(RiderBuyer.rider_id) == rider_id, col(RiderBuyer.customer_id) == customer_id)
        .where(col(RiderBuyer.state) == RegistrationState.IN_FORCE)
        .order_by(col(Buyer.code))
    )
    return [Candidate(row, buyer, sums.get(buyer.id, 0), buyer.id not in sums) for row, buyer in rows]


def rider_with_customer(customer_id, rider_id) -> tuple[Rider, Customer] | None:
    """The customer's 特約 and the customer, in one statement (None for ids that find none)."""
    if not isinstance(customer_id, int) or not isinstance(rider_id, int):
        return None
    query = (
        select(Rider, Customer)
        .join(Customer, col(Customer.id) == col(Rider.customer_id))
        .where(col(Rider.id) == rider_id, col(Rider.customer_id) == customer_id)
    )
    found = db.session().exec(query).first()
    return tuple(found) if found else None


def proposal(customer_id: int, rider_id: int) -> RenewalProposal | None:
    return (
        db.session()
        .exec(
            select(RenewalProposal).where(
                RenewalProposal.rider_id == rider_id, RenewalProposal.customer_id == customer_id
            )
        )
        .first()
    )


def issue(rider: Rider, limits: dict[int, int | None], *, staff) -> RenewalProposal:
    """The 更新案 with the rows as the screen showed them (`limits`: 企総登録 id → proposed limit);
    the 特約 becomes 更新手続中."""
    session, moment, day = db.session(), now(), today()
    found = RenewalProposal(rider_id=rider.id, customer_id=rider.customer_id, issued_on=day,
                            deadline_on=effects.deadline(rider.ends_on), created_at=moment, updated_at=moment)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(found)
            session.flush()
    except IntegrityError as error:
        raise Taken from error
    listed = candidates(rider.customer_id, rider.id)
    session.add_all(
        RenewalProposalRow(
            proposal_id=found.id,
            customer_id=rider.customer_id,
            buyer_id=item.buyer.id,
            last_year_turnover_jpy=item.turnover_jpy,
            current_limit_jpy=item.registration.limit_jpy,
            proposed_limit_jpy=limits.get(item.registration.id, item.registration.limit_jpy),
            unused=item.unused,
        )  # fmt: skip
        for item in listed
    )
    rider.state, rider.updated_at, rider.version = RiderState.RENEWING, moment, rider.version + 1
    session.add(rider)
    session.flush()
    audit("staff.rider.renewal_proposed", staff=staff, customer=rider.customer_id, target=found.id,
          before=None, after={"rider": rider.number, "deadline_on": found.deadline_on.isoformat(),
                              "rows": [[item.buyer.code, limits.get(item.registration.id), item.unused] for item in listed]})  # fmt: skip
    return found


def decide(rider: Rider, found: RenewalProposal, number: str, *, staff) -> Rider:
    """Renew as proposed (no submission came): every row not 削除予定, with its proposed limit, on
    the terms of its 企総登録; the 部門 of the old 特約."""
    kept = [
        {
            "buyer_id": row.buyer_id,
            "destination": registration.destination,
            "settlement_method": registration.settlement_method,
            "max_usance_days": registration.max_usance_days,
            "limit_jpy": row.proposed_limit_jpy,
        }  # fmt: skip
        for row, _buyer, registration in effects.rows(rider.customer_id, found.id)
        if not row.unused and registration is not None
    ]
    codes = db.session().exec(
        select(Department.code)
        .join(RiderDepartment, col(RiderDepartment.department_id) == col(Department.id))
        .where(col(RiderDepartment.rider_id) == rider.id, col(Department.customer_id) == rider.customer_id)
    )
    return effects.renew(rider, found, number, kept, list(codes), state=ProposalState.DECIDED, staff=staff)
