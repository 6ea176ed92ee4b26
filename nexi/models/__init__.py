"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from nexi.models.audit import AuditEvent, audit
from nexi.models.auth import LoginFailure, LoginSession
from nexi.models.customer import Customer, Role, WebUser
from nexi.models.notice import Notice, NoticeCategory

__all__ = [
    "AuditEvent",
    "audit",
    "Customer",
    "LoginFailure",
    "LoginSession",
    "Notice",
    "NoticeCategory",
    "Role",
    "WebUser",
]
