"""merge eligibility and paper ballots

Revision ID: d642e71e518a
Revises: 5d8e2b6c4a17, 5d8e2b4c7a19
Create Date: 2026-11-29 18:03:06.353727

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd642e71e518a'
down_revision = ('5d8e2b6c4a17', '5d8e2b4c7a19')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
