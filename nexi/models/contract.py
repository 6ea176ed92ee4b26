"""The contract book (DOMAIN.md §9, §10): policies with their 決済期限 and 変更履歴, 確認 of a
buyer's 個別保証枠 and the earmarks applications take from them. All customer-owned (C.4.1).

Amounts in a contract's currency are whole minor units (cents for USD, yen for JPY: the currency's
decimals of M.2), so that balances are exact integers a conditional UPDATE can compare and change
on every database; amounts in yen for the limit accounting end in `_jpy`.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from nexi.models.types import ExactDecimal, UTCDateTime


def _money(nullable=False, default=None):
    """An amount column: 13 integer digits and the decimals, or 16 digits of yen (C.5)."""
    if nullable:
        return Field(default=None, sa_type=BigInteger, nullable=True)
    return Field(sa_type=BigInteger) if default is None else Field(default=default, sa_type=BigInteger)


class PolicyState(StrEnum):  # 9-5: the first that applies
    CANCELLED = "解約"
    LOSS = "事故"
    SETTLED = "決済済"
    PART_SETTLED = "一部決済"
    IN_FORCE = "有効"


class ConfirmationState(StrEnum):  # 10
    CONFIRMED = "確認済"
    PART_USED = "一部使用"
    USED = "使用済"
    EXPIRED = "期限切れ"
    RETURNED = "枠戻し済"


OPEN_CONFIRMATION = (ConfirmationState.CONFIRMED, ConfirmationState.PART_USED)


class EarmarkState(StrEnum):
    OPEN = "open"  # taken at 申込む, pending the application's end
    USED = "used"  # its application reached 完了: now 使用額 of the policy
    RELEASED = "released"  # 取下げ / 不承認


class Confirmation(SQLModel, table=True):
    """確認 (10-1): a reservation on one buyer's 個別保証枠 for one customer, product and currency.

    残額 = amount − earmarked − used − returned (in the currency); reserved_jpy is the 予約残円 it
    still holds of the buyer's 予約額."""

    __tablename__ = "confirmation"
    __table_args__ = (Index("ix_confirmation_buyer_state", "buyer_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=11, unique=True)  # 確認管理番号 K + year + serial
    customer_id: int = Field(foreign_key="customer.id", index=True)
    buyer_id: int = Field(foreign_key="buyer.id")
    application_id: int | None = Field(default=None, foreign_key="application.id")  # the L01
    product: str = Field(max_length=2)  # 保険種別コード (C.6): 01, 02 or 06
    currency: str = Field(max_length=3)
    amount: int = _money()  # 確認額
    rate: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))  # M.2 on the approval date
    amount_jpy: int = _money()  # 確認額円 = floor(amount × rate)
    reserved_jpy: int = _money()  # 予約残円
    earmarked: int = _money(default=0)
    used: int = _money(default=0)
    returned: int = _money(default=0)
    approved_on: date
    valid_until: date  # 有効期限: add_months(approved_on, 3) − 1 day
    state: str = Field(default=ConfirmationState.CONFIRMED, max_length=6)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0


class Policy(SQLModel, table=True):
    """A policy (保険証券) created by the 完了 of IA1–ID1 or IF1 (9-5), or a 簡易通知型 包括保険契約
    registered by NEXI staff (S.6)."""

    __tablename__ = "policy"
    __table_args__ = (
        UniqueConstraint("number", "branch"),
        Index("ix_policy_customer_number", "customer_id", "number", "branch"),
        Index("ix_policy_payer_state", "payer_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=14)  # 保険証券番号 (C.6)
    branch: str = Field(default="00", max_length=2)  # 枝番
    customer_id: int = Field(foreign_key="customer.id")
    application_id: int | None = Field(default=None, foreign_key="application.id")  # the I*1
    product: str = Field(max_length=2)  # 保険種別コード
    state: str = Field(default=PolicyState.IN_FORCE, max_length=4)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    contract_type: str = Field(max_length=2)  # 契約形態 11 / 15 / 21
    contract_no: str = Field(default="", max_length=30)  # 輸出契約番号
    contracted_on: date  # 契約締結日
    effective_on: date | None = None  # 発効日
    counterparty_id: int = Field(foreign_key="buyer.id")  # 契約相手方
    counterparty_name: str = Field(default="", max_length=140)  # 契約書上の名称
    payer_id: int = Field(foreign_key="buyer.id")  # 支払人
    guarantor_id: int | None = Field(default=None, foreign_key="buyer.id")  # 保証人
    lc_bank_id: int | None = Field(default=None, foreign_key="buyer.id")  # L/C発行・確認銀行
    lc_confirmed: bool = False  # 確認L/C
    destination: str = Field(max_length=3)  # 仕向国
    goods: str = Field(max_length=100)  # 貨物名
    commodity: str = Field(max_length=20)  # 商品区分 (M.4)
    currency: str = Field(max_length=3)
    contract_amount: int = _money()  # 契約金額
    advance: int = _money(default=0)  # 前受金
    fob: int | None = _money(nullable=True)  # FOB価額
    first_shipment_on: date
    last_shipment_on: date
    settlement_method: str = Field(max_length=10)  # 決済方法
    usance_days: int
    cover_pre: bool = False  # 付保 船前
    pre_political: Decimal | None = Field(default=None, sa_column=Column(ExactDecimal(), nullable=True))
    pre_commercial: Decimal | None = Field(default=None, sa_column=Column(ExactDecimal(), nullable=True))
    post_political: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))
    post_commercial: Decimal = Field(sa_column=Column(ExactDecimal(), nullable=False))
    value_pre: int | None = _money(nullable=True)  # 保険価額 船前 (= FOB価額)
    value_post: int = _money()  # 保険価額 船後 (= 契約金額 − 前受金)
    premium_jpy: int = _money()  # 保険料
    premium_reason: str = Field(default="", max_length=500)  # why staff changed the tariff's figure
    liability_reason: str = Field(default="", max_length=500)  # why staff changed the 9-4 保険責任開始日
    liability_from: date  # 保険責任開始日
    period_to: date  # 保険期間 end: the last 決済期限
    foreign_currency_rider: bool = False  # 外貨建対応特約
    # 設備財 / 消費財: the 組合 shown as 保険契約者 (9-4); 企業総合: the 特約 it was declared under
    association: str | None = Field(default=None, max_length=10)
    rider_id: int | None = Field(default=None, foreign_key="rider.id", index=True)
    # the product's own answers kept with the policy (機種区分, 案件区分, 品目, 受取人, 銀行名 …)
    details: dict = Field(default_factory=dict, sa_type=JSON)
    # 個別保証枠: the 確認 its credit cover came from, the 使用額円 it holds, and the credit-covered
    # outstanding (in the currency) that L02 / L03 / 金額減額 reduce
    confirmation_id: int | None = Field(default=None, foreign_key="confirmation.id", index=True)
    used_jpy: int = _money(default=0)
    credit_outstanding: int = _money(default=0)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 0


class Instalment(SQLModel, table=True):
    """One row of a policy's 決済スケジュール (決済期限, 金額) with what was settled on it (L03)."""

    __tablename__ = "policy_instalment"
    __table_args__ = (UniqueConstraint("policy_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    policy_id: int = Field(foreign_key="policy.id")
    position: int  # 1 … 決済回数
    due_on: date  # 決済期限
    amount: int = _money()
    settled: int = _money(default=0)
    settled_on: date | None = None  # the latest 決済日


class PolicyChange(SQLModel, table=True):
    """変更履歴 (9-5): what a 完了 of I*2 (or NEXI) changed, with the 追加/返還保険料."""

    __tablename__ = "policy_change"

    id: int | None = Field(default=None, primary_key=True)
    policy_id: int = Field(foreign_key="policy.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id")
    at: datetime = Field(sa_type=UTCDateTime)
    kinds: str = Field(max_length=100)  # the 変更種別, 「・」-joined
    before: dict = Field(default_factory=dict, sa_type=JSON)
    after: dict = Field(default_factory=dict, sa_type=JSON)
    premium_change_jpy: int = _money(default=0)  # 追加 (> 0) / 返還 (< 0) 保険料
    material: bool = False  # 重大な変更


class Earmark(SQLModel, table=True):
    """What an application's 申込む took from a 確認 (10): its 船後保険価額 (or increment) in the
    確認's currency and floor(amount × rate) yen of the 確認's 予約残円."""

    __tablename__ = "earmark"

    id: int | None = Field(default=None, primary_key=True)
    confirmation_id: int = Field(foreign_key="confirmation.id", index=True)
    # one open at a time: a resubmission after 差戻し releases it and takes a new one (10)
    application_id: int = Field(foreign_key="application.id", index=True)
    policy_id: int | None = Field(default=None, foreign_key="policy.id")  # at 完了
    amount: int = _money()
    amount_jpy: int = _money()
    state: str = Field(default=EarmarkState.OPEN, max_length=8)
    created_at: datetime = Field(sa_type=UTCDateTime)
