"""directory: services and referral pathways boards keep, the neighbourhoods they cover and the
projects that use them (issue 20, Help near you)

Revision ID: 3f8a2c6d1e70
Revises: 8da1f1a60b97
Create Date: 2026-12-16 03:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3f8a2c6d1e70'
down_revision = '8da1f1a60b97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hsds_id', sa.String(length=64), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=True),
    sa.Column('organization_hsds_id', sa.String(length=64), nullable=False),
    sa.Column('organization', sa.String(length=200), nullable=False),
    sa.Column('location_hsds_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('eligibility', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.String(length=500), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('translations', sa.JSON(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_service_board_id_board'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('hsds_id', name=op.f('uq_service_hsds_id'))
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_board_id'), ['board_id'], unique=False)

    op.create_table('service_neighbourhood',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_service_neighbourhood_neighbourhood_id_neighbourhood'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_neighbourhood_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'neighbourhood_id', name=op.f('pk_service_neighbourhood'))
    )
    op.create_table('project_service',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_service_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_project_service_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'service_id', name=op.f('pk_project_service'))
    )


def downgrade():
    op.drop_table('project_service')
    op.drop_table('service_neighbourhood')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_board_id'))

    op.drop_table('service')
