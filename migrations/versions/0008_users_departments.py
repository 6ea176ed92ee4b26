"""⑯ ユーザー管理 (DOMAIN.md §3): the 部門 of each 保険利用者, and of each Web user its 氏名カナ and
when its 仮パスワード was issued (it expires after NEXI_TEMP_PASSWORD_DAYS, 3-2).

A 仮パスワード set before this revision has no issue time: it counts as issued now.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import nexi.models.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "code"),
    )
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_department_customer_id"), ["customer_id"], unique=False)
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_kana", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("temporary_password_at", nexi.models.types.UTCDateTime(), nullable=True))
    web_user = sa.table(
        "web_user",
        sa.column("temporary_password", sa.Boolean),
        sa.column("temporary_password_at", nexi.models.types.UTCDateTime()),
    )
    op.execute(
        web_user.update()
        .where(web_user.c.temporary_password.is_(True))
        .values(temporary_password_at=sa.func.current_timestamp())
    )
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.alter_column("name_kana", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.drop_column("temporary_password_at")
        batch_op.drop_column("name_kana")
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_customer_id"))
    op.drop_table("department")
