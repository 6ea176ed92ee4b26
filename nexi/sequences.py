"""Numbers handed out in order (Web申込番号, バイヤーコード …), safe under concurrent use (the
table is nexi/models/sequence.py)."""

from nexi import db
from nexi.models import Sequence


def next_value(name: str) -> int:
    """Take the next number of sequence `name` (1, 2, …) in one atomic statement.

    INSERT … ON CONFLICT DO UPDATE … RETURNING is a single statement on both engines: PostgreSQL
    serialises concurrent callers on the row lock, SQLite on its write lock, so no two callers
    ever get the same number.
    """
    table = Sequence.__table__
    statement = (
        db.insert(table)
        .values(name=name, value=1)
        .on_conflict_do_update(index_elements=[table.c.name], set_={"value": table.c.value + 1})
        .returning(table.c.value)
    )
    return db.session().execute(statement).scalar_one()
