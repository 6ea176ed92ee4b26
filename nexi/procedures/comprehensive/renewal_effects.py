"""特約年度更新 (DOMAIN.md 8-4, S.3, S.6): reading a customer's 更新案 and renewing its 特約, shared by
K04's 完了 and NEXI staff's decision on a 更新案 left without a submission. Every read is scoped by
the customer (C.4.1).

A renewal opens a NEW 特約 row (the 特約番号 NEXI staff enter: C.6 numbers carry the year, so the
next period gets its own) from 満了日 + 1 day, valid for 12 months (C.5), with the 部門 and 企総登録
asked for; the old 特約 stays in force through its 満了日 and then becomes 満了, readable with
its 企総登録."""

import re
from datetime import date, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from nexi import db
from nexi.audit import audit
from nexi.clock import add_months, now, today
from nexi.models import (
    Buyer,
    Department,
    ProposalState,
    RegistrationState,
    RenewalProposal,
    RenewalProposalRow,
    Rider,
    RiderBuyer,
    RiderDepartment,
    RiderState,
)
from nexi.procedures.engine import Refused

RIDER_NUMBER = re.compile(r"T\d{4}\d{5}")  # C.6: T + year(4) + serial(5)
ANSWERABLE = (ProposalState.OPEN, ProposalState.SUBMITTED)  # a K04 may be filed (again, after 差戻し)
CONTINUE, DROP = "継続", "削除"


def issue_from(ends_on: date) -> date:
    """The first day staff may issue the 更新案 (⚙ NEXI_RENEWAL_PROPOSAL_MONTHS before 満了日)."""
    return add_months(ends_on, -current_app.config["NEXI_RENEWAL_PROPOSAL_MONTHS"])


def deadline(ends_on: date) -> date:
    """更新申込期限 (⚙ NEXI_RENEWAL_DEADLINE_MONTHS before 満了日)."""
    return add_months(ends_on, -current_app.config["NEXI_RENEWAL_DEADLINE_MONTHS"])


def next_period(rider: Rider) -> tuple[date, date]:
    """The new 特約期間: from 満了日 + 1 day, valid for 12 months (through add_months − 1 day)."""
    starts_on = rider.ends_on + timedelta(days=1)
    return starts_on, add_months(starts_on, 12) - timedelta(days=1)


def proposal_of(customer_id: int | None, rider_number: str | None):
    """(特約, 更新案) of the customer's 特約 with that number, or None (one statement)."""
    if customer_id is None or not rider_number:
        return None
    return (
        db.session()
        .exec(
            select(Rider, RenewalProposal)
            .join(RenewalProposal, col(RenewalProposal.rider_id) == col(Rider.id))
            .where(col(Rider.customer_id) == customer_id, col(RenewalProposal.customer_id) == customer_id)
            .where(col(Rider.number) == rider_number)
        )
        .first()
    )


def answerable(customer_id: int) -> list[tuple[Rider, RenewalProposal]]:
    """The customer's 特約 whose 更新案 a K04 may answer (更新手続中, 提示中 or 申込済)."""
    return list(
        db.session().exec(
            select(Rider, RenewalProposal)
            .join(RenewalProposal, col(RenewalProposal.rider_id) == col(Rider.id))
            .where(col(Rider.customer_id) == customer_id, col(RenewalProposal.customer_id) == customer_id)
            .where(col(Rider.state) == RiderState.RENEWING, col(RenewalProposal.state).in_(ANSWERABLE))
            .order_by(col(Rider.number))
        )
    )


def rows(customer_id: int, proposal_id: int) -> list[tuple[RenewalProposalRow, Buyer, RiderBuyer | None]]:
    """The 更新案's rows with their buyers and the 企総登録 they continue, by バイヤーコード."""
    proposal = select(RenewalProposal.rider_id).where(col(RenewalProposal.id) == proposal_id).scalar_subquery()
    query = (
        select(RenewalProposalRow, Buyer, RiderBuyer)
        .join(Buyer, col(Buyer.id) == col(RenewalProposalRow.buyer_id))
        .outerjoin(
            RiderBuyer,
            (col(RiderBuyer.buyer_id) == col(RenewalProposalRow.buyer_id)) & (col(RiderBuyer.rider_id) == proposal),
        )
        .where(col(RenewalProposalRow.proposal_id) == proposal_id, col(RenewalProposalRow.customer_id) == customer_id)
        .order_by(col(Buyer.code))
    )
    return [tuple(row) for row in db.session().exec(query)]


def locked(proposal_id: int) -> RenewalProposal:
    """The 更新案 read again under a row lock: of two simultaneous renewals, one wins."""
    return db.session().get(RenewalProposal, proposal_id, with_for_update=True, populate_existing=True)


def renew(rider: Rider, proposal: RenewalProposal, number: str, kept: list[dict], department_codes, *,
          state: str, staff=None) -> Rider:  # fmt: skip
    """Open the next 特約期間 under `number` with the 部門 (codes of the customer's own) and the
    企総登録 `kept` (buyer_id, destination, settlement_method, max_usance_days, limit_jpy); the old
    特約 ends with its 満了日 and the 更新案 becomes `state` (完了 / NEXI決定)."""
    session, moment = db.session(), now()
    proposal = locked(proposal.id)
    if proposal is None or proposal.state not in ANSWERABLE:
        raise Refused("この更新案はすでに更新済みです。")
    if not RIDER_NUMBER.fullmatch(number or ""):
        raise Refused("新しい特約番号は「T」と西暦4桁・連番5桁で入力してください。")
    starts_on, ends_on = next_period(rider)
    new = Rider(number=number, customer_id=rider.customer_id, starts_on=starts_on, ends_on=ends_on,
                created_at=moment, updated_at=moment)  # fmt: skip
    departments = select(Department.id).where(
        col(Department.customer_id) == rider.customer_id, col(Department.code).in_(list(department_codes))
    )
    try:
        with session.begin_nested():
            session.add(new)
            session.flush()
    except IntegrityError as error:  # the 特約番号 is taken
        raise Refused("この特約番号はすでに登録されています。別の番号を入力してください。") from error
    session.add_all(RiderDepartment(rider_id=new.id, department_id=key) for key in session.exec(departments))
    session.add_all(
        RiderBuyer(
            rider_id=new.id,
            customer_id=rider.customer_id,
            buyer_id=row["buyer_id"],
            destination=row["destination"],
            settlement_method=row["settlement_method"],
            max_usance_days=row.get("max_usance_days"),
            limit_jpy=row.get("limit_jpy"),
            limit_set_on=starts_on if row.get("limit_jpy") else None,
            state=RegistrationState.IN_FORCE,
            created_at=moment,
            updated_at=moment,
        )  # fmt: skip
        for row in kept
    )
    # the old 特約 stays in force (更新手続中) through its 満了日, so the customer is never without one
    # between the renewal and the new period; run-daily marks it 満了 after that (registrations.expire)
    ended = RiderState.EXPIRED if rider.ends_on < today() else RiderState.RENEWING
    rider.state, rider.updated_at, rider.version = ended, moment, rider.version + 1
    proposal.state, proposal.updated_at, proposal.version = state, moment, proposal.version + 1
    session.add_all([rider, proposal])
    session.flush()
    audit("staff.rider.renewed", staff=staff, customer=rider.customer_id, target=new.id,
          before={"rider": rider.number, "proposal": proposal.id},
          after={"rider": new.number, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
                 "buyers": [{**row} for row in kept], "departments": sorted(department_codes), "state": state})  # fmt: skip
    return new
