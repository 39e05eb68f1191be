"""proposals: texts in other languages (title, summary, description by locale)

Revision ID: 8e4b1c7f2a63
Revises: d642e71e518a
Create Date: 2026-11-29 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '8e4b1c7f2a63'
down_revision = 'd642e71e518a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                      server_default='{}'))


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('translations')
