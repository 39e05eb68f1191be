"""external_identity: an account's identity at the city's OpenID Connect provider (issuer and
subject), for staff and board sign-in (issue 21)

Revision ID: 7e3a1c5b9d20
Revises: 4c7e1f2a9b63
Create Date: 2026-12-19 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7e3a1c5b9d20'
down_revision = '4c7e1f2a9b63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('external_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('linked_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_external_identity_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_identity')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_external_identity_issuer_subject')),
    sa.UniqueConstraint('user_id', 'issuer', name=op.f('uq_external_identity_user_id_issuer'))
    )


def downgrade():
    op.drop_table('external_identity')
