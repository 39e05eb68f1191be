"""comments on proposals and projects, and the flags people raise on them (issue 20)

Revision ID: 8da1f1a60b97
Revises: 9b4d2e6f1a85
Create Date: 2026-12-15 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '8da1f1a60b97'
down_revision = '9b4d2e6f1a85'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_seat', sa.String(length=20), server_default='', nullable=False),
    sa.Column('author_organisation', sa.String(length=160), server_default='', nullable=False),
    sa.Column('author_board_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=300), server_default='', nullable=False),
    sa.CheckConstraint('(proposal_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_comment_one_item')),
    sa.ForeignKeyConstraint(['author_board_id'], ['board.id'], name=op.f('fk_comment_author_board_id_board'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_comment_hidden_by_id_user')),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_comment_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_comment_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('comment_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_flag_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_comment_flag_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_flag')),
    sa.UniqueConstraint('comment_id', 'user_id', name=op.f('uq_comment_flag_comment_id_user_id'))
    )
    with op.batch_alter_table('comment_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_flag_comment_id'), ['comment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('comment_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_flag_comment_id'))

    op.drop_table('comment_flag')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_comment_project_id'))
        batch_op.drop_index(batch_op.f('ix_comment_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comment_author_id'))

    op.drop_table('comment')
