"""Statement budget recipes of 登録情報 on the console (S.6): a customer's 組合員資格, 特約 and
包括保険契約 (1 and 50 of each), a 特約 with 1 and 50 企総登録, a 包括保険契約 with 1 and 50
簡易包括登録, and the 入力 / 確認 screens. They are those of a customer of their own (code 800000777,
copied from the demo's first), so the demo's registrations stay as they are."""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import delete, select

from nexi import db
from nexi.models import (
    AssociationMembership,
    BlanketContract,
    BlanketRegistration,
    Buyer,
    Customer,
    Department,
    Rider,
    RiderBuyer,
    RiderDepartment,
)
from tests.support.recipes import Recipe, Rows

TEMPLATE, SHOWN = "123456789", "800000777"
RIDER, CONTRACT = "T209900001", "05209900000001"  # the 特約 and contract the detail screens show
MOMENT = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)
CUSTOMERS, BUYERS = Customer.__table__, Buyer.__table__
MEMBERS, RIDERS, RIDER_DEPARTMENTS = AssociationMembership.__table__, Rider.__table__, RiderDepartment.__table__
RIDER_BUYERS, CONTRACTS, BLANKET_ROWS = RiderBuyer.__table__, BlanketContract.__table__, BlanketRegistration.__table__


def _customer(connection) -> int:
    """The customer the screens show (made on first use, with one 部門)."""
    found = connection.execute(select(CUSTOMERS.c.id).where(CUSTOMERS.c.code == SHOWN)).scalar()
    if found is None:
        template = connection.execute(select(CUSTOMERS).where(CUSTOMERS.c.code == TEMPLATE)).one()
        values = {key: value for key, value in template._mapping.items() if key != "id"}
        connection.execute(CUSTOMERS.insert(), [values | {"code": SHOWN, "name_ja": "株式会社登録コピー"}])
        found = connection.execute(select(CUSTOMERS.c.id).where(CUSTOMERS.c.code == SHOWN)).scalar_one()
        connection.execute(Department.__table__.insert(), [{"customer_id": found, "code": "EXP", "name": "輸出部"}])
    return found


def _department(connection, customer: int) -> int:
    table = Department.__table__
    return connection.execute(select(table.c.id).where(table.c.customer_id == customer)).scalar_one()


def _rider_row(customer: int, number: str) -> dict:
    return {"number": number, "customer_id": customer, "starts_on": date(2099, 1, 1), "ends_on": date(2099, 12, 31),
            "state": "有効", "created_at": MOMENT, "updated_at": MOMENT, "version": 0}  # fmt: skip


def _contract_row(customer: int, number: str) -> dict:
    return {"number": number, "customer_id": customer, "post_political": Decimal("97.5"),
            "post_commercial": Decimal("90"), "starts_on": date(2099, 1, 1), "ends_on": date(2099, 12, 31),
            "state": "有効", "created_at": MOMENT, "updated_at": MOMENT, "version": 0}  # fmt: skip


def _shown_rider(connection) -> int:
    customer = _customer(connection)
    found = connection.execute(select(RIDERS.c.id).where(RIDERS.c.number == RIDER)).scalar()
    if found is None:
        found = connection.execute(RIDERS.insert().returning(RIDERS.c.id), _rider_row(customer, RIDER)).scalar_one()
        connection.execute(
            RIDER_DEPARTMENTS.insert(), {"rider_id": found, "department_id": _department(connection, customer)}
        )
    return found


def _shown_contract(connection) -> int:
    customer = _customer(connection)
    found = connection.execute(select(CONTRACTS.c.id).where(CONTRACTS.c.number == CONTRACT)).scalar()
    if found is None:
        found = connection.execute(
            CONTRACTS.insert().returning(CONTRACTS.c.id), _contract_row(customer, CONTRACT)
        ).scalar_one()
    return found


def _buyers(connection, n: int) -> list[int]:
    """n buyers: 304-000101 and copies of it coded 996-NNNNNN."""
    template = connection.execute(select(BUYERS).where(BUYERS.c.code == "304-000101")).one()
    ids = [template.id]
    if n > 1:
        existing = list(connection.execute(select(BUYERS.c.id).where(BUYERS.c.code.startswith("996-"))).scalars())
        if len(existing) < n - 1:
            values = {key: value for key, value in template._mapping.items() if key != "id"}
            connection.execute(
                BUYERS.insert(),
                [values | {"code": f"996-{700000 + i:06d}", "name_en": f"REGISTRATION COPY {i}", "head_office_id": None}
                 for i in range(len(existing), n - 1)],
            )  # fmt: skip
            existing = list(connection.execute(select(BUYERS.c.id).where(BUYERS.c.code.startswith("996-"))).scalars())
        ids += existing[: n - 1]
    return ids


def _memberships(connection, n: int) -> None:
    customer = _customer(connection)
    connection.execute(delete(MEMBERS).where(MEMBERS.c.customer_id == customer))
    connection.execute(
        MEMBERS.insert(),
        [{"customer_id": customer, "product": "02", "association": "JMC" if i == 0 else f"X{i:03d}",
          "joined_on": date(2020, 4, 1), "created_at": MOMENT} for i in range(n)],
    )  # fmt: skip


def _riders(connection, n: int) -> None:
    """The customer's 特約: the shown one and n - 1 more, each with its 部門."""
    customer, shown = _customer(connection), _shown_rider(connection)
    others = select(RIDERS.c.id).where(RIDERS.c.customer_id == customer, RIDERS.c.id != shown)
    connection.execute(delete(RIDER_DEPARTMENTS).where(RIDER_DEPARTMENTS.c.rider_id.in_(others)))
    connection.execute(delete(RIDERS).where(RIDERS.c.id.in_(others)))
    department = _department(connection, customer)
    for i in range(1, n):
        found = connection.execute(
            RIDERS.insert().returning(RIDERS.c.id), _rider_row(customer, f"T2098{i:05d}")
        ).scalar_one()
        connection.execute(RIDER_DEPARTMENTS.insert(), {"rider_id": found, "department_id": department})


def _contracts(connection, n: int) -> None:
    customer, shown = _customer(connection), _shown_contract(connection)
    connection.execute(delete(CONTRACTS).where(CONTRACTS.c.customer_id == customer, CONTRACTS.c.id != shown))
    if n > 1:
        connection.execute(CONTRACTS.insert(), [_contract_row(customer, f"05209800{i:06d}") for i in range(1, n)])


def _rider_buyers(connection, n: int) -> None:
    customer, rider = _customer(connection), _shown_rider(connection)
    connection.execute(delete(RIDER_BUYERS).where(RIDER_BUYERS.c.rider_id == rider))
    connection.execute(
        RIDER_BUYERS.insert(),
        [{"rider_id": rider, "customer_id": customer, "buyer_id": buyer, "destination": "304",
          "settlement_method": "送金", "max_usance_days": 90, "limit_jpy": 1_000_000 if i % 2 else None,
          "limit_set_on": date(2099, 1, 1) if i % 2 else None, "increases": 0, "state": "有効",
          "created_at": MOMENT, "updated_at": MOMENT, "version": 0}
         for i, buyer in enumerate(_buyers(connection, n))],
    )  # fmt: skip


def _blanket_rows(connection, n: int) -> None:
    customer, contract = _customer(connection), _shown_contract(connection)
    connection.execute(delete(BLANKET_ROWS).where(BLANKET_ROWS.c.contract_id == contract))
    connection.execute(
        BLANKET_ROWS.insert(),
        [{"contract_id": contract, "customer_id": customer, "buyer_id": buyer, "country": "304",
          "limit_jpy": 1_000_000 if i % 2 else None, "state": "有効", "created_at": MOMENT}
         for i, buyer in enumerate(_buyers(connection, n))],
    )  # fmt: skip


def _with(app, make) -> int:
    with app.app_context():
        with db.engine().begin() as connection:
            return make(connection)


def _rider_buyer(connection) -> int:
    _rider_buyers(connection, 1)
    return connection.execute(
        select(RIDER_BUYERS.c.id).where(RIDER_BUYERS.c.rider_id == _shown_rider(connection))
    ).scalar_one()


def _ids(app) -> dict:
    return {"customer_id": _with(app, _customer)}


ROWS = {
    "registration_memberships": Rows(_memberships, "tr.membership-row"),
    "registration_riders": Rows(_riders, "tr.rider-row"),
    "registration_contracts": Rows(_contracts, "tr.contract-row"),
    "registration_rider_buyers": Rows(_rider_buyers, "tr.rider-buyer-row"),
    "registration_blanket_rows": Rows(_blanket_rows, "tr.blanket-row"),
}
RECIPES = {
    "staff.registrations": Recipe(_ids, ("registration_memberships", "registration_riders", "registration_contracts")),
    "staff.registration_add": Recipe(
        lambda app: (
            _ids(app)
            | {"kind": "rider", "values": {"number": "T20260000"}, "errors": {"number": ["特約番号を入力してください"]}}
        )
    ),  # fmt: skip
    "staff.registration_rider": Recipe(
        lambda app: _ids(app) | {"kind": "rider", "parent_id": _with(app, _shown_rider)}, ("registration_rider_buyers",)
    ),
    "staff.registration_blanket": Recipe(
        lambda app: _ids(app) | {"kind": "blanket", "parent_id": _with(app, _shown_contract)},
        ("registration_blanket_rows",),
    ),
    "staff.registration_row_add": Recipe(
        lambda app: _ids(app) | {"kind": "rider", "parent_id": _with(app, _shown_rider), "values": {}}
    ),
    "staff.registration_limit": Recipe(
        lambda app: (
            _ids(app)
            | {"kind": "rider_buyer", "row_id": _with(app, _rider_buyer), "version": 0, "values": {"limit_jpy": ""}}
        )  # fmt: skip
    ),
    "staff.registration_remove": Recipe(
        lambda app: _ids(app) | {"kind": "rider_buyer", "row_id": _with(app, _rider_buyer), "version": 0}
    ),
}
