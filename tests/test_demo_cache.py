"""The suite's demo copy (``demo_cache``) gives back exactly the city the real seeding made."""
from __future__ import annotations

from sqlalchemy import func, select

import demo_cache
from pbapp import demo
from pbapp.auth.models import User
from pbapp.extensions import db


def _every_row() -> dict[str, list]:
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables}


def test_a_restored_demo_is_the_seeded_one_and_new_rows_get_new_ids(app, make_user, make_cycle):
    from tests.conftest import _empty_tables

    assert not [k for k in demo_cache._kept  # so the first is real
                if k[:3] == (db.engine.dialect.name, 20, 7)]
    lines = list(demo.seed_demo(ballots=20, seed=7))
    assert lines[0].startswith("Seeded")
    seeded = _every_row()
    db.session.commit()  # its read locks would hold up the emptying
    _empty_tables(db)
    assert demo_cache._empty(db)
    assert list(demo.seed_demo(ballots=20, seed=7)) == lines
    assert _every_row() == seeded
    assert not demo_cache._empty(db)
    last_user = db.session.scalar(select(func.max(User.id)))
    user, cycle = make_user(), make_cycle(slug="after-the-copy")
    assert (user.id, cycle.id) == (last_user + 1, 4)


def test_a_second_seeding_goes_to_the_real_demo(app, runner):
    first = runner.invoke(args=["demo", "--ballots", "20", "--seed", "7"])
    again = runner.invoke(args=["demo", "--ballots", "20", "--seed", "7"])
    assert first.exit_code == again.exit_code == 0
    assert "Seeded" in first.output and "already there; nothing changed" in again.output
