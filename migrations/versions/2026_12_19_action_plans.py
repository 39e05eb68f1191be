"""action plans: a board's plan for a period, its needs figures, neighbourhoods, actions with lead
and partner seats, metric targets, progress notes and linked proposals and projects (issue 21)

Revision ID: a5773000c061
Revises: 6b2f9e4a7c15
Create Date: 2026-12-07 05:24:33.867748

"""
from alembic import op
import sqlalchemy as sa


revision = 'a5773000c061'
down_revision = '6b2f9e4a7c15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('review', sa.Text(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('translations', sa.JSON(), server_default='{}', nullable=False),
    sa.CheckConstraint('period_start <= period_end', name=op.f('ck_action_plan_plan_period_ordered')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_action_plan_board_id_board'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_id'], ['action_plan.id'], name=op.f('fk_action_plan_previous_id_action_plan'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plan')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_action_plan_previous_id'))
    )
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plan_board_id'), ['board_id'], unique=False)

    op.create_table('plan_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], name=op.f('fk_plan_figure_metric_id_metric'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_plan_figure_plan_id_action_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_figure')),
    sa.UniqueConstraint('plan_id', 'metric_id', name='uq_plan_figure')
    )
    with op.batch_alter_table('plan_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_figure_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_neighbourhood',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_plan_neighbourhood_neighbourhood_id_neighbourhood'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_plan_neighbourhood_plan_id_action_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'neighbourhood_id', name=op.f('pk_plan_neighbourhood'))
    )
    op.create_table('plan_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('lead_organisation', sa.String(length=160), nullable=False),
    sa.Column('partners_text', sa.String(length=500), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('carried_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('translations', sa.JSON(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['carried_from_id'], ['plan_action.id'], name=op.f('fk_plan_action_carried_from_id_plan_action'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['membership.id'], name=op.f('fk_plan_action_lead_id_membership'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_plan_action_plan_id_action_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_action'))
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_plan_id'), ['plan_id'], unique=False)

    op.create_table('action_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('baseline_on', sa.Date(), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=False),
    sa.CheckConstraint('baseline_on < target_on', name=op.f('ck_action_target_target_after_baseline')),
    sa.ForeignKeyConstraint(['action_id'], ['plan_action.id'], name=op.f('fk_action_target_action_id_plan_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], name=op.f('fk_action_target_metric_id_metric'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_action_target_neighbourhood_id_neighbourhood'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_target'))
    )
    with op.batch_alter_table('action_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_target_action_id'), ['action_id'], unique=False)

    op.create_table('plan_action_partner',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['plan_action.id'], name=op.f('fk_plan_action_partner_action_id_plan_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_plan_action_partner_membership_id_membership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'membership_id', name=op.f('pk_plan_action_partner'))
    )
    op.create_table('plan_action_project',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['plan_action.id'], name=op.f('fk_plan_action_project_action_id_plan_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_plan_action_project_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'project_id', name=op.f('pk_plan_action_project'))
    )
    op.create_table('plan_action_proposal',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['plan_action.id'], name=op.f('fk_plan_action_proposal_action_id_plan_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_plan_action_proposal_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'proposal_id', name=op.f('pk_plan_action_proposal'))
    )
    op.create_table('progress_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('translations', sa.JSON(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['plan_action.id'], name=op.f('fk_progress_note_action_id_plan_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_progress_note_author_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_note'))
    )
    with op.batch_alter_table('progress_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_note_action_id'), ['action_id'], unique=False)



def downgrade():
    with op.batch_alter_table('progress_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_note_action_id'))

    op.drop_table('progress_note')
    op.drop_table('plan_action_proposal')
    op.drop_table('plan_action_project')
    op.drop_table('plan_action_partner')
    with op.batch_alter_table('action_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_target_action_id'))

    op.drop_table('action_target')
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_plan_id'))

    op.drop_table('plan_action')
    op.drop_table('plan_neighbourhood')
    with op.batch_alter_table('plan_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_figure_plan_id'))

    op.drop_table('plan_figure')
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plan_board_id'))

    op.drop_table('action_plan')
