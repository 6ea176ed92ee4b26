"""Web申込 (DOMAIN.md §4): one instance of a procedure, from its first 確認 to its result."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, LargeBinary
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWING = "reviewing"
    RETURNED = "returned"
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: "一時保存",
    Status.SUBMITTED: "申込済",
    Status.REVIEWING: "審査中",
    Status.RETURNED: "差戻し",
    Status.COMPLETED: "完了",
    Status.REJECTED: "不承認",
    Status.WITHDRAWN: "取下げ",
    Status.EXPIRED: "期限切れ",
}
FINAL = {Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED}


# The search's columns in the orders its indexes need (see __table_args__ and status/queries.py):
# 期間 (申込日時) first, for any window; the list's own order (最終更新日時, number) first, to walk
# when the window reaches today and stop after a page; or 手続種別, then that order. 最終更新日時 is
# never before 申込日時 (the walks rely on it).
CRITERIA = ("listed_at", "status", "saved_at", "procedure")
LIST_INDEX = ("customer_id", *CRITERIA, "user_id", "updated_at", "number")
RECENT_INDEX = ("customer_id", "updated_at", "number", *CRITERIA, "user_id")
USER_RECENT_INDEX = ("customer_id", "user_id", "updated_at", "number", *CRITERIA)
PROCEDURE_INDEX = ("customer_id", "procedure", "updated_at", "number", "listed_at", "status", "saved_at", "user_id")


class Application(SQLModel, table=True):
    """A Web申込. `data` holds the input of each step as submitted (strings, as typed)."""

    __tablename__ = "application"
    __table_args__ = (
        # Web申込状況一覧 and ⑦: newest update first, per company (管理者) or per user (一般). A
        # page of a search whose 期間 reaches today is found by walking these and stopping after
        # the page; they hold every criterion, so no row is read to test one.
        Index("ix_application_recent", *RECENT_INDEX),
        Index("ix_application_user_recent", *USER_RECENT_INDEX),
        # The search (期間, 状況, 手続種別, 申込者) answered from the index alone: the bounded count,
        # and a page of an older 期間, its ids sorted before any row is read.
        Index("ix_application_list", *LIST_INDEX),
        # … and a search by 手続種別, walked and counted in that procedure's entries alone.
        Index("ix_application_procedure", *PROCEDURE_INDEX),
        # ⑦'s count of 差戻し, per company or user (not all companies' 差戻し of the status index).
        Index("ix_application_customer_status", "customer_id", "status", "user_id"),
        Index("ix_application_status_saved", "status", "saved_at"),
        # The staff review queue (S.2): across customers, by status, oldest 申込日時 first.
        Index("ix_application_queue", "status", "listed_at", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=15, unique=True)  # Web申込番号 W + yyyymmdd + 6 digits
    customer_id: int = Field(foreign_key="customer.id")
    user_id: int = Field(foreign_key="web_user.id")  # the creator (申込者)
    procedure: str = Field(max_length=4)  # code of DOMAIN.md C.1
    status: str = Field(max_length=10)  # a Status value
    data: dict = Field(default_factory=dict, sa_type=JSON)
    target: str = Field(default="", max_length=200)  # 対象: buyer name, 証券番号, 事故番号 …
    target_key: str | None = Field(default=None, max_length=20, index=True)  # バイヤーコード / 証券番号
    created_at: datetime = Field(sa_type=UTCDateTime)  # first 確認
    saved_at: datetime = Field(sa_type=UTCDateTime)  # last 一時保存
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # first 申込む
    listed_at: datetime = Field(sa_type=UTCDateTime)  # 申込日時 (保存日時 for drafts): what 期間 filters
    updated_at: datetime = Field(sa_type=UTCDateTime)  # 最終更新日時
    overdue: bool = False  # 期限超過, judged at the first 申込む
    needs_review: bool = True  # flow R (NEXI acts) or A (automatic)
    comment: str | None = Field(default=None, max_length=2000)  # NEXI's latest comment (差戻し, 不承認)
    result: dict = Field(default_factory=dict, sa_type=JSON)  # what 完了 produced (numbers, rating …)
    # Every change of status adds 1: a decision is one UPDATE on the status and the version the
    # deciding screen showed, so a double submit or a second decision changes nothing (S.2).
    version: int = 0
    assignee_id: int | None = Field(default=None, foreign_key="staff_user.id")  # 担当 (S.2, 受付)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # flow A: NEXI's 確認済 tick
    confirmed_by_id: int | None = Field(default=None, foreign_key="staff_user.id")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    def answers(self) -> dict:
        """The answers of all its steps in one mapping (field name → value), as a 完了 hook or
        NEXI's result form reads them."""
        merged = {}
        for values in (self.data or {}).get("values", {}).values():
            merged.update(values)
        return merged


class ApplicationEvent(SQLModel, table=True):
    """状況履歴: every change of status, with who made it (お客様 / NEXI) and any comment."""

    __tablename__ = "application_event"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(max_length=10)
    by_nexi: bool = False
    user_id: int | None = Field(default=None, foreign_key="web_user.id")
    # Who at NEXI acted, for NEXI's eyes only: customers see 「NEXI」 (C.4).
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")
    comment: str | None = Field(default=None, max_length=2000)


class ApplicationMemo(SQLModel, table=True):
    """An internal memo of NEXI staff on an application (S.2): shown on no customer screen, 控え,
    CSV or message."""

    __tablename__ = "application_memo"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    staff_user_id: int = Field(foreign_key="staff_user.id")
    at: datetime = Field(sa_type=UTCDateTime)
    body: str = Field(max_length=2000)


class Attachment(SQLModel, table=True):
    """An uploaded PDF. Held by a procedure in progress (application_id empty) until its first
    確認 links it to the Web申込; always owned by one 保険利用者."""

    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    user_id: int = Field(foreign_key="web_user.id")
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    field: str = Field(max_length=40)  # which question it answers
    filename: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)
