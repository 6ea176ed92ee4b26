"""Writing the audit log (the table is nexi/models/audit.py): authentication, submissions,
navigation-guard events and staff actions (DOMAIN.md C.4, S.1)."""

from flask import has_request_context, request

from nexi import db
from nexi.clock import real_now
from nexi.models import AuditEvent


def audit(kind: str, *, user=None, staff=None, login_key=None, screen=None, **detail) -> AuditEvent:
    """Add an audit event to this request's transaction: `user` is the Web user concerned,
    `staff` the NEXI staff member (S.1)."""
    event = AuditEvent(
        at=real_now(),
        kind=kind,
        user_id=user.id if user is not None else None,
        customer_id=user.customer_id if user is not None else None,
        staff_user_id=staff.id if staff is not None else None,
        login_key=login_key,
        screen=screen,
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session().add(event)
    return event
