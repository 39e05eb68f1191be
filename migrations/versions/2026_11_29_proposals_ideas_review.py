"""proposals: residents' ideas, root cause, metrics and staff review notes

Revision ID: 3f7c2a91d5e4
Revises: 9661180a87bc
Create Date: 2026-11-29 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3f7c2a91d5e4'
down_revision = '9661180a87bc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('root_cause', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('metrics', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('feasibility_note', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('cost_note', sa.Text(), server_default='', nullable=False))

    op.create_table('idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_idea_author_id_user')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_idea_cycle_id_cycle'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'],
                            name=op.f('fk_idea_neighbourhood_id_neighbourhood')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'],
                            name=op.f('fk_idea_proposal_id_proposal'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea'))
    )
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_idea_cycle_id'))

    op.drop_table('idea')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('cost_note')
        batch_op.drop_column('feasibility_note')
        batch_op.drop_column('metrics')
        batch_op.drop_column('root_cause')
