"""What NEXI staff register for a customer so that the 包括 products can be used (DOMAIN.md §8, 9-4,
S.6): the 企業総合保険 特約 with its 部門 and 企総登録, the 簡易通知型 包括保険契約 with its 簡易包括登録
and the shipments recorded under it (IE1 / IE2), and association (組合) membership for 設備財 and
消費財. All customer-owned (C.4.1): every row carries the customer's id.

Amounts are whole minor units of their currency, limits (支払限度額) whole yen, as in contract.py.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from nexi.models.types import ExactDecimal, UTCDateTime


class RiderState(StrEnum):  # 8: 特約 状態
    IN_FORCE = "有効"
    RENEWING = "更新手続中"
    EXPIRED = "満了"


class RegistrationState(StrEnum):  # 企総登録 / 簡易包括登録
    IN_FORCE = "有効"
    REMOVED = "削除"


class BlanketState(StrEnum):  # 簡易通知型 包括保険契約
    IN_FORCE = "有効"
    EXPIRED = "満了"
    CANCELLED = "解約"


class ShipmentState(StrEnum):  # a shipment recorded by IE1's 完了, cancelled by IE2 取消
    RECORDED = "有効"
    CANCELLED = "取消"


class Rider(SQLModel, table=True):
    """企業総合保険 特約 (8): 特約番号 (C.6, entered by staff), one 特約期間 of a year, its 部門."""

    __tablename__ = "rider"
    __table_args__ = (Index("ix_rider_customer_state", "customer_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=10, unique=True)  # T + year(4) + serial(5)
    customer_id: int = Field(foreign_key="customer.id")
    starts_on: date  # 特約期間
    ends_on: date  # 満了日
    state: str = Field(default=RiderState.IN_FORCE, max_length=5)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0


class RiderDepartment(SQLModel, table=True):
    """A 部門 the 特約 covers (8; K04 adds or removes them)."""

    __tablename__ = "rider_department"

    rider_id: int = Field(foreign_key="rider.id", primary_key=True)
    department_id: int = Field(foreign_key="department.id", primary_key=True)


class RiderBuyer(SQLModel, table=True):
    """企総登録 (8): a payer under the 特約, with the 保険金支払限度額 that decides ID1's 船後信用
    付保率 (9-2). Not a balance: nothing consumes it. limit_jpy None = no limit set."""

    __tablename__ = "rider_buyer"
    __table_args__ = (
        UniqueConstraint("rider_id", "buyer_id"),
        Index("ix_rider_buyer_customer", "customer_id", "buyer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rider_id: int = Field(foreign_key="rider.id")
    customer_id: int = Field(foreign_key="customer.id")
    buyer_id: int = Field(foreign_key="buyer.id")  # バイヤーコード (the payer)
    destination: str = Field(max_length=3)  # 仕向国
    settlement_method: str = Field(max_length=10)  # 決済条件: the 9-1 決済方法
    max_usance_days: int | None = None  # 最長ユーザンス (K03)
    limit_jpy: int | None = Field(default=None, sa_type=BigInteger, nullable=True)  # 支払限度額
    limit_set_on: date | None = None  # 限度額設定日
    increases: int = 0  # 増額回数 (K02)
    state: str = Field(default=RegistrationState.IN_FORCE, max_length=4)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0


class AssociationMembership(SQLModel, table=True):
    """組合 membership (9-4): the association that holds the 設備財 (02) or 消費財 (03) 特約 and is
    the 保険契約者 of the member's applications."""

    __tablename__ = "association_membership"
    __table_args__ = (UniqueConstraint("customer_id", "product", "association"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    product: str = Field(max_length=2)  # 保険種別コード 02 / 03
    association: str = Field(max_length=10)  # a key of nexi.registrations.ASSOCIATIONS
    joined_on: date
    created_at: datetime = Field(sa_type=UTCDateTime)


class BlanketContract(SQLModel, table=True):
    """簡易通知型 包括保険契約 (9-4, S.6): registered by staff, who set the 付保率 and 保険期間; the
    system assigns its 証券番号 (保険種別 05) at registration."""

    __tablename__ = "blanket_contract"
    __table_args__ = (Index("ix_blanket_contract_customer_state", "customer_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=14, unique=True)  # 保険証券番号 (C.6)
    customer_id: int = Field(foreign_key="customer.id")
    post_political: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))  # 97.5 / 100
    post_commercial: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))  # 90 / 0
    starts_on: date  # 保険期間
    ends_on: date
    state: str = Field(default=BlanketState.IN_FORCE, max_length=4)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0


class BlanketRegistration(SQLModel, table=True):
    """簡易包括登録: a buyer and a 仕向国 registered under the contract, with its 支払限度額
    (9-2: the contract's 90 applies only where it is > 0, or under the L/C exemption)."""

    __tablename__ = "blanket_registration"
    __table_args__ = (
        UniqueConstraint("contract_id", "buyer_id", "country"),
        Index("ix_blanket_registration_customer", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="blanket_contract.id")
    customer_id: int = Field(foreign_key="customer.id")
    buyer_id: int = Field(foreign_key="buyer.id")
    country: str = Field(max_length=3)  # 仕向国
    limit_jpy: int | None = Field(default=None, sa_type=BigInteger, nullable=True)  # 支払限度額
    state: str = Field(default=RegistrationState.IN_FORCE, max_length=4)
    created_at: datetime = Field(sa_type=UTCDateTime)


class BlanketShipment(SQLModel, table=True):
    """A shipment (or one month's shipments) recorded under a 包括保険契約 by the 完了 of an IE1,
    identified by that IE1; one 決済期限 of the contract's schedule (A01, L03). IE2 corrects or
    cancels it; `history` keeps every earlier version (9-4)."""

    __tablename__ = "blanket_shipment"
    __table_args__ = (Index("ix_blanket_shipment_contract", "contract_id", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="blanket_contract.id")
    customer_id: int = Field(foreign_key="customer.id", index=True)
    application_id: int = Field(foreign_key="application.id", unique=True)  # the IE1
    aggregation: str = Field(max_length=4)  # 集計区分 個別 / 月まとめ
    shipped_on: date  # 船積日 (月まとめ: the first day of the 船積月)
    buyer_id: int = Field(foreign_key="buyer.id")
    destination: str = Field(max_length=3)  # 仕向国
    currency: str = Field(max_length=3)
    amount: int = Field(sa_type=BigInteger)  # 船積金額
    count: int | None = None  # 件数 (月まとめ)
    settlement_method: str = Field(max_length=10)
    lc_bank_code: str | None = Field(default=None, max_length=10)  # L/C発行・確認銀行 of an L/C settlement
    due_on: date  # 決済期限
    usance_days: int
    post_political: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))
    post_commercial: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))  # 90 or 0 (9-2)
    settled: int = Field(default=0, sa_type=BigInteger)
    settled_on: date | None = None
    state: str = Field(default=ShipmentState.RECORDED, max_length=2)
    history: list = Field(default_factory=list, sa_type=JSON)  # earlier versions, oldest first
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0
