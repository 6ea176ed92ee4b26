"""NEXI's own staff (DOMAIN.md S.1): their accounts, apart from the customers' Web users."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from nexi.models.auth import SealedText
from nexi.models.types import UTCDateTime

REVIEWER = "審査担当"  # the review queue and its decisions (S.2, S.3)
MANAGER = "管理担当"  # customers, users, buyers, limits, masters, notices, and the staff accounts
ROLES = (REVIEWER, MANAGER)


class StaffUser(SQLModel, table=True):
    """One NEXI staff member: a login of the staff area, with one or both roles.

    The columns of the password and of the one-time password are those of `WebUser`, so the
    authentication core (nexi/auth/) serves both; TOTP is mandatory for staff (no on/off column)."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    login_id: str = Field(max_length=20)  # C.6 rules, as registered; login accepts any case
    login_key: str = Field(max_length=20, unique=True)  # casefolded, for lookup and uniqueness
    name: str = Field(max_length=40)
    reviewer: bool = False  # 審査担当
    manager: bool = False  # 管理担当
    active: bool = True
    password_hash: str = Field(max_length=200)
    temporary_password: bool = False
    temporary_password_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    otp_secret: str | None = Field(default=None, sa_type=SealedText)  # encrypted (nexi/auth/otp.py)
    otp_enrolled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    otp_last_step: int | None = None
    otp_last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def roles(self) -> list[str]:
        return role_names(self)


def role_names(staff) -> list[str]:
    """The roles a staff row holds, in their fixed order (works on Core-loaded rows too)."""
    return [name for name, held in ((REVIEWER, staff.reviewer), (MANAGER, staff.manager)) if held]
