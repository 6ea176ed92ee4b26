"""The audit log: authentication, submissions and navigation-guard events (DOMAIN.md C.4);
nexi/audit.py writes it."""

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from nexi.models.types import UTCDateTime


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    kind: str = Field(max_length=40, index=True)  # e.g. login.failure, guard.stale_token
    user_id: int | None = Field(default=None, foreign_key="web_user.id")
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id")  # a NEXI staff member acted
    login_key: str | None = Field(default=None, max_length=64)
    screen: str | None = Field(default=None, max_length=60)
    remote_addr: str | None = Field(default=None, max_length=45)
    detail: dict = Field(default_factory=dict, sa_type=JSON)
