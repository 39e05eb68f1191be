"""``flask backup`` / ``flask restore``: a round trip brings back every row, on both databases."""
from __future__ import annotations

from sqlalchemy import func, select

from pbapp.extensions import db


def _snapshot():
    from pbapp.auth.models import User
    from pbapp.cycles.models import Cycle

    return (sorted(db.session.scalars(select(User.email))),
            sorted((c.slug, c.phase, c.budget_cents) for c in db.session.scalars(select(Cycle))))


def test_backup_then_restore_brings_back_what_was_lost(app, runner, make_user, make_cycle,
                                                       tmp_path):
    from pbapp.auth.models import User

    make_user(role="staff", email="keeper@example.org")
    make_user(email="resident@example.org")
    make_cycle(slug="spring", phase="voting", budget=5000)
    db.session.commit()
    before = _snapshot()
    out = tmp_path / "pbapp.backup"

    made = runner.invoke(args=["backup", str(out)])
    assert made.exit_code == 0, made.output
    assert out.stat().st_size > 0

    # the disaster: rows deleted and changed after the backup
    db.session.execute(User.__table__.delete().where(User.email == "resident@example.org"))
    make_cycle(slug="autumn")
    db.session.commit()
    assert _snapshot() != before
    db.session.remove()

    refused = runner.invoke(args=["restore", str(out)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    restored = runner.invoke(args=["restore", str(out), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _snapshot() == before
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_backup_refuses_to_overwrite_and_restore_refuses_junk(app, runner, tmp_path):
    existing = tmp_path / "taken.backup"
    existing.write_text("keep me")
    clash = runner.invoke(args=["backup", str(existing)])
    assert clash.exit_code != 0 and "already exists" in clash.output
    assert existing.read_text() == "keep me"

    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    before = _snapshot()
    bad = runner.invoke(args=["restore", str(junk), "--yes"])
    assert bad.exit_code != 0
    assert _snapshot() == before


def test_a_backup_named_with_question_mark_and_hash_restores(app, runner, make_user, tmp_path):
    """The SQLite backup was opened as ``file:{path}?mode=ro``: a '?' or '#' in its name cut the
    path short, so SQLite opened (and created, read-write) another file and the restore was
    refused as "not a backup". The name is percent-encoded now."""
    make_user(email="keeper@example.org")
    db.session.commit()
    before = _snapshot()
    out = tmp_path / "nightly?mode=rw#1.backup"
    made = runner.invoke(args=["backup", str(out)])
    assert made.exit_code == 0, made.output
    make_user(email="later@example.org")
    db.session.commit()
    db.session.remove()
    restored = runner.invoke(args=["restore", str(out), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _snapshot() == before
    assert not (tmp_path / "nightly").exists()
