"""Web申込状況一覧: the (customer, 申込日時) index also covers 状況 and 保存日時, so the bounded count
of a search is answered from the index alone.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_customer_listed")
        batch_op.create_index(
            "ix_application_customer_listed", ["customer_id", "listed_at", "status", "saved_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_customer_listed")
        batch_op.create_index("ix_application_customer_listed", ["customer_id", "listed_at"], unique=False)
