"""The L/C発行・確認銀行 of a shipment settled by L/C (9-2: the 簡易通知型 L/C exemption), kept so that
IE2's 訂正 starts from it.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('blanket_shipment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lc_bank_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('blanket_shipment', schema=None) as batch_op:
        batch_op.drop_column('lc_bank_code')

