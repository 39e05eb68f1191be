"""metrics: their public words in other languages (name, unit, definition, agreement) and a
project target's baseline period

Revision ID: 5a9d3e7c1b48
Revises: 4c7e1b9d2f36
Create Date: 2026-12-07 04:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5a9d3e7c1b48'
down_revision = '4c7e1b9d2f36'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('metric', 'project_metric'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                          server_default='{}'))


def downgrade():
    for table in ('project_metric', 'metric'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
