"""projects: funded proposals become projects with status history, milestones and updates

Revision ID: e58e56d8e948
Revises: 3f7c2a91d5e4
Create Date: 2026-11-29 17:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e58e56d8e948'
down_revision = '3f7c2a91d5e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('summary', sa.String(length=400), nullable=False),
    sa.Column('budget_cents', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('budget_cents >= 0', name=op.f('ck_project_budget_not_negative')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_project_board_id_board')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_project_cycle_id_cycle')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'],
                            name=op.f('fk_project_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_project_proposal_id'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                            name=op.f('fk_milestone_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_project_id'), ['project_id'], unique=False)

    op.create_table('project_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'],
                            name=op.f('fk_project_status_change_actor_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                            name=op.f('fk_project_status_change_project_id_project'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_status_change'))
    )
    with op.batch_alter_table('project_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_status_change_project_id'), ['project_id'],
                              unique=False)

    op.create_table('project_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'],
                            name=op.f('fk_project_update_author_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                            name=op.f('fk_project_update_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_update'))
    )
    with op.batch_alter_table('project_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_update_project_id'), ['project_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('project_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_update_project_id'))
    op.drop_table('project_update')
    with op.batch_alter_table('project_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_status_change_project_id'))
    op.drop_table('project_status_change')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_project_id'))
    op.drop_table('milestone')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_project_board_id'))
    op.drop_table('project')
