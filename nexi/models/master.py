"""Master data (DOMAIN.md M): versioned by 適用開始日; a lookup takes the version valid on a day."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from nexi.models.types import ExactDecimal


def _factor(nullable=False):
    return Field(sa_column=Column(ExactDecimal(), nullable=nullable))


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


class Currency(SQLModel, table=True):
    """M.2 currencies: decimals and the 換算レート (円 per unit) for estimates and JPY accounting."""

    __tablename__ = "currency"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=3)
    valid_from: date
    decimals: int
    rate: Decimal = _factor()


class Rating(SQLModel, table=True):
    """M.3 buyer ratings: meaning, credit-risk cover (可 / 枠要 / 不可) and the 格付係数 (none where
    credit risk is not coverable)."""

    __tablename__ = "rating"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=2)
    valid_from: date
    position: int  # the order of M.3
    meaning: str = Field(max_length=60)
    cover: str = Field(max_length=2)
    coefficient: Decimal | None = _factor(nullable=True)


class Commodity(SQLModel, table=True):
    """M.4 商品区分 and its 商品係数."""

    __tablename__ = "commodity"
    __table_args__ = (UniqueConstraint("name", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=20)
    valid_from: date
    position: int
    coefficient: Decimal = _factor()


class Tariff(SQLModel, table=True):
    """§6 基準料率 = a·X + b per phase (pre = 船積前, post = 船積後) and country category."""

    __tablename__ = "tariff"
    __table_args__ = (UniqueConstraint("phase", "category", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    phase: str = Field(max_length=4)
    category: str = Field(max_length=1)
    valid_from: date
    a: Decimal = _factor()  # %/日
    b: Decimal = _factor()  # %


class TariffWeights(SQLModel, table=True):
    """§6 the weights w_p (political) and w_c (commercial) of the てん補調整係数."""

    __tablename__ = "tariff_weights"

    id: int | None = Field(default=None, primary_key=True)
    valid_from: date = Field(unique=True)
    political: Decimal = _factor()
    commercial: Decimal = _factor()


# Tables loaded by the migrations alone, like in production (the demo data and the tests' reset
# leave their migrated rows as they are).
MASTER_TABLES = frozenset({"country", "currency", "rating", "commodity", "tariff", "tariff_weights"})
