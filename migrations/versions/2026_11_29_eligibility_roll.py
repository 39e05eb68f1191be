"""voting: eligibility rules per cycle (minimum age, ways to vote, voter roll) and the roll

Revision ID: 5d8e2b6c4a17
Revises: 3c9f1a7d5e21
Create Date: 2026-11-29 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5d8e2b6c4a17'
down_revision = '3c9f1a7d5e21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_age', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('vote_by_account', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('vote_by_code', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('use_roll', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_check_constraint('min_age_not_negative', 'min_age >= 0')

    op.create_table('voter_roll_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.String(length=20), nullable=True),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_voter_roll_entry_cycle_id_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_voter_roll_entry_neighbourhood_id_neighbourhood')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voter_roll_entry')),
    sa.UniqueConstraint('cycle_id', 'reference', name=op.f('uq_voter_roll_entry_cycle_id_reference'))
    )
    with op.batch_alter_table('voter_roll_entry', schema=None) as batch_op:
        batch_op.create_index('ix_voter_roll_entry_cycle_email', ['cycle_id', 'email'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('voter_roll_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_voter_roll_entry_cycle_email')

    op.drop_table('voter_roll_entry')
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.drop_constraint('min_age_not_negative', type_='check')
        batch_op.drop_column('use_roll')
        batch_op.drop_column('vote_by_code')
        batch_op.drop_column('vote_by_account')
        batch_op.drop_column('min_age')
