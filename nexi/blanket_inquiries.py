"""What 5-2 保険契約 reads of the customer's 簡易通知型 包括保険契約 (DOMAIN.md 9-4, S.6): the
contracts as list rows beside the policies (nexi/contract_inquiries.py merges them), the shipments
recorded under them by IE1 / IE2, and a contract's detail. Customer-owned (C.4.1): every statement
takes the customer's id and is scoped by it.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlmodel import col

from nexi import applications, db, masters, registrations
from nexi.inquiries import LIMIT, buyer_ids
from nexi.models import Application, BlanketContract, BlanketRegistration, BlanketShipment, Buyer, ShipmentState


@dataclass
class BlanketRow:
    """A 簡易通知型 包括保険契約 as the 5-2 list shows it: its recorded shipments summed up
    (summarise_blankets fills them in for the rows shown)."""

    contract: BlanketContract
    shipments: int = 0  # recorded, not cancelled
    last_due: date | None = None
    blanket = True

    @property
    def key(self) -> str:
        return f"{self.contract.number}-00"

    @property
    def product_name(self) -> str:
        return masters.PRODUCTS.get(registrations.BLANKET, registrations.BLANKET)


def search_blankets(customer_id: int, criteria: dict, limit: int) -> list[BlanketRow]:
    """The customer's 包括保険契約 the criteria name (one statement): 証券番号 (枝番 00), 保険種別 05,
    a buyer 簡易包括登録 under it or shipped to, its 状態, its 保険期間 overlapping From/To."""
    number, _, branch = (criteria.get("number") or "").partition("-")
    if criteria.get("product") not in ("", None, registrations.BLANKET) or branch not in ("", "00"):
        return []
    query = select(BlanketContract).where(col(BlanketContract.customer_id) == customer_id)
    if number:
        query = query.where(col(BlanketContract.number) == number)
    if criteria.get("buyer"):
        ids = buyer_ids(criteria["buyer"])
        registered = select(BlanketRegistration.contract_id).where(
            col(BlanketRegistration.customer_id) == customer_id, col(BlanketRegistration.buyer_id).in_(ids)
        )
        shipped = select(BlanketShipment.contract_id).where(
            col(BlanketShipment.customer_id) == customer_id, col(BlanketShipment.buyer_id).in_(ids)
        )
        query = query.where(or_(col(BlanketContract.id).in_(registered), col(BlanketContract.id).in_(shipped)))
    if criteria.get("state"):
        query = query.where(col(BlanketContract.state) == criteria["state"])
    if criteria.get("period_from"):
        query = query.where(col(BlanketContract.ends_on) >= date.fromisoformat(criteria["period_from"]))
    if criteria.get("period_to"):
        query = query.where(col(BlanketContract.starts_on) <= date.fromisoformat(criteria["period_to"]))
    rows = db.session().scalars(query.order_by(col(BlanketContract.number).desc()).limit(limit))
    return [BlanketRow(row) for row in rows]


def summarise_blankets(customer_id: int, rows: list[BlanketRow]) -> None:
    """The shown contracts' recorded shipments counted, with their last 決済期限: one statement."""
    if not rows:
        return
    found = db.session().execute(
        select(BlanketShipment.contract_id, func.count(), func.max(BlanketShipment.due_on))
        .where(
            col(BlanketShipment.customer_id) == customer_id,
            col(BlanketShipment.contract_id).in_([row.contract.id for row in rows]),
            col(BlanketShipment.state) == ShipmentState.RECORDED,
        )
        .group_by(col(BlanketShipment.contract_id))
    )
    by_contract = {contract_id: (count, last) for contract_id, count, last in found}
    for row in rows:
        row.shipments, row.last_due = by_contract.get(row.contract.id, (0, None))


@dataclass(frozen=True)
class Shipment:
    """A recorded shipment as the detail shows it, with its buyer and its IE1's Web申込番号."""

    row: BlanketShipment
    buyer_code: str
    buyer_name: str
    notice_number: str

    def amount(self, value) -> str:
        return masters.money(int(value), self.row.currency)


@dataclass(frozen=True)
class BlanketDetail:
    row: BlanketRow
    registrations: list[tuple[BlanketRegistration, str, str]]  # with the buyer's code and name
    shipments: list[Shipment]
    related: list[Application]

    @property
    def contract(self) -> BlanketContract:
        return self.row.contract


def find_blanket(customer_id: int, key: str | None) -> BlanketDetail | None:
    """The customer's own 包括保険契約 「証券番号-00」 with its 簡易包括登録, its recorded shipments
    (訂正履歴 in each) and the related Web申込 the user may see: four statements whatever its rows."""
    number, _, branch = (key or "").partition("-")
    if not (number.isdigit() and len(number) == 14 and number.startswith(registrations.BLANKET) and branch == "00"):
        return None
    session = db.session()
    # the contract with its 簡易包括登録 (one row each, or one without any)
    found = session.execute(
        select(BlanketContract, BlanketRegistration, Buyer.code, Buyer.name_en)
        .outerjoin(
            BlanketRegistration,
            (col(BlanketRegistration.contract_id) == col(BlanketContract.id))
            & (col(BlanketRegistration.customer_id) == customer_id),
        )
        .outerjoin(Buyer, col(Buyer.id) == col(BlanketRegistration.buyer_id))
        .where(col(BlanketContract.customer_id) == customer_id, col(BlanketContract.number) == number)
        .order_by(col(Buyer.code), col(BlanketRegistration.country))
    ).all()
    if not found:
        return None
    contract = found[0][0]
    registered = [(registration, code, name) for _, registration, code, name in found if registration is not None]
    shipped = session.execute(
        select(BlanketShipment, Buyer.code, Buyer.name_en, Application.number)
        .join(Buyer, col(Buyer.id) == col(BlanketShipment.buyer_id))
        .join(Application, col(Application.id) == col(BlanketShipment.application_id))
        .where(col(BlanketShipment.contract_id) == contract.id, col(BlanketShipment.customer_id) == customer_id)
        .order_by(col(BlanketShipment.shipped_on).desc(), col(BlanketShipment.id).desc())
    ).all()
    shipments = [Shipment(*row) for row in shipped]
    # the IE1 that recorded its shipments (対象 = the 証券番号) and the IE2 about them (対象 = an IE1's number)
    about = or_(
        col(Application.target_key) == number, col(Application.target_key).in_([s.notice_number for s in shipments])
    )
    related = list(
        session.scalars(
            select(Application)
            .where(*applications.scope(), about)
            .order_by(col(Application.updated_at).desc(), col(Application.number).desc())
            .limit(LIMIT)
        )
    )
    live = [s.row for s in shipments if s.row.state == ShipmentState.RECORDED]
    row = BlanketRow(contract, len(live), max((s.due_on for s in live), default=None))
    return BlanketDetail(row=row, registrations=registered, shipments=shipments, related=related)
