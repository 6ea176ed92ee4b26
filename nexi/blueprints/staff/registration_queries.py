"""What the registration screens of the console read and write (S.6, §8, 9-4): a customer's 組合員資格,
企業総合保険特約 with its 部門 and 企総登録, 簡易通知型包括保険契約 with its 簡易包括登録.

Every read is scoped by the customer the screen shows (C.4.1): a row id posted from a screen is
looked up under that customer only. A change of a 企総登録 or a 簡易包括登録 is one conditional
UPDATE on the row as the screen showed it (`version`): a change made meanwhile by someone else is
never overwritten (Stale). Each write adds its audit entry (before / after).
"""

import zlib
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from nexi import db
from nexi.audit import audit
from nexi.clock import now, today
from nexi.models import (
    AssociationMembership,
    BlanketContract,
    BlanketRegistration,
    Buyer,
    Customer,
    Department,
    RegistrationState,
    Rider,
    RiderBuyer,
    RiderDepartment,
)
from nexi.procedures.insurance.completion import _policy_number
from nexi.registrations import BLANKET


class Taken(Exception):
    """Registered already (a 特約番号, a membership, a buyer under the 特約 or contract)."""


class Stale(Exception):
    """The row changed (or was deleted) since the screen showed it."""


def customer(customer_id) -> Customer | None:
    return db.session().get(Customer, customer_id) if isinstance(customer_id, int) else None


def departments(customer_id: int) -> list[Department]:
    return list(
        db.session().exec(
            select(Department).where(Department.customer_id == customer_id).order_by(col(Department.code))
        )
    )


# --- the customer's 登録情報 -------------------------------------------------------------------------


def with_memberships(customer_id) -> tuple[Customer, list[AssociationMembership]] | None:
    """The customer and its 組合員資格, in one statement (None for an id that finds none)."""
    if not isinstance(customer_id, int):
        return None
    query = (
        select(Customer, AssociationMembership)
        .outerjoin(AssociationMembership, col(AssociationMembership.customer_id) == col(Customer.id))
        .where(col(Customer.id) == customer_id)
        .order_by(col(AssociationMembership.product), col(AssociationMembership.association))
    )
    found = list(db.session().exec(query))
    return (found[0][0], [member for _customer, member in found if member is not None]) if found else None


def riders(customer_id: int) -> list[Rider]:
    """The customer's 特約, newest 特約番号 first."""
    return list(
        db.session().exec(select(Rider).where(Rider.customer_id == customer_id).order_by(col(Rider.number).desc()))
    )


def rider_departments(customer_id: int, rider_id: int | None = None) -> dict[int, list[Department]]:
    """rider id → its 部門 (of the customer's 特約, or of one), in one statement."""
    query = (
        select(RiderDepartment.rider_id, Department)
        .join(Department, col(Department.id) == col(RiderDepartment.department_id))
        .where(col(Department.customer_id) == customer_id)
        .order_by(col(Department.code))
    )
    if rider_id is not None:
        query = query.where(col(RiderDepartment.rider_id) == rider_id)
    found: dict[int, list[Department]] = {}
    for rider, department in db.session().exec(query):
        found.setdefault(rider, []).append(department)
    return found


def contracts(customer_id: int) -> list[BlanketContract]:
    return list(
        db.session().exec(
            select(BlanketContract)
            .where(BlanketContract.customer_id == customer_id)
            .order_by(col(BlanketContract.number).desc())
        )
    )


def rider(customer_id: int, rider_id) -> Rider | None:
    if not isinstance(rider_id, int):
        return None
    return db.session().exec(select(Rider).where(Rider.id == rider_id, Rider.customer_id == customer_id)).first()


def contract(customer_id: int, contract_id) -> BlanketContract | None:
    if not isinstance(contract_id, int):
        return None
    query = select(BlanketContract).where(BlanketContract.id == contract_id, BlanketContract.customer_id == customer_id)
    return db.session().exec(query).first()


def rider_buyers(rider_id: int) -> list[tuple[RiderBuyer, Buyer]]:
    """The 企総登録 of the 特約 with their buyers, 有効 first, by バイヤーコード."""
    query = (
        select(RiderBuyer, Buyer)
        .join(Buyer, col(Buyer.id) == col(RiderBuyer.buyer_id))
        .where(col(RiderBuyer.rider_id) == rider_id)
        .order_by(col(RiderBuyer.state).desc(), col(Buyer.code))
    )
    return list(db.session().exec(query))


def blanket_rows(contract_id: int) -> list[tuple[BlanketRegistration, Buyer]]:
    query = (
        select(BlanketRegistration, Buyer)
        .join(Buyer, col(Buyer.id) == col(BlanketRegistration.buyer_id))
        .where(col(BlanketRegistration.contract_id) == contract_id)
        .order_by(col(BlanketRegistration.state).desc(), col(Buyer.code), col(BlanketRegistration.country))
    )
    return list(db.session().exec(query))


def blanket_version(row: BlanketRegistration) -> int:
    """A 簡易包括登録 has no version column: what a change rests on is its state and limit."""
    return zlib.crc32(f"{row.state}:{row.limit_jpy}".encode())


ROWS = {"membership": AssociationMembership, "rider_buyer": RiderBuyer, "blanket_row": BlanketRegistration}


def row_of(kind: str, customer_id: int, row_id) -> tuple[object, Buyer | None] | None:
    """A membership, 企総登録 or 簡易包括登録 of the customer (with its buyer), or None."""
    model = ROWS.get(kind)
    if model is None or not isinstance(row_id, int):
        return None
    if model is AssociationMembership:
        found = db.session().exec(select(model).where(model.id == row_id, model.customer_id == customer_id)).first()
        return (found, None) if found else None
    query = (
        select(model, Buyer)
        .join(Buyer, col(Buyer.id) == col(model.buyer_id))
        .where(col(model.id) == row_id, col(model.customer_id) == customer_id)
    )
    found = db.session().exec(query).first()
    return tuple(found) if found else None


def version_of(kind: str, row) -> int:
    if kind == "blanket_row":
        return blanket_version(row)
    return getattr(row, "version", 0)


# --- writes ---------------------------------------------------------------------------------------


def _snapshot(row) -> dict:
    return {
        key: (value.isoformat() if isinstance(value, date) else str(value) if hasattr(value, "as_tuple") else value)
        for key, value in row.model_dump().items()
        if key not in ("created_at", "updated_at")
    }


def _added(kind: str, row, staff, **extra) -> None:
    audit(f"staff.reg.{kind}_added", staff=staff, customer=row.customer_id, target=row.id,
          before=None, after=_snapshot(row) | extra)  # fmt: skip


def add_membership(customer_id: int, product: str, association: str, joined_on: date, *, staff):
    session = db.session()
    row = AssociationMembership(customer_id=customer_id, product=product, association=association,
                                joined_on=joined_on, created_at=now())  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        raise Taken from error
    _added("membership", row, staff)
    return row


def remove_membership(row: AssociationMembership, *, staff) -> None:
    before = _snapshot(row)
    db.session().delete(row)
    db.session().flush()
    audit("staff.reg.membership_removed", staff=staff, customer=row.customer_id, target=row.id,
          before=before, after=None)  # fmt: skip


def number_taken(number: str) -> bool:
    return db.session().exec(select(Rider.id).where(Rider.number == number)).first() is not None


def add_rider(customer_id: int, number: str, starts_on: date, ends_on: date, department_ids: list[int], *, staff):
    session, moment = db.session(), now()
    row = Rider(number=number, customer_id=customer_id, starts_on=starts_on, ends_on=ends_on,
                created_at=moment, updated_at=moment)  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
            session.add_all(RiderDepartment(rider_id=row.id, department_id=key) for key in department_ids)
            session.flush()
    except IntegrityError as error:  # the 特約番号 registered meanwhile
        raise Taken from error
    _added("rider", row, staff, departments=sorted(department_ids))
    return row


def _registered(model, **keys):
    return db.session().exec(select(model).filter_by(**keys)).first()


def add_rider_buyer(found: Rider, buyer: Buyer, values: dict, *, staff) -> RiderBuyer:
    """企総登録 of a payer under the 特約; a payer whose 企総登録 was deleted is registered again on
    its row (one per 特約 and payer)."""
    moment = now()
    limit = values["limit_jpy"]
    terms = {"destination": values["destination"], "settlement_method": values["settlement_method"],
             "max_usance_days": values["max_usance_days"], "limit_jpy": limit,
             "limit_set_on": today() if limit is not None else None}  # fmt: skip
    row = _registered(RiderBuyer, rider_id=found.id, buyer_id=buyer.id)
    if row is not None and row.state == RegistrationState.IN_FORCE:
        raise Taken
    if row is None:
        row = RiderBuyer(rider_id=found.id, customer_id=found.customer_id, buyer_id=buyer.id, **terms,
                         created_at=moment, updated_at=moment)  # fmt: skip
    else:
        for key, value in terms.items():
            setattr(row, key, value)
        row.state, row.increases, row.updated_at, row.version = RegistrationState.IN_FORCE, 0, moment, row.version + 1
    try:
        with db.session().begin_nested():
            db.session().add(row)
            db.session().flush()
    except IntegrityError as error:
        raise Taken from error
    _added("rider_buyer", row, staff, rider=found.number, buyer=buyer.code)
    return row


def add_blanket(customer_id: int, values: dict, *, staff) -> BlanketContract:
    """The contract, with the 証券番号 of 保険種別 05 from the policies' sequence (C.6)."""
    moment = now()
    row = BlanketContract(number=_policy_number(BLANKET, today()), customer_id=customer_id,
                          post_political=values["post_political"], post_commercial=values["post_commercial"],
                          starts_on=values["starts_on"], ends_on=values["ends_on"],
                          created_at=moment, updated_at=moment)  # fmt: skip
    db.session().add(row)
    db.session().flush()
    _added("blanket", row, staff)
    return row


def add_blanket_row(found: BlanketContract, buyer: Buyer, country: str, limit: int | None, *, staff):
    row = _registered(BlanketRegistration, contract_id=found.id, buyer_id=buyer.id, country=country)
    if row is not None and row.state == RegistrationState.IN_FORCE:
        raise Taken
    if row is None:
        row = BlanketRegistration(contract_id=found.id, customer_id=found.customer_id, buyer_id=buyer.id,
                                  country=country, limit_jpy=limit, created_at=now())  # fmt: skip
    else:
        row.state, row.limit_jpy = RegistrationState.IN_FORCE, limit
    try:
        with db.session().begin_nested():
            db.session().add(row)
            db.session().flush()
    except IntegrityError as error:
        raise Taken from error
    _added("blanket_row", row, staff, contract=found.number, buyer=buyer.code)
    return row


def _change(kind: str, row, version: int, values: dict) -> None:
    """One conditional UPDATE of the row as the screen showed it, then the same on this copy."""
    model = ROWS[kind]
    query = update(model).where(col(model.id) == row.id, col(model.state) == RegistrationState.IN_FORCE)
    if kind == "rider_buyer":
        query = query.where(col(model.version) == version)
        values = values | {"version": model.version + 1, "updated_at": now()}
    else:  # no version column: the state and limit it rests on
        limit = col(model.limit_jpy)
        if version != blanket_version(row):
            raise Stale
        query = query.where(limit.is_(None) if row.limit_jpy is None else limit == row.limit_jpy)
    if db.session().execute(query.values(**values).execution_options(synchronize_session=False)).rowcount != 1:
        raise Stale
    db.session().refresh(row)


def set_limit(kind: str, row, version: int, limit: int | None, *, staff) -> None:
    """支払限度額の変更 (S.6): set directly by staff; a 企総登録 records its 限度額設定日."""
    before = _snapshot(row)
    values = {"limit_jpy": limit} | ({"limit_set_on": today()} if kind == "rider_buyer" else {})
    _change(kind, row, version, values)
    audit(f"staff.reg.{kind}_limit_set", staff=staff, customer=row.customer_id, target=row.id,
          before=before, after=_snapshot(row))  # fmt: skip


def delete_row(kind: str, row, version: int, *, staff) -> None:
    """削除 of a 企総登録 or 簡易包括登録: the row stays, its state 削除."""
    before = _snapshot(row)
    _change(kind, row, version, {"state": RegistrationState.REMOVED})
    audit(f"staff.reg.{kind}_deleted", staff=staff, customer=row.customer_id, target=row.id,
          before=before, after=_snapshot(row))  # fmt: skip


# --- a 特約 or a contract, by kind ----------------------------------------------------------------

ROW_KIND = {"rider": "rider_buyer", "blanket": "blanket_row"}  # what is registered under each


def parent(kind: str, customer_id, parent_id):
    """The customer's 特約 (kind "rider") or 包括保険契約 ("blanket"), or None."""
    if not isinstance(customer_id, int):
        return None
    if kind == "rider":
        return rider(customer_id, parent_id)
    return contract(customer_id, parent_id) if kind == "blanket" else None


def parent_of(kind: str, row) -> tuple[str, int] | None:
    """(parent kind, parent id) of a 企総登録 or 簡易包括登録; None for a membership."""
    if kind == "rider_buyer":
        return "rider", row.rider_id
    return ("blanket", row.contract_id) if kind == "blanket_row" else None


def parent_with_customer(kind: str, customer_id, parent_id):
    """(the 特約 or contract, its customer) in one statement, or None."""
    model = Rider if kind == "rider" else BlanketContract if kind == "blanket" else None
    if model is None or not isinstance(customer_id, int) or not isinstance(parent_id, int):
        return None
    query = (
        select(model, Customer)
        .join(Customer, col(Customer.id) == col(model.customer_id))
        .where(col(model.id) == parent_id, col(model.customer_id) == customer_id)
    )
    found = db.session().exec(query).first()
    return tuple(found) if found else None


def rows_under(kind: str, parent_id: int):
    return rider_buyers(parent_id) if kind == "rider" else blanket_rows(parent_id)
