"""保険利用者 changes as versions (DOMAIN.md 3-5): each completed U01 keeps the values it changes,
effective from its 変更日. The customer row holds the values valid today; a version whose day has
come is applied to it (nexi/customers.py), and every version stays as the history."""

from datetime import date, datetime

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class CustomerVersion(SQLModel, table=True):
    __tablename__ = "customer_version"
    __table_args__ = (Index("ix_customer_version_pending", "customer_id", "applied_at", "effective_from"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    effective_from: date  # 変更日（効力発生日）
    changes: dict = Field(default_factory=dict, sa_type=JSON)  # column → new value
    previous: dict = Field(default_factory=dict, sa_type=JSON)  # column → value it replaced (when applied)
    application_id: int | None = Field(default=None, foreign_key="application.id")  # the U01
    created_at: datetime = Field(sa_type=UTCDateTime)
    applied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
