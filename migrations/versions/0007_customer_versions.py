"""保険利用者 changes as versions (U01, DOMAIN.md 3-5): customer_version keeps each completed
change with its 変更日, and customer.next_change_on the day the nearest one takes effect.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import nexi.models.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("created_at", nexi.models.types.UTCDateTime(), nullable=False),
        sa.Column("applied_at", nexi.models.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_version_pending", ["customer_id", "applied_at", "effective_from"], unique=False
        )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_change_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_column("next_change_on")
    with op.batch_alter_table("customer_version", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_version_pending")
    op.drop_table("customer_version")
