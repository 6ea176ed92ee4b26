"""The contract book (DOMAIN.md §9, §10): 確認, policies with their 決済期限 and 変更履歴, and the
earmarks applications take from a 確認; and the buyer's 設定額 widened to the 16 digits of yen that
C.5 allows (it was a 32-bit integer on PostgreSQL).

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
import nexi.models.types

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('product', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('rate', nexi.models.types.ExactDecimal(length=40), nullable=False),
    sa.Column('amount_jpy', sa.BigInteger(), nullable=False),
    sa.Column('reserved_jpy', sa.BigInteger(), nullable=False),
    sa.Column('earmarked', sa.BigInteger(), nullable=False),
    sa.Column('used', sa.BigInteger(), nullable=False),
    sa.Column('returned', sa.BigInteger(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('confirmation', schema=None) as batch_op:
        batch_op.create_index('ix_confirmation_buyer_state', ['buyer_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_confirmation_customer_id'), ['customer_id'], unique=False)

    op.create_table('policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('branch', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('product', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('contract_type', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('contract_no', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('contracted_on', sa.Date(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('counterparty_id', sa.Integer(), nullable=False),
    sa.Column('counterparty_name', sqlmodel.sql.sqltypes.AutoString(length=140), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=False),
    sa.Column('guarantor_id', sa.Integer(), nullable=True),
    sa.Column('lc_bank_id', sa.Integer(), nullable=True),
    sa.Column('lc_confirmed', sa.Boolean(), nullable=False),
    sa.Column('destination', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('goods', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('commodity', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('contract_amount', sa.BigInteger(), nullable=False),
    sa.Column('advance', sa.BigInteger(), nullable=False),
    sa.Column('fob', sa.BigInteger(), nullable=True),
    sa.Column('first_shipment_on', sa.Date(), nullable=False),
    sa.Column('last_shipment_on', sa.Date(), nullable=False),
    sa.Column('settlement_method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('usance_days', sa.Integer(), nullable=False),
    sa.Column('cover_pre', sa.Boolean(), nullable=False),
    sa.Column('pre_political', nexi.models.types.ExactDecimal(length=40), nullable=True),
    sa.Column('pre_commercial', nexi.models.types.ExactDecimal(length=40), nullable=True),
    sa.Column('post_political', nexi.models.types.ExactDecimal(length=40), nullable=False),
    sa.Column('post_commercial', nexi.models.types.ExactDecimal(length=40), nullable=False),
    sa.Column('value_pre', sa.BigInteger(), nullable=True),
    sa.Column('value_post', sa.BigInteger(), nullable=False),
    sa.Column('premium_jpy', sa.BigInteger(), nullable=False),
    sa.Column('premium_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('liability_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('liability_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('foreign_currency_rider', sa.Boolean(), nullable=False),
    sa.Column('confirmation_id', sa.Integer(), nullable=True),
    sa.Column('used_jpy', sa.BigInteger(), nullable=False),
    sa.Column('credit_outstanding', sa.BigInteger(), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['confirmation_id'], ['confirmation.id'], ),
    sa.ForeignKeyConstraint(['counterparty_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['guarantor_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['lc_bank_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['payer_id'], ['buyer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number', 'branch')
    )
    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_confirmation_id'), ['confirmation_id'], unique=False)
        batch_op.create_index('ix_policy_customer_number', ['customer_id', 'number', 'branch'], unique=False)
        batch_op.create_index('ix_policy_payer_state', ['payer_id', 'state'], unique=False)

    op.create_table('earmark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('confirmation_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('amount_jpy', sa.BigInteger(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['confirmation_id'], ['confirmation.id'], ),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('earmark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_earmark_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_earmark_confirmation_id'), ['confirmation_id'], unique=False)

    op.create_table('policy_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('kinds', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('premium_change_jpy', sa.BigInteger(), nullable=False),
    sa.Column('material', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('policy_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_change_policy_id'), ['policy_id'], unique=False)

    op.create_table('policy_instalment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('settled', sa.BigInteger(), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['policy_id'], ['policy.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('policy_id', 'position')
    )
    with op.batch_alter_table('buyer', schema=None) as batch_op:
        batch_op.alter_column('limit_amount',
               existing_type=sa.INTEGER(),
               type_=sa.BigInteger(),
               existing_nullable=True)

    if op.get_bind().dialect.name == "postgresql":  # SQLite's INTEGER holds 64 bits already
        op.alter_column("buyer", "limit_amount", type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("buyer", "limit_amount", type_=sa.Integer(), existing_type=sa.BigInteger())
    with op.batch_alter_table('buyer', schema=None) as batch_op:
        batch_op.alter_column('limit_amount',
               existing_type=sa.BigInteger(),
               type_=sa.INTEGER(),
               existing_nullable=True)

    op.drop_table('policy_instalment')
    with op.batch_alter_table('policy_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_change_policy_id'))

    op.drop_table('policy_change')
    with op.batch_alter_table('earmark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earmark_confirmation_id'))
        batch_op.drop_index(batch_op.f('ix_earmark_application_id'))

    op.drop_table('earmark')
    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.drop_index('ix_policy_payer_state')
        batch_op.drop_index('ix_policy_customer_number')
        batch_op.drop_index(batch_op.f('ix_policy_confirmation_id'))

    op.drop_table('policy')
    with op.batch_alter_table('confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_confirmation_customer_id'))
        batch_op.drop_index('ix_confirmation_buyer_state')

    op.drop_table('confirmation')
