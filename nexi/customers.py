"""The 保険利用者's registered data over time (DOMAIN.md 3-5): a completed 保険利用者情報変更申請 (U01)
is recorded as a version effective from its 変更日, and applied to the customer row on that day.

Applied when it is recorded if its day has come; otherwise by the first request that reads the
customer on or after that day (`Customer.next_change_on` is read with the login on every request,
so nobody has to act and no screen pays a query for it), and by `run-daily`. 保険利用者コード never
changes.
"""

from datetime import date

from sqlmodel import col, delete, select, update

from nexi import db
from nexi.clock import now, today
from nexi.models import Customer, CustomerVersion, Department, Policy, RiderDepartment

DEPARTMENTS = "departments"  # a version may also replace the 部門 list (a list of {code, name})
# What a version may change (保険利用者コード is not among them).
CHANGEABLE = (
    "name_ja",
    "name_en",
    "postal_code",
    "address_ja",
    "address_en",
    "representative",
    "corporate_number",
    "is_sme",
    "is_agri",
    "contact_department",
    "contact_person",
    "contact_phone",
    "contact_email",
)


def record(customer_id: int, effective_from: date, changes: dict, application_id: int | None = None):
    """Keep a change of the customer's data effective from `effective_from`; apply it if due."""
    unknown = set(changes) - set(CHANGEABLE) - {DEPARTMENTS}
    if unknown:
        raise ValueError(f"not changeable: {sorted(unknown)}")
    version = CustomerVersion(
        customer_id=customer_id,
        effective_from=effective_from,
        changes=dict(changes),
        application_id=application_id,
        created_at=now(),
    )
    db.session().add(version)
    db.session().flush()
    apply_due(customer_id)
    return version


def apply_due(customer_id: int, day: date | None = None) -> Customer:
    """Apply the customer's versions whose day has come, oldest first; note the next one's day."""
    day = day or today()
    session = db.session()
    customer = session.get(Customer, customer_id)
    pending = session.exec(
        select(CustomerVersion)
        .where(CustomerVersion.customer_id == customer_id, col(CustomerVersion.applied_at).is_(None))
        .order_by(col(CustomerVersion.effective_from), col(CustomerVersion.id))
    ).all()
    for version in pending:
        if version.effective_from > day:
            break
        columns = {name: value for name, value in version.changes.items() if name != DEPARTMENTS}
        version.previous = {name: getattr(customer, name) for name in columns}
        for name, value in columns.items():
            setattr(customer, name, value)
        if DEPARTMENTS in version.changes:
            version.previous[DEPARTMENTS] = _replace_departments(customer_id, version.changes[DEPARTMENTS])
        version.applied_at = now()
        session.add(version)
    later = [version.effective_from for version in pending if version.applied_at is None]
    customer.next_change_on = min(later) if later else None
    session.add(customer)
    return customer


def apply_all_due(day: date | None = None) -> int:
    """run-daily: every customer whose recorded change has come into effect."""
    day = day or today()
    due = (
        db.session()
        .exec(select(Customer.id).where(col(Customer.next_change_on).is_not(None), col(Customer.next_change_on) <= day))
        .all()
    )
    for customer_id in due:
        apply_due(customer_id, day)
    return len(due)


def departments(customer_id: int) -> list[Department]:
    """The customer's 部門, by code."""
    return (
        db.session()
        .exec(select(Department).where(Department.customer_id == customer_id).order_by(col(Department.code)))
        .all()
    )


def _replace_departments(customer_id: int, rows: list[dict]) -> list[dict]:
    """Put the 部門 list in place; the list it replaced."""
    session = db.session()
    before = departments(customer_id)
    previous = [{"code": d.code, "name": d.name} for d in before]
    # Matched by code, so a 部門 that stays keeps its row (policies and 特約 refer to it); one that
    # goes is taken off the policies that named it (their 部門 becomes blank) and off the 特約 that
    # covered it before it is deleted.
    wanted = {row["code"]: row["name"] for row in rows}
    gone = [department for department in before if department.code not in wanted]
    if gone:
        ids = [department.id for department in gone]
        session.execute(update(Policy).where(col(Policy.department_id).in_(ids)).values(department_id=None))
        session.execute(delete(RiderDepartment).where(col(RiderDepartment.department_id).in_(ids)))
        for department in gone:
            session.delete(department)
        session.flush()
    kept = {department.code: department for department in before if department.code in wanted}
    for code, name in wanted.items():
        if code in kept:
            kept[code].name = name
        else:
            session.add(Department(customer_id=customer_id, code=code, name=name))
    return previous


def history(customer_id: int) -> list[CustomerVersion]:
    """Every recorded change, newest 変更日 first (保険利用者情報照会 may show them)."""
    return (
        db.session()
        .exec(
            select(CustomerVersion)
            .where(CustomerVersion.customer_id == customer_id)
            .order_by(col(CustomerVersion.effective_from).desc(), col(CustomerVersion.id).desc())
        )
        .all()
    )
