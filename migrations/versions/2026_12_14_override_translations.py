"""result_override: its public reason in other languages (issue 18)

Revision ID: 4c7e1b9d2f36
Revises: 3f8a2c6d1e70
Create Date: 2026-12-14 01:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '4c7e1b9d2f36'
down_revision = '3f8a2c6d1e70'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('result_override', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                      server_default='{}'))


def downgrade():
    with op.batch_alter_table('result_override', schema=None) as batch_op:
        batch_op.drop_column('translations')
