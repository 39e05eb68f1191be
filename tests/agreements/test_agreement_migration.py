"""The migration that brings agreements (9d4b2e6f8a31) turns the metrics' free-text sharing words
into agreements, one per distinct set of words and supplier, with their Spanish, and links each
metric to its own: nothing is lost. Run on a database of its own, on both kinds."""
from __future__ import annotations

import uuid

import psycopg
import pytest
import sqlalchemy as sa

BEFORE, AFTER = "7e3a1c5b9d20", "9d4b2e6f8a31"
METRICS = [
    ("a", "City Police", "counts", "no consent", "forever", '{"es": {"sharing_what": "recuentos"}}'),
    ("b", "City Police", "counts", "no consent", "forever", "{}"),
    ("c", "Hospital", "admissions", "", "ten years", "{}"),
    ("d", "", "", "", "", "{}"),
]


@pytest.fixture()
def blank_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    name = f"pbapp_mig_{uuid.uuid4().hex[:12]}"
    server = database_url.rsplit("/", 1)[0]
    admin = server.replace("postgresql+psycopg", "postgresql") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_free_text_becomes_agreements(blank_url):
    from flask_migrate import upgrade

    from pbapp import create_app
    from pbapp.config import TestConfig
    from pbapp.extensions import db

    app = create_app(type("Blank", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": blank_url}))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for key, supplier, what, consent, retention, translations in METRICS:
                conn.execute(sa.text(
                    "INSERT INTO metric (key, name, definition, unit, kind, better, source, "
                    "supplier, frequency, sharing_what, sharing_consent, sharing_retention, "
                    "created_at, translations) VALUES (:key, :key, '', '', 'count', 'lower', "
                    "'police', :supplier, 'quarterly', :what, :consent, :retention, "
                    "'2026-01-05 10:00:00', :translations)"), dict(
                        key=key, supplier=supplier, what=what, consent=consent,
                        retention=retention, translations=translations))
        upgrade(revision=AFTER)
        with db.engine.connect() as conn:
            made = conn.execute(sa.text(
                "SELECT id, slug, title, parties, data_shared, legal_basis, retention, "
                "starts_on FROM agreement ORDER BY id")).all()
            links = dict(conn.execute(sa.text("SELECT key, agreement_id FROM metric")).all())
            spanish = conn.execute(sa.text(
                "SELECT translations FROM agreement WHERE slug = 'city-police'")).scalar()
        db.engine.dispose()
    assert [(m.slug, m.title, m.parties, m.data_shared, m.legal_basis, m.retention,
             str(m.starts_on)) for m in made] == [
        ("city-police", "Data sharing: City Police", "City Police", "counts", "no consent",
         "forever", "2026-01-05"),
        ("hospital", "Data sharing: Hospital", "Hospital", "admissions", "", "ten years",
         "2026-01-05")]
    police, hospital = made[0].id, made[1].id
    assert links == {"a": police, "b": police, "c": hospital, "d": None}
    if isinstance(spanish, str):
        import json
        spanish = json.loads(spanish)
    assert spanish["es"]["data_shared"] == "recuentos"
