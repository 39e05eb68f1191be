"""paper: polling places per cycle; a paper batch and each ballot it casts name their place
(existing batches and ballots have none: "not recorded") (issue 19)

Revision ID: 5e1b7c9d3a20
Revises: c4d8e2a61f07
Create Date: 2026-12-10 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5e1b7c9d3a20'
down_revision = 'c4d8e2a61f07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'polling_place',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'],
                                name=op.f('fk_polling_place_cycle_id_cycle'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_polling_place')),
        sa.UniqueConstraint('cycle_id', 'name', name=op.f('uq_polling_place_cycle_id_name')))
    with op.batch_alter_table('polling_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polling_place_cycle_id'), ['cycle_id'], unique=False)
    with op.batch_alter_table('paper_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('polling_place_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_paper_batch_polling_place_id_polling_place'),
                                    'polling_place', ['polling_place_id'], ['id'])
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('polling_place_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_ballot_polling_place_id_polling_place'),
                                    'polling_place', ['polling_place_id'], ['id'])


def downgrade():
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_ballot_polling_place_id_polling_place'),
                                 type_='foreignkey')
        batch_op.drop_column('polling_place_id')
    with op.batch_alter_table('paper_batch', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_paper_batch_polling_place_id_polling_place'),
                                 type_='foreignkey')
        batch_op.drop_column('polling_place_id')
    with op.batch_alter_table('polling_place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polling_place_cycle_id'))
    op.drop_table('polling_place')
