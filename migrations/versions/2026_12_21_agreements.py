"""data-sharing agreements with pages of their own, dated consent texts, and each metric's
agreement; every metric's free-text sharing words become an agreement (issue 21)

Metrics whose three sharing texts (and supplier) are the same share one agreement, so nothing
is lost and nothing is doubled. The free-text columns stay, untouched, so a downgrade loses
nothing either.

Revision ID: 9d4b2e6f8a31
Revises: 7e3a1c5b9d20
Create Date: 2026-12-21 00:10:00
"""
import re
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '9d4b2e6f8a31'
down_revision = '7e3a1c5b9d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('parties', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('data_shared', sa.Text(), nullable=False),
    sa.Column('protection', sa.Text(), nullable=False),
    sa.Column('retention', sa.Text(), nullable=False),
    sa.Column('objection', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('retain_until', sa.Date(), nullable=True),
    sa.Column('delete_by', sa.Date(), nullable=True),
    sa.Column('warned_for', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('translations', sa.JSON(), server_default='{}', nullable=False),
    sa.CheckConstraint('expires_on IS NULL OR starts_on <= expires_on',
                       name=op.f('ck_agreement_agreement_dates_ordered')),
    sa.CheckConstraint('retain_until IS NULL OR expires_on IS NULL OR expires_on <= retain_until',
                       name=op.f('ck_agreement_agreement_retained_after_expiry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement')),
    sa.UniqueConstraint('slug', name=op.f('uq_agreement_slug'))
    )
    op.create_table('agreement_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('translations', sa.JSON(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'],
                            name=op.f('fk_agreement_consent_agreement_id_agreement'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_consent')),
    sa.UniqueConstraint('agreement_id', 'version', name='uq_agreement_consent_version')
    )
    with op.batch_alter_table('agreement_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_consent_agreement_id'), ['agreement_id'],
                              unique=False)
    with op.batch_alter_table('metric', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_metric_agreement_id'), ['agreement_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_metric_agreement_id_agreement'), 'agreement',
                                    ['agreement_id'], ['id'], ondelete='SET NULL')
    _agreements_from_metric_texts()


def _slug(text, taken):
    base = re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')[:70] or 'agreement'
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f'{base}-{n}'
    taken.add(slug)
    return slug


def _agreements_from_metric_texts():
    """One agreement per distinct (supplier, what, consent, retention) among the metrics that
    have any sharing words: what is shared → data shared, consent → legal basis, retention →
    retention, their Spanish words with them; it starts on the oldest such metric's day."""
    bind = op.get_bind()
    metric = sa.table('metric', sa.column('id', sa.Integer), sa.column('key', sa.String),
                      sa.column('name', sa.String), sa.column('supplier', sa.String),
                      sa.column('sharing_what', sa.Text), sa.column('sharing_consent', sa.Text),
                      sa.column('sharing_retention', sa.Text),
                      sa.column('translations', sa.JSON), sa.column('created_at', sa.DateTime),
                      sa.column('agreement_id', sa.Integer))
    agreement = sa.table('agreement', *(sa.column(n, sa.Text) for n in (
        'slug', 'title', 'parties', 'purpose', 'legal_basis', 'data_shared', 'protection',
        'retention', 'objection', 'contact')), sa.column('starts_on', sa.Date),
        sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime),
        sa.column('translations', sa.JSON), sa.column('id', sa.Integer))
    groups = {}
    for row in bind.execute(sa.select(metric).order_by(metric.c.id)):
        texts = (row.sharing_what or '', row.sharing_consent or '', row.sharing_retention or '')
        if not any(t.strip() for t in texts):
            continue
        groups.setdefault(((row.supplier or '').strip(), *texts), []).append(row)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    taken = set()
    for (supplier, what, consent, retention), rows in groups.items():
        first = rows[0]
        spanish = ((first.translations or {}).get('es') or {})
        es = {new: spanish[old] for old, new in (('sharing_what', 'data_shared'),
                                                 ('sharing_consent', 'legal_basis'),
                                                 ('sharing_retention', 'retention'))
              if isinstance(spanish.get(old), str) and spanish[old].strip()}
        if supplier and es:
            es['title'] = f'Intercambio de datos: {supplier}'[:160]
        title = f'Data sharing: {supplier or first.name}'[:160]
        started = min((r.created_at for r in rows if r.created_at), default=now)
        slug = _slug(supplier or first.key, taken)
        bind.execute(sa.insert(agreement).values(
            slug=slug, title=title, parties=supplier, purpose='', legal_basis=consent,
            data_shared=what, protection='', retention=retention, objection='', contact='',
            starts_on=started.date(), created_at=now, updated_at=now,
            translations={'es': es} if es else {}))
        made = bind.execute(sa.select(agreement.c.id).where(agreement.c.slug == slug)).scalar()
        bind.execute(sa.update(metric).where(metric.c.id.in_([r.id for r in rows]))
                     .values(agreement_id=made))


def downgrade():
    with op.batch_alter_table('metric', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_metric_agreement_id_agreement'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_metric_agreement_id'))
        batch_op.drop_column('agreement_id')
    with op.batch_alter_table('agreement_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_consent_agreement_id'))
    op.drop_table('agreement_consent')
    op.drop_table('agreement')
