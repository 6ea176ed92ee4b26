"""Web申込状況一覧: the (customer[, user], 最終更新日時, number) indexes also hold the search's
criteria (申込日時, 状況, 保存日時, 手続種別, user), so a page of a search whose 期間 reaches today
is found by walking them in the list's order and stopping after the page, without sorting the
period's matches or reading a row; a (customer, 手続種別, 最終更新日時, …) index does the same, and
counts, for a search by 手続種別 within that procedure's entries.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CRITERIA = ["listed_at", "status", "saved_at", "procedure"]
RECENT = ["customer_id", "updated_at", "number", *CRITERIA, "user_id"]
USER_RECENT = ["customer_id", "user_id", "updated_at", "number", *CRITERIA]
PROCEDURE = ["customer_id", "procedure", "updated_at", "number", "listed_at", "status", "saved_at", "user_id"]


def upgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_customer_updated")
        batch_op.drop_index("ix_application_customer_user_updated")
        batch_op.create_index("ix_application_recent", RECENT, unique=False)
        batch_op.create_index("ix_application_user_recent", USER_RECENT, unique=False)
        batch_op.create_index("ix_application_procedure", PROCEDURE, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_procedure")
        batch_op.drop_index("ix_application_user_recent")
        batch_op.drop_index("ix_application_recent")
        batch_op.create_index(
            "ix_application_customer_user_updated", ["customer_id", "user_id", "updated_at", "number"], unique=False
        )
        batch_op.create_index("ix_application_customer_updated", ["customer_id", "updated_at", "number"], unique=False)
