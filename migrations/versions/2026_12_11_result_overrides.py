"""cycles: staff's winner overrides (fund/unfund with a public reason) beside a stored count,
and a cycle's part-funding share (issue 19)

Revision ID: 3b8e5a1f7c42
Revises: 5e1b7c9d3a20
Create Date: 2026-12-11 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3b8e5a1f7c42'
down_revision = '5e1b7c9d3a20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'result_override',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('result_id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("action IN ('fund', 'unfund')",
                           name=op.f('ck_result_override_action_known')),
        sa.ForeignKeyConstraint(['result_id'], ['result.id'],
                                name=op.f('fk_result_override_result_id_result'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'],
                                name=op.f('fk_result_override_proposal_id_proposal')),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id'],
                                name=op.f('fk_result_override_actor_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_result_override')))
    with op.batch_alter_table('result_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_override_result_id'), ['result_id'],
                              unique=False)
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part_fund_share', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('part_fund_share_percent',
                                         'part_fund_share BETWEEN 1 AND 100')


def downgrade():
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.drop_constraint('part_fund_share_percent', type_='check')
        batch_op.drop_column('part_fund_share')
    with op.batch_alter_table('result_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_override_result_id'))
    op.drop_table('result_override')
