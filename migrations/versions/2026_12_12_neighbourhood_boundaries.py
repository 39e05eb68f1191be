"""neighbourhoods: outlines imported from GeoJSON, for the server-drawn maps (issue 19)

Revision ID: 7c2d9f4e1a63
Revises: 5e1a7c3b9d20
Create Date: 2026-12-09 01:10:00
"""
from alembic import op
import sqlalchemy as sa



revision = '7c2d9f4e1a63'
down_revision = '5e1a7c3b9d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'neighbourhood_boundary',
        sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
        sa.Column('polygons', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'],
                                name=op.f('fk_neighbourhood_boundary_neighbourhood_id_neighbourhood'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('neighbourhood_id', name=op.f('pk_neighbourhood_boundary')),
    )


def downgrade():
    op.drop_table('neighbourhood_boundary')
