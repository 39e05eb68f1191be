"""cycles: an address register per cycle, and the option that account voters give an address
in it (issue 19)

Revision ID: 5e1a7c3b9d20
Revises: 3b8e5a1f7c42
Create Date: 2026-12-09 01:00:00
"""
from alembic import op
import sqlalchemy as sa



revision = '5e1a7c3b9d20'
down_revision = '3b8e5a1f7c42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_address', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'register_address',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('postcode', sa.String(length=20), nullable=False),
        sa.Column('address_key', sa.String(length=400), nullable=False),
        sa.Column('postcode_key', sa.String(length=20), nullable=False),
        sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'],
                                name=op.f('fk_register_address_cycle_id_cycle'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'],
                                name=op.f('fk_register_address_neighbourhood_id_neighbourhood')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_register_address')),
        sa.UniqueConstraint('cycle_id', 'address_key', 'postcode_key',
                            name=op.f('uq_register_address_cycle_id_address_key_postcode_key')),
    )
    op.create_index('ix_register_address_cycle_postcode', 'register_address',
                    ['cycle_id', 'postcode_key'], unique=False)


def downgrade():
    op.drop_index('ix_register_address_cycle_postcode', table_name='register_address')
    op.drop_table('register_address')
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.drop_column('require_address')
