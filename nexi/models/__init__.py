"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from nexi.models.application import STATUS_LABELS, Application, ApplicationEvent, Attachment, Status
from nexi.models.audit import AuditEvent, audit
from nexi.models.auth import LoginFailure, LoginSession
from nexi.models.buyer import Buyer, BuyerStatus
from nexi.models.customer import Customer, Role, WebUser
from nexi.models.master import Country
from nexi.models.notice import Notice, NoticeCategory
from nexi.models.sequence import Sequence, next_value

__all__ = [
    "STATUS_LABELS",
    "Application",
    "ApplicationEvent",
    "Attachment",
    "Buyer",
    "BuyerStatus",
    "Country",
    "Sequence",
    "Status",
    "next_value",
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
