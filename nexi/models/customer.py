"""保険利用者 (customer company) and its Webユーザー (DOMAIN.md §3)."""

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from nexi.models.auth import SealedText
from nexi.models.types import UTCDateTime


class Customer(SQLModel, table=True):
    """保険利用者: the tenant every customer-owned row belongs to."""

    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=9, unique=True)  # 保険利用者コード, N9
    name_ja: str = Field(max_length=60)
    name_en: str = Field(max_length=140)
    postal_code: str = Field(max_length=8)
    address_ja: str = Field(max_length=200)
    address_en: str = Field(default="", max_length=200)
    representative: str = Field(default="", max_length=100)  # 代表者役職・氏名
    corporate_number: str = Field(default="", max_length=13)  # 法人番号
    is_sme: bool = False  # 中小企業区分
    is_agri: bool = False  # 農林水産業区分
    contact_department: str = Field(default="", max_length=60)
    contact_person: str = Field(default="", max_length=60)
    contact_phone: str = Field(default="", max_length=20)
    contact_email: str = Field(default="", max_length=254)
    # The day the nearest recorded change (CustomerVersion) takes effect: read with the customer on
    # every request, so a change dated today applies without another query (nexi/customers.py).
    next_change_on: date | None = None


class Role(StrEnum):
    ADMIN = "admin"
    GENERAL = "general"

    @property
    def label(self) -> str:
        return {"admin": "管理者", "general": "一般"}[self.value]


class WebUser(SQLModel, table=True):
    """Webユーザー: one login of one 保険利用者."""

    __tablename__ = "web_user"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    login_id: str = Field(max_length=20)  # as registered; login accepts any case
    login_key: str = Field(max_length=20, unique=True)  # casefolded, for lookup and uniqueness
    name: str = Field(max_length=40)
    name_kana: str = Field(default="", max_length=40)  # 氏名カナ, full-width katakana
    department: str = Field(default="", max_length=40)
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)
    role: str = Field(default=Role.GENERAL, max_length=10)  # a Role value
    active: bool = True
    password_hash: str = Field(max_length=200)
    temporary_password: bool = False
    temporary_password_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # issued (3-2 expiry)
    otp_enabled: bool = False
    otp_secret: str | None = Field(default=None, sa_type=SealedText)  # encrypted (nexi/auth/otp.py)
    otp_enrolled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    otp_last_step: int | None = None  # the last accepted TOTP time step; no code at or below it again
    otp_last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
