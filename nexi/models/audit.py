"""The audit log: authentication, submissions and navigation-guard events (DOMAIN.md C.4)."""

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from nexi.db import UTCDateTime


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    kind: str = Field(max_length=40, index=True)  # e.g. login.failure, guard.stale_token
    user_id: int | None = Field(default=None, foreign_key="web_user.id")
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    login_key: str | None = Field(default=None, max_length=64)
    screen: str | None = Field(default=None, max_length=60)
    remote_addr: str | None = Field(default=None, max_length=45)
    detail: dict = Field(default_factory=dict, sa_type=JSON)


def audit(kind: str, *, user=None, login_key=None, screen=None, **detail) -> AuditEvent:
    """Add an audit event to this request's transaction."""
    from flask import has_request_context, request

    from nexi import db
    from nexi.clock import real_now

    event = AuditEvent(
        at=real_now(),
        kind=kind,
        user_id=user.id if user is not None else None,
        customer_id=user.customer_id if user is not None else None,
        login_key=login_key,
        screen=screen,
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session().add(event)
    return event
