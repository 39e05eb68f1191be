"""one resident, one ballot: verified email, session versions, roll-linked codes and claims,
roll-checked participation, public extensions of the voting close

Revision ID: a14e0b1a7c01
Revises: 7b95aa5c12ab
Create Date: 2026-12-06 20:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a14e0b1a7c01'
down_revision = '7b95aa5c12ab'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('last_sign_in_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('voter_roll_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=True))
        batch_op.create_foreign_key(op.f('fk_voter_roll_entry_user_id_user'), 'user',
                                    ['user_id'], ['id'], ondelete='SET NULL')
        batch_op.create_unique_constraint(op.f('uq_voter_roll_entry_cycle_id_user_id'),
                                          ['cycle_id', 'user_id'])

    with op.batch_alter_table('voting_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roll_entry_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_voting_code_roll_entry_id_voter_roll_entry'),
                                    'voter_roll_entry', ['roll_entry_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index(op.f('ix_voting_code_roll_entry_id'), ['roll_entry_id'],
                              unique=False)

    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roll_checked', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    op.create_table('cycle_close_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('old_closes', sa.DateTime(), nullable=True),
    sa.Column('new_closes', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_cycle_close_change_cycle_id_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by'], ['user.id'], name=op.f('fk_cycle_close_change_changed_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_close_change'))
    )
    with op.batch_alter_table('cycle_close_change', schema=None) as batch_op:
        batch_op.create_index(op.f('ix_cycle_close_change_cycle_id'), ['cycle_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cycle_close_change', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_cycle_close_change_cycle_id'))
    op.drop_table('cycle_close_change')
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_column('roll_checked')
    with op.batch_alter_table('voting_code', schema=None) as batch_op:
        batch_op.drop_index(op.f('ix_voting_code_roll_entry_id'))
        batch_op.drop_constraint(op.f('fk_voting_code_roll_entry_id_voter_roll_entry'),
                                 type_='foreignkey')
        batch_op.drop_column('roll_entry_id')
    with op.batch_alter_table('voter_roll_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_voter_roll_entry_cycle_id_user_id'), type_='unique')
        batch_op.drop_constraint(op.f('fk_voter_roll_entry_user_id_user'), type_='foreignkey')
        batch_op.drop_column('address')
        batch_op.drop_column('user_id')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('last_sign_in_at')
        batch_op.drop_column('session_version')
        batch_op.drop_column('email_verified_at')
