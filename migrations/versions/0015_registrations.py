"""What staff register so that the 包括 products can be used (S.6): the 企業総合 特約 with its 部門
and 企総登録, the 簡易通知型 包括保険契約 with its 簡易包括登録 and recorded shipments, 組合
membership; and on the policy the 組合 / 特約 it belongs to and the product's own answers.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
import nexi.models.types

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('association_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('association', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_id', 'product', 'association')
    )
    with op.batch_alter_table('association_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_association_membership_customer_id'), ['customer_id'], unique=False)

    op.create_table('blanket_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('post_political', nexi.models.types.ExactDecimal(length=40), nullable=False),
    sa.Column('post_commercial', nexi.models.types.ExactDecimal(length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('blanket_contract', schema=None) as batch_op:
        batch_op.create_index('ix_blanket_contract_customer_state', ['customer_id', 'state'], unique=False)

    op.create_table('rider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('rider', schema=None) as batch_op:
        batch_op.create_index('ix_rider_customer_state', ['customer_id', 'state'], unique=False)

    op.create_table('rider_department',
    sa.Column('rider_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['rider_id'], ['rider.id'], ),
    sa.PrimaryKeyConstraint('rider_id', 'department_id')
    )
    op.create_table('blanket_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('limit_jpy', sa.BigInteger(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['contract_id'], ['blanket_contract.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'buyer_id', 'country')
    )
    with op.batch_alter_table('blanket_registration', schema=None) as batch_op:
        batch_op.create_index('ix_blanket_registration_customer', ['customer_id'], unique=False)

    op.create_table('blanket_shipment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('aggregation', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('shipped_on', sa.Date(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('destination', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('settlement_method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('usance_days', sa.Integer(), nullable=False),
    sa.Column('post_political', nexi.models.types.ExactDecimal(length=40), nullable=False),
    sa.Column('post_commercial', nexi.models.types.ExactDecimal(length=40), nullable=False),
    sa.Column('settled', sa.BigInteger(), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['contract_id'], ['blanket_contract.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id')
    )
    with op.batch_alter_table('blanket_shipment', schema=None) as batch_op:
        batch_op.create_index('ix_blanket_shipment_contract', ['contract_id', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_blanket_shipment_customer_id'), ['customer_id'], unique=False)

    op.create_table('rider_buyer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rider_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('destination', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('settlement_method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('max_usance_days', sa.Integer(), nullable=True),
    sa.Column('limit_jpy', sa.BigInteger(), nullable=True),
    sa.Column('limit_set_on', sa.Date(), nullable=True),
    sa.Column('increases', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['rider_id'], ['rider.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('rider_id', 'buyer_id')
    )
    with op.batch_alter_table('rider_buyer', schema=None) as batch_op:
        batch_op.create_index('ix_rider_buyer_customer', ['customer_id', 'buyer_id'], unique=False)

    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('association', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column('rider_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.create_index(batch_op.f('ix_policy_rider_id'), ['rider_id'], unique=False)
        batch_op.create_foreign_key('fk_policy_rider_id', 'rider', ['rider_id'], ['id'])

    op.create_table('renewal_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rider_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('deadline_on', sa.Date(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('created_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', nexi.models.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['rider_id'], ['rider.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('rider_id')
    )
    with op.batch_alter_table('renewal_proposal', schema=None) as batch_op:
        batch_op.create_index('ix_renewal_proposal_customer', ['customer_id', 'state'], unique=False)

    op.create_table('renewal_proposal_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('last_year_turnover_jpy', sa.BigInteger(), nullable=True),
    sa.Column('current_limit_jpy', sa.BigInteger(), nullable=True),
    sa.Column('proposed_limit_jpy', sa.BigInteger(), nullable=True),
    sa.Column('unused', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['proposal_id'], ['renewal_proposal.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('proposal_id', 'buyer_id')
    )
    with op.batch_alter_table('renewal_proposal_row', schema=None) as batch_op:
        batch_op.create_index('ix_renewal_row_customer', ['customer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('renewal_proposal_row', schema=None) as batch_op:
        batch_op.drop_index('ix_renewal_row_customer')

    op.drop_table('renewal_proposal_row')
    with op.batch_alter_table('renewal_proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_renewal_proposal_customer')

    op.drop_table('renewal_proposal')
    with op.batch_alter_table('policy', schema=None) as batch_op:
        batch_op.drop_constraint('fk_policy_rider_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_policy_rider_id'))
        batch_op.drop_column('details')
        batch_op.drop_column('rider_id')
        batch_op.drop_column('association')

    with op.batch_alter_table('rider_buyer', schema=None) as batch_op:
        batch_op.drop_index('ix_rider_buyer_customer')

    op.drop_table('rider_buyer')
    with op.batch_alter_table('blanket_shipment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blanket_shipment_customer_id'))
        batch_op.drop_index('ix_blanket_shipment_contract')

    op.drop_table('blanket_shipment')
    with op.batch_alter_table('blanket_registration', schema=None) as batch_op:
        batch_op.drop_index('ix_blanket_registration_customer')

    op.drop_table('blanket_registration')
    op.drop_table('rider_department')
    with op.batch_alter_table('rider', schema=None) as batch_op:
        batch_op.drop_index('ix_rider_customer_state')

    op.drop_table('rider')
    with op.batch_alter_table('blanket_contract', schema=None) as batch_op:
        batch_op.drop_index('ix_blanket_contract_customer_state')

    op.drop_table('blanket_contract')
    with op.batch_alter_table('association_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_association_membership_customer_id'))

    op.drop_table('association_membership')
