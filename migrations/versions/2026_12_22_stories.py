"""stories beside statistics: residents' own accounts, moderated, withdrawable by a private
link (issue 21)

Revision ID: 5e8c3a7d1f42
Revises: 9d4b2e6f8a31
Create Date: 2026-12-22 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5e8c3a7d1f42'
down_revision = '9d4b2e6f8a31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('metric_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('public_text', sa.Text(), nullable=False),
    sa.Column('name_choice', sa.String(length=10), nullable=False),
    sa.Column('shown_name', sa.String(length=80), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consent_locale', sa.String(length=10), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('withdraw_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.String(length=300), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('translations', sa.JSON(), server_default='{}', nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'declined', 'withdrawn')",
                       name=op.f('ck_story_known_status')),
    sa.CheckConstraint("name_choice IN ('own', 'given', 'anonymous')",
                       name=op.f('ck_story_known_name_choice')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_story_author_id_user'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
                            name=op.f('fk_story_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_story_image_id_image'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], name=op.f('fk_story_metric_id_metric'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'],
                            name=op.f('fk_story_neighbourhood_id_neighbourhood'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'],
                            name=op.f('fk_story_project_id_project'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story')),
    sa.UniqueConstraint('withdraw_hash', name=op.f('uq_story_withdraw_hash'))
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_metric_id'), ['metric_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_neighbourhood_id'), ['neighbourhood_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_story_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_status'))
        batch_op.drop_index(batch_op.f('ix_story_project_id'))
        batch_op.drop_index(batch_op.f('ix_story_neighbourhood_id'))
        batch_op.drop_index(batch_op.f('ix_story_metric_id'))
        batch_op.drop_index(batch_op.f('ix_story_author_id'))
    op.drop_table('story')
