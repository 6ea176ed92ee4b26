"""Web申込状況一覧: one index answers the whole search — the bounded count and the ids of a page,
sorted by 最終更新日時 — without reading a row, so a page costs the same with years of history.
It replaces the (customer, 申込日時, 状況, 保存日時) index, which is its prefix.

The user page's count of 差戻し (⑦) gets a (customer, 状況, user) index: it used the status index
and counted every company's 差戻し.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ["customer_id", "listed_at", "status", "saved_at", "procedure", "user_id", "updated_at", "number"]


def upgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_customer_listed")
        batch_op.create_index("ix_application_list", COLUMNS, unique=False)
        batch_op.create_index("ix_application_customer_status", ["customer_id", "status", "user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_customer_status")
        batch_op.drop_index("ix_application_list")
        batch_op.create_index(
            "ix_application_customer_listed", ["customer_id", "listed_at", "status", "saved_at"], unique=False
        )
