"""image: its description in other languages, beside the one typed first (issue 18)

Revision ID: e5a1c7b3d902
Revises: 7c2d9f4e1a63
Create Date: 2026-12-13 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a1c7b3d902'
down_revision = '7c2d9f4e1a63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                      server_default='{}'))


def downgrade():
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.drop_column('translations')
