"""accounts: deleted accounts stay as empty rows, and a new account of the same address votes
as the deleted one (issue 23)

Revision ID: c4d8e2a61f07
Revises: 9a3f6d21c5e8
Create Date: 2026-12-09 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d8e2a61f07'
down_revision = '9a3f6d21c5e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('votes_as_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_user_votes_as_id_user'), 'user',
                                    ['votes_as_id'], ['id'])


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_user_votes_as_id_user'), type_='foreignkey')
        batch_op.drop_column('votes_as_id')
        batch_op.drop_column('deleted_at')
