"""5-1 海外商社情報's search key: 英文名称 and 別名 normalised (NFKC, case-folded, spaces collapsed)
in a column of the buyer, filled for the buyers already registered; on PostgreSQL a trigram index
(pg_trgm) serves the partial-name search, which SQLite answers by scanning the column.

The normalisation is written out here rather than imported, as the data a migration loads is
(0012): this migration keeps filling what it filled when it was written.

Revision ID: 0013
Revises: 0012
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _text(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


def upgrade() -> None:
    with op.batch_alter_table("buyer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(), nullable=True))
    connection = op.get_bind()
    buyer = sa.table("buyer", sa.column("id", sa.Integer), sa.column("name_en"), sa.column("alias"),
                     sa.column("search_key"))  # fmt: skip
    rows = connection.execute(sa.select(buyer.c.id, buyer.c.name_en, buyer.c.alias)).all()
    if rows:
        connection.execute(
            buyer.update().where(buyer.c.id == sa.bindparam("row_id")).values(search_key=sa.bindparam("key")),
            [{"row_id": row.id, "key": f"{_text(row.name_en)}\n{_text(row.alias)}"} for row in rows],
        )
    with op.batch_alter_table("buyer", schema=None) as batch_op:
        batch_op.alter_column("search_key", existing_type=sa.String(), nullable=False)
    if connection.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # gin (search_key gin_trgm_ops) on PostgreSQL; SQLite ignores the options (the model declares
    # the index for both, so that the schema and the models compare equal on either)
    op.create_index(
        "ix_buyer_search_key",
        "buyer",
        ["search_key"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_key": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_buyer_search_key", table_name="buyer")
    with op.batch_alter_table("buyer", schema=None) as batch_op:
        batch_op.drop_column("search_key")
    # pg_trgm stays: other objects may use the extension by now
