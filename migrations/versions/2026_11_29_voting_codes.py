"""voting: one-time voting codes, stored only as keyed hashes

Revision ID: 3c9f1a7d5e21
Revises: 7b2d4e9a1c30
Create Date: 2026-11-29 19:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3c9f1a7d5e21'
down_revision = '7b2d4e9a1c30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('voting_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('batch', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_voting_code_cycle_id_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voting_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_voting_code_code_hash'))
    )
    with op.batch_alter_table('voting_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voting_code_cycle_id'), ['cycle_id'], unique=False)


def downgrade():
    with op.batch_alter_table('voting_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voting_code_cycle_id'))

    op.drop_table('voting_code')
