"""Master data (DOMAIN.md M): versioned by 適用開始日; a lookup takes the version valid on a day."""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Country(SQLModel, table=True):
    """M.1 countries: category A–H and the underwriting policy (引受方針)."""

    __tablename__ = "country"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=3)  # 統計国名符号
    valid_from: date
    name_ja: str = Field(max_length=40)
    name_en: str = Field(max_length=60)
    region: str = Field(max_length=20)
    category: str = Field(max_length=1)  # A–H
    policy: str = Field(max_length=10)  # 引受可能 / 条件付引受 / 引受停止
    case_limit_oku: int | None = None  # 案件枠 (億円), 条件付引受 only
    max_usance_months: int | None = None
    lc_condition: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=200)


# Tables loaded by the migrations alone, like in production (the demo data and the tests' reset
# leave their migrated rows as they are).
MASTER_TABLES = frozenset({"country"})
