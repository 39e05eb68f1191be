"""each metric's stored, protected set and its audit (issue 15)

Revision ID: c3d51f0e9a20
Revises: a14e0b1a7c01
Create Date: 2026-12-07 00:10:00

After upgrading, run ``flask metrics protect`` once: until a metric is protected and audited
it publishes nothing.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c3d51f0e9a20'
down_revision = 'a14e0b1a7c01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'published_cell',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('metric_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=14), nullable=False),
        sa.Column('scope_ref', sa.String(length=80), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('breakdown', sa.String(length=20), nullable=False),
        sa.Column('group_name', sa.String(length=80), nullable=False),
        sa.Column('value', sa.Float(), nullable=True),
        sa.Column('hidden', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('metric_id', 'scope', 'scope_ref', 'period_start', 'period_end',
                            'breakdown', 'group_name', name='uq_published_cell'),
    )
    with op.batch_alter_table('published_cell', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_cell_metric_id'), ['metric_id'],
                              unique=False)
    op.create_table(
        'metric_audit',
        sa.Column('metric_id', sa.Integer(), nullable=False),
        sa.Column('audited_at', sa.DateTime(), nullable=False),
        sa.Column('passed', sa.Boolean(), nullable=False),
        sa.Column('cells', sa.Integer(), nullable=False),
        sa.Column('small', sa.Integer(), nullable=False),
        sa.Column('hidden', sa.Integer(), nullable=False),
        sa.Column('relations', sa.JSON(), nullable=False),
        sa.Column('problems', sa.Text(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('metric_id'),
    )


def downgrade():
    op.drop_table('metric_audit')
    with op.batch_alter_table('published_cell', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_cell_metric_id'))
    op.drop_table('published_cell')
