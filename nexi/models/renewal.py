"""The 更新案 of a 企業総合保険特約 (DOMAIN.md 8-4, S.6): issued by NEXI staff from
add_months(満了日, −NEXI_RENEWAL_PROPOSAL_MONTHS), one row per 有効 企総登録 with the last-year insured
turnover and the current and proposed limits; the customer's 管理者 answers it with K04 (申込済),
NEXI's 完了 of that K04 — or staff's decision on an unanswered one — renews the 特約 (完了 / NEXI決定).
Customer-owned (C.4.1): every row carries the customer's id. Amounts whole yen."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class ProposalState(StrEnum):
    OPEN = "提示中"
    SUBMITTED = "申込済"  # a K04 answers it
    DONE = "完了"  # the K04's 完了 renewed the 特約
    DECIDED = "NEXI決定"  # renewed as proposed, without a submission


class RenewalProposal(SQLModel, table=True):
    """更新案 of one 特約 (one per 特約: a 特約 is renewed once)."""

    __tablename__ = "renewal_proposal"
    __table_args__ = (Index("ix_renewal_proposal_customer", "customer_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    rider_id: int = Field(foreign_key="rider.id", unique=True)
    customer_id: int = Field(foreign_key="customer.id")
    issued_on: date
    deadline_on: date  # 更新申込期限
    state: str = Field(default=ProposalState.OPEN, max_length=6)
    application_id: int | None = Field(default=None, foreign_key="application.id", nullable=True)  # the K04
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0


class RenewalProposalRow(SQLModel, table=True):
    """One buyer of the 更新案: its turnover under the 特約 (保険価額 船後 in yen), limits, and 削除予定
    when no policy of the 特約期間 named it."""

    __tablename__ = "renewal_proposal_row"
    __table_args__ = (UniqueConstraint("proposal_id", "buyer_id"), Index("ix_renewal_row_customer", "customer_id"))

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="renewal_proposal.id")
    customer_id: int = Field(foreign_key="customer.id")
    buyer_id: int = Field(foreign_key="buyer.id")
    last_year_turnover_jpy: int | None = Field(default=None, sa_type=BigInteger, nullable=True)
    current_limit_jpy: int | None = Field(default=None, sa_type=BigInteger, nullable=True)
    proposed_limit_jpy: int | None = Field(default=None, sa_type=BigInteger, nullable=True)
    unused: bool = False  # 削除予定
