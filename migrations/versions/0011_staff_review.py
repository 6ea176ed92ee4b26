"""The staff console's data (DOMAIN.md S.2–S.7): an application's version, 担当 and 確認済 tick,
who at NEXI made each status change, internal memos; the buyers' rating history and the
sleeping-buyer batches; draft and withdrawn お知らせ.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

import nexi.models.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", nexi.models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_application_assignee_id", "staff_user", ["assignee_id"], ["id"])
        batch_op.create_foreign_key("fk_application_confirmed_by_id", "staff_user", ["confirmed_by_id"], ["id"])
        batch_op.create_index("ix_application_queue", ["status", "listed_at", "number"], unique=False)
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.alter_column("version", server_default=None)
    with op.batch_alter_table("application_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_application_event_staff_user_id", "staff_user", ["staff_user_id"], ["id"])
    op.create_table(
        "application_memo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("at", nexi.models.types.UTCDateTime(), nullable=False),
        sa.Column("body", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.ForeignKeyConstraint(["staff_user_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_application_memo_application_id", "application_memo", ["application_id"], unique=False)

    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("withdrawn_at", nexi.models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", nexi.models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("staff_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_notice_staff_user_id", "staff_user", ["staff_user_id"], ["id"])
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.alter_column("draft", server_default=None)

    op.create_table(
        "sleeping_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("published_at", nexi.models.types.UTCDateTime(), nullable=False),
        sa.Column("release_deadline", sa.Date(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("buyer_count", sa.Integer(), nullable=False),
        sa.Column("removed_at", nexi.models.types.UTCDateTime(), nullable=True),
        sa.Column("removed_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.ForeignKeyConstraint(["staff_user_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sleeping_batch_release_deadline", "sleeping_batch", ["release_deadline"], unique=False)
    with op.batch_alter_table("buyer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sleeping_batch_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_buyer_sleeping_batch_id", ["sleeping_batch_id"], unique=False)
        batch_op.create_foreign_key("fk_buyer_sleeping_batch_id", "sleeping_batch", ["sleeping_batch_id"], ["id"])
    op.create_table(
        "buyer_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=2), nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", nexi.models.types.UTCDateTime(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["buyer_id"], ["buyer.id"]),
        sa.ForeignKeyConstraint(["staff_user_id"], ["staff_user.id"]),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_buyer_rating_buyer_id", "buyer_rating", ["buyer_id"], unique=False)
    # The register's ratings so far become the first entry of each buyer's history.
    op.execute(
        sa.text(
            "INSERT INTO buyer_rating (buyer_id, rating, rated_on, recorded_at, note) "
            "SELECT id, rating, rated_on, registered_at, '登録時の格付' FROM buyer"
        )
    )


def downgrade() -> None:
    op.drop_index("ix_buyer_rating_buyer_id", table_name="buyer_rating")
    op.drop_table("buyer_rating")
    with op.batch_alter_table("buyer", schema=None) as batch_op:
        batch_op.drop_constraint("fk_buyer_sleeping_batch_id", type_="foreignkey")
        batch_op.drop_index("ix_buyer_sleeping_batch_id")
        batch_op.drop_column("sleeping_batch_id")
    op.drop_index("ix_sleeping_batch_release_deadline", table_name="sleeping_batch")
    op.drop_table("sleeping_batch")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_constraint("fk_notice_staff_user_id", type_="foreignkey")
        for column in ("staff_user_id", "updated_at", "withdrawn_at", "draft"):
            batch_op.drop_column(column)
    op.drop_index("ix_application_memo_application_id", table_name="application_memo")
    op.drop_table("application_memo")
    with op.batch_alter_table("application_event", schema=None) as batch_op:
        batch_op.drop_constraint("fk_application_event_staff_user_id", type_="foreignkey")
        batch_op.drop_column("staff_user_id")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_queue")
        batch_op.drop_constraint("fk_application_confirmed_by_id", type_="foreignkey")
        batch_op.drop_constraint("fk_application_assignee_id", type_="foreignkey")
        for column in ("confirmed_by_id", "confirmed_at", "assignee_id", "version"):
            batch_op.drop_column(column)
