"""status reasons, milestones, project updates and meetings in other languages (issue 18)

Revision ID: 9b4d2e6f1a85
Revises: e5a1c7b3d902
Create Date: 2026-12-14 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '9b4d2e6f1a85'
down_revision = 'e5a1c7b3d902'
branch_labels = None
depends_on = None

TABLES = ('status_change', 'project_status_change', 'milestone', 'project_update', 'meeting')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                          server_default='{}'))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
