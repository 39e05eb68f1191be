"""pictures on proposal and project cards (issue 18)

Revision ID: 4b7e19c2d8a6
Revises: c3d51f0e9a20
Create Date: 2026-12-08 00:10:00

The bytes live in the ``image`` table (see pbapp/images/models.py for why not files).
"""
from alembic import op
import sqlalchemy as sa


revision = '4b7e19c2d8a6'
down_revision = 'c3d51f0e9a20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'image',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('content_type', sa.String(length=20), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('byte_size', sa.Integer(), nullable=False),
        sa.Column('alt', sa.String(length=300), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_image')),
    )
    for table in ('proposal', 'project'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('image_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_image_id_image'), 'image',
                                        ['image_id'], ['id'], ondelete='SET NULL')


def downgrade():
    for table in ('project', 'proposal'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_image_id_image'), type_='foreignkey')
            batch_op.drop_column('image_id')
    op.drop_table('image')
