"""Chapter 11 (DOMAIN.md §11): the loss notices A01 files and the 事故 NEXI's 受理 creates.

A loss notice is the A01's claim on one 決済期限 (船積後) or on the policy's pre-shipment cover
(船積前 / 増加費用), written at its 申込む; whether it "exists" follows the A01's status (申込済,
審査中 or 完了), so 取下げ, 不承認 and 差戻し end it without touching this row. The 事故 exists
only from the 受理 on (11). Amounts are whole minor units of the policy's currency, as in the
contract book (nexi/models/contract.py). All customer-owned (C.4.1).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Index
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class NoticeKind(StrEnum):  # 11-1 通知区分
    PRE = "船積前損失発生通知"
    POST = "船積後損失等発生通知"
    EXTRA = "増加費用損失発生通知"


class LossState(StrEnum):  # 11: there are no other states
    ACCEPTED = "受理"
    CLAIMABLE = "請求可能"
    CLAIMED = "請求済"
    PAID = "支払済"
    LAPSED = "請求期限経過"


OPEN_LOSS = (LossState.ACCEPTED, LossState.CLAIMABLE)  # a claim may still be filed (A03, the daily job)


class LossNotice(SQLModel, table=True):
    """What an A01 is about: the policy and, for 船積後, the 決済期限 (instalment_id)."""

    __tablename__ = "loss_notice"
    __table_args__ = (Index("ix_loss_notice_policy", "policy_id", "instalment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", unique=True)  # the A01
    customer_id: int = Field(foreign_key="customer.id", index=True)
    policy_id: int = Field(foreign_key="policy.id")
    instalment_id: int | None = Field(default=None, foreign_key="policy_instalment.id")  # 船積後 only
    kind: str = Field(max_length=12)  # a NoticeKind


class Loss(SQLModel, table=True):
    """事故 (11): created at an A01's 受理 with its 事故番号 (C.6: A + year + 6 digits)."""

    __tablename__ = "loss"
    __table_args__ = (
        Index("ix_loss_customer_number", "customer_id", "number"),
        Index("ix_loss_state_until", "state", "claim_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=11, unique=True)  # 事故番号
    customer_id: int = Field(foreign_key="customer.id")
    policy_id: int = Field(foreign_key="policy.id", index=True)
    instalment_id: int | None = Field(default=None, foreign_key="policy_instalment.id")
    application_id: int = Field(foreign_key="application.id", unique=True)  # the A01 accepted
    kind: str = Field(max_length=12)  # 通知区分
    cause: str = Field(max_length=2)  # 事故原因 code (11-1)
    fixed_on: date | None = None  # 事故確定日 (船積前 / 増加費用)
    due_on: date | None = None  # 決済期限 (船積後)
    currency: str = Field(max_length=3)
    expected_loss: int = Field(sa_type=BigInteger)  # 損失見込額
    unpaid: int | None = Field(default=None, sa_type=BigInteger, nullable=True)  # 未回収額 (船積後)
    received: int = Field(default=0, sa_type=BigInteger)  # 入金累計 of 元本 (A02)
    received_other: int = Field(default=0, sa_type=BigInteger)  # 入金累計 of 利息・遅延損害金・その他
    claim_from: date  # 請求開始日
    claim_until: date  # 請求期限 (after any 猶予)
    extensions: list = Field(default_factory=list, sa_type=JSON)  # 猶予 history, oldest first
    late: bool = False  # the A01 was 期限超過
    state: str = Field(default=LossState.ACCEPTED, max_length=6)
    claimed_on: date | None = None  # 請求済 (S.9)
    paid_on: date | None = None  # 支払済 (S.9)
    paid_jpy: int | None = Field(default=None, sa_type=BigInteger, nullable=True)  # 保険金 paid
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0

    @property
    def basis(self) -> int:
        """What 元本 入金 reduce: 未回収額 (船積後) or 損失見込額 (船積前, 増加費用) (11)."""
        return self.unpaid if self.kind == NoticeKind.POST and self.unpaid is not None else self.expected_loss

    @property
    def outstanding(self) -> int:
        """未回収残額 = basis − 元本 入金累計, never below 0 (11)."""
        return max(self.basis - self.received, 0)
