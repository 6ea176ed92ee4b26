"""Numbers handed out in order (Web申込番号, バイヤーコード …), safe under concurrent use
(nexi/sequences.py hands them out)."""

from sqlmodel import Field, SQLModel


class Sequence(SQLModel, table=True):
    __tablename__ = "sequence"

    name: str = Field(primary_key=True, max_length=40)  # e.g. "web:20260415", "buyer:304"
    value: int = 0
