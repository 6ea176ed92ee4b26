"""Chapter 11: the loss notices A01 files (on a 決済期限, or on a policy's pre-shipment cover) and
the 事故 that NEXI's 受理 creates, with its claim dates, 入金 and 猶予 history.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
import nexi.models.types

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loss',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('instalment_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('cause', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('fixed_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('expected_loss', sa.BigInteger(), nullable=False),
    sa.Column('unpaid', sa.BigInteger(), nullable=True),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('received_other', sa.BigInteger(), nullable=False),
    sa.Column('claim_from', sa.Date(), nullable=False),
    sa.Column('claim_until', sa.Date(), nullable=False),
    sa.Column('extensions', sa.JSON(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('claimed_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('paid_jpy', sa.BigInteger(), nullable=True),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['instalment_id'], ['policy_instalment.id'], ),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('loss', schema=None) as batch_op:
        batch_op.create_index('ix_loss_customer_number', ['customer_id', 'number'], unique=False)
        batch_op.create_index(batch_op.f('ix_loss_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index('ix_loss_state_until', ['state', 'claim_until'], unique=False)

    op.create_table('loss_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('instalment_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['instalment_id'], ['policy_instalment.id'], ),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id')
    )
    with op.batch_alter_table('loss_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loss_notice_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_loss_notice_policy', ['policy_id', 'instalment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('loss_notice', schema=None) as batch_op:
        batch_op.drop_index('ix_loss_notice_policy')
        batch_op.drop_index(batch_op.f('ix_loss_notice_customer_id'))

    op.drop_table('loss_notice')
    with op.batch_alter_table('loss', schema=None) as batch_op:
        batch_op.drop_index('ix_loss_state_until')
        batch_op.drop_index(batch_op.f('ix_loss_policy_id'))
        batch_op.drop_index('ix_loss_customer_number')

    op.drop_table('loss')
