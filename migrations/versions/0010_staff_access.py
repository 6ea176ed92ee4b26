"""NEXI staff access (DOMAIN.md S.1): the staff accounts, and the login tables shared with the
customers (a login session or a login waiting for its one-time password belongs to a Web user or
to a staff member; an audit event may name the staff member who acted).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import nexi.models.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SHARED = ("login_session", "login_challenge")


def upgrade() -> None:
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login_id", sa.String(length=20), nullable=False),
        sa.Column("login_key", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("reviewer", sa.Boolean(), nullable=False),
        sa.Column("manager", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("temporary_password", sa.Boolean(), nullable=False),
        sa.Column("temporary_password_at", nexi.models.types.UTCDateTime(), nullable=True),
        sa.Column("otp_secret", sa.String(length=255), nullable=True),
        sa.Column("otp_enrolled_at", nexi.models.types.UTCDateTime(), nullable=True),
        sa.Column("otp_last_step", sa.Integer(), nullable=True),
        sa.Column("otp_last_used_at", nexi.models.types.UTCDateTime(), nullable=True),
        sa.Column("last_login_at", nexi.models.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", nexi.models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login_key"),
    )
    for table in SHARED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
            batch_op.add_column(sa.Column("staff_user_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_staff_user_id"), ["staff_user_id"], unique=False)
            batch_op.create_foreign_key(f"fk_{table}_staff_user_id", "staff_user", ["staff_user_id"], ["id"])
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_audit_event_staff_user_id", "staff_user", ["staff_user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint("fk_audit_event_staff_user_id", type_="foreignkey")
        batch_op.drop_column("staff_user_id")
    for table in SHARED:
        op.execute(sa.text(f"DELETE FROM {table} WHERE user_id IS NULL"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_staff_user_id", type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_staff_user_id"))
            batch_op.drop_column("staff_user_id")
            batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("staff_user")
