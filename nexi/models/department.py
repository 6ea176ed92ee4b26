"""部門: the departments a 保険利用者 has registered (DOMAIN.md §3; 特約 name them, S.6)."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Department(SQLModel, table=True):
    """One 部門 of a 保険利用者: a code of up to six letters or digits, and its name."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("customer_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    code: str = Field(max_length=6)  # alnum(6)
    name: str = Field(max_length=60)
