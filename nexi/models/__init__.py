"""SQLModel tables, one module per aggregate. Importing this package registers them all.

The model layer imports nothing of the app above it (nexi.db included, tests/unit/test_import_graph.py):
what reads or writes the tables through the request's session lives in service modules
(nexi/audit.py, nexi/sequences.py, nexi/notices.py …)."""

from nexi.models.application import STATUS_LABELS, Application, ApplicationEvent, ApplicationMemo, Attachment, Status
from nexi.models.audit import AuditEvent
from nexi.models.auth import LoginFailure, LoginSession
from nexi.models.buyer import Buyer, BuyerRating, BuyerStatus, SleepingBatch
from nexi.models.contract import (
    Confirmation,
    ConfirmationState,
    Earmark,
    EarmarkState,
    Instalment,
    Policy,
    PolicyChange,
    PolicyState,
)
from nexi.models.customer import Customer, Role, WebUser
from nexi.models.customer_version import CustomerVersion
from nexi.models.department import Department
from nexi.models.loss import OPEN_LOSS, Loss, LossNotice, LossState, NoticeKind
from nexi.models.master import Commodity, Country, Currency, Rating, Tariff, TariffWeights
from nexi.models.notice import Notice, NoticeCategory
from nexi.models.registration import (
    AssociationMembership,
    BlanketContract,
    BlanketRegistration,
    BlanketShipment,
    BlanketState,
    RegistrationState,
    Rider,
    RiderBuyer,
    RiderDepartment,
    RiderState,
    ShipmentState,
)
from nexi.models.renewal import ProposalState, RenewalProposal, RenewalProposalRow
from nexi.models.sequence import Sequence
from nexi.models.staff import StaffUser

__all__ = [
    "OPEN_LOSS",
    "Loss",
    "LossNotice",
    "LossState",
    "NoticeKind",
    "AssociationMembership",
    "BlanketContract",
    "BlanketRegistration",
    "BlanketShipment",
    "BlanketState",
    "RegistrationState",
    "Rider",
    "RiderBuyer",
    "RiderDepartment",
    "RiderState",
    "ShipmentState",
    "ProposalState",
    "RenewalProposal",
    "RenewalProposalRow",
    "STATUS_LABELS",
    "Application",
    "ApplicationEvent",
    "ApplicationMemo",
    "Attachment",
    "Buyer",
    "BuyerRating",
    "BuyerStatus",
    "SleepingBatch",
    "Commodity",
    "Confirmation",
    "ConfirmationState",
    "Earmark",
    "EarmarkState",
    "Instalment",
    "Policy",
    "PolicyChange",
    "PolicyState",
    "Country",
    "Currency",
    "Rating",
    "Tariff",
    "TariffWeights",
    "Sequence",
    "StaffUser",
    "Status",
    "AuditEvent",
    "Customer",
    "Department",
    "CustomerVersion",
    "LoginFailure",
    "LoginSession",
    "Notice",
    "NoticeCategory",
    "Role",
    "WebUser",
]
