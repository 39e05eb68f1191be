"""cycle: counting options (seats, scoring, completion, threshold)

Revision ID: 7b2d4e9a1c30
Revises: e58e56d8e948
Create Date: 2026-11-29 17:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7b2d4e9a1c30'
down_revision = 'e58e56d8e948'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seats', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('scoring', sa.String(length=20), server_default='k-points',
                                      nullable=False))
        batch_op.add_column(sa.Column('completion', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('threshold', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('seats_positive', 'seats >= 1')


def downgrade():
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.drop_constraint('seats_positive', type_='check')
        batch_op.drop_column('threshold')
        batch_op.drop_column('completion')
        batch_op.drop_column('scoring')
        batch_op.drop_column('seats')
