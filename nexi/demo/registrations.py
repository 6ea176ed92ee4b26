"""Demo registrations (S.6) of 株式会社サンプル精機, so that every 包括 product can be tried on
`make run`: 組合 membership for 設備財 and 消費財 (JMC), a 企業総合 特約 for the current year with
its 部門 and 企総登録 — an EE payer with a 支払限度額 (ID1 offers 90), an EM payer without one (50),
an EA payer registered with no limit (0) — and a 簡易通知型 包括保険契約 (97.5 / 90) with
簡易包括登録 of two buyers. 東和トレーディング holds none of them (its menus show the reasons).
"""

from decimal import Decimal

from sqlmodel import select

from nexi import db
from nexi.clock import now, today
from nexi.models import (
    AssociationMembership,
    BlanketContract,
    BlanketRegistration,
    Buyer,
    Department,
    Rider,
    RiderBuyer,
    RiderDepartment,
)
from nexi.registrations import BLANKET, CONSUMER, EQUIPMENT
from nexi.sequences import next_value

RIDER_NUMBER_SERIAL = 1
# payer, 仕向国, 決済方法, 最長ユーザンス, 支払限度額 (None = registered without a limit)
RIDER_BUYERS = [
    ("304-000102", "304", "送金", 180, 200_000_000),
    ("105-000201", "105", "D/A", 120, None),
    ("111-000301", "111", "送金", 90, None),
]
# buyer, 仕向国, 支払限度額
BLANKET_BUYERS = [("304-000101", "304", 100_000_000), ("213-000401", "213", None)]


def _buyers(codes) -> dict[str, Buyer]:
    return {buyer.code: buyer for buyer in db.session().exec(select(Buyer).where(Buyer.code.in_(codes)))}


def seed(customer) -> None:
    session = db.session()
    day, moment = today(), now()
    for product in (EQUIPMENT, CONSUMER):
        session.add(AssociationMembership(customer_id=customer.id, product=product, association="JMC",
                                          joined_on=day.replace(year=day.year - 3, day=1), created_at=moment))  # fmt: skip
    rider = Rider(
        number=f"T{day.year}{RIDER_NUMBER_SERIAL:05d}",
        customer_id=customer.id,
        starts_on=day.replace(month=1, day=1),
        ends_on=day.replace(month=12, day=31),
        created_at=moment,
        updated_at=moment,
    )
    session.add(rider)
    session.flush()
    for department in session.exec(select(Department).where(Department.customer_id == customer.id)):
        session.add(RiderDepartment(rider_id=rider.id, department_id=department.id))
    buyers = _buyers([code for code, *_ in RIDER_BUYERS] + [code for code, *_ in BLANKET_BUYERS])
    for code, country, method, usance, limit in RIDER_BUYERS:
        session.add(RiderBuyer(rider_id=rider.id, customer_id=customer.id, buyer_id=buyers[code].id,
                               destination=country, settlement_method=method, max_usance_days=usance,
                               limit_jpy=limit, limit_set_on=rider.starts_on if limit else None,
                               created_at=moment, updated_at=moment))  # fmt: skip
    contract = BlanketContract(
        number=f"{BLANKET}{day.year}{next_value(f'policy:{BLANKET}:{day.year}'):08d}",
        customer_id=customer.id,
        post_political=Decimal("97.5"),
        post_commercial=Decimal("90"),
        starts_on=day.replace(month=1, day=1),
        ends_on=day.replace(month=12, day=31),
        created_at=moment,
        updated_at=moment,
    )
    session.add(contract)
    session.flush()
    for code, country, limit in BLANKET_BUYERS:
        session.add(BlanketRegistration(contract_id=contract.id, customer_id=customer.id, buyer_id=buyers[code].id,
                                        country=country, limit_jpy=limit, created_at=moment))  # fmt: skip
    session.flush()
