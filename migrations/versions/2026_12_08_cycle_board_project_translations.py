"""cycles, boards and projects: texts in other languages, as proposals have (issue 18)

Revision ID: 9a3f6d21c5e8
Revises: 4b7e19c2d8a6
Create Date: 2026-12-08 00:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '9a3f6d21c5e8'
down_revision = '4b7e19c2d8a6'
branch_labels = None
depends_on = None

TABLES = ('cycle', 'board', 'project')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                          server_default='{}'))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
