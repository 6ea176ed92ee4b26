"""期限が近いお手続き on the user page (issue 20): the スリーピング候補 whose 解除申請期限 falls in the
next 30 days are found by status and deadline, not by reading the whole buyer register.

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_buyer_status_release", "buyer", ["status", "release_deadline"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_buyer_status_release", table_name="buyer")
