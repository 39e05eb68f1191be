"""The demo tells one story (issue 23): its dates come in the order things happen, nothing is
dated after the demo day but what is still due, and its turnout tables add up.

(The spring result was "published" on the demo day while its projects were "funded 20 April";
the neighbourhood table, said to be account voters', counted code voters too.)
"""
from collections import Counter
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from pbapp.cycles.models import Cycle, Result
from pbapp.extensions import db
from pbapp.models_base import site_today
from pbapp.paper.models import PaperBatch
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal
from pbapp.reports.participation import turnout_tables
from pbapp.voting.models import Participation


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


@pytest.fixture()
def city(runner):
    out = runner.invoke(args=["demo", "--ballots", "300"])  # the suite's usual city (cached)
    assert out.exit_code == 0, out.output
    return {c.slug: c for c in db.session.scalars(select(Cycle))}


def test_the_demo_dates_come_in_order(city):
    today = site_today()
    for cycle in city.values():
        opens = _utc(cycle.voting_opens)
        assert _utc(cycle.created_at) <= _utc(cycle.proposals_open) < opens, cycle.slug
        for p in db.session.scalars(select(Proposal).where(Proposal.cycle_id == cycle.id)):
            steps = {c.to_status: _utc(c.at) for c in p.history}
            assert _utc(cycle.proposals_open) <= _utc(p.created_at) == steps["submitted"]
            assert steps["submitted"] < steps["accepted"] < opens, (cycle.slug, p.title)
    spring = city["2026-spring"]
    opens, closes = _utc(spring.voting_opens), _utc(spring.voting_closes)
    voted = [_utc(v) for v in db.session.scalars(
        select(Participation.voted_at).where(Participation.cycle_id == spring.id))]
    assert voted and opens <= min(voted) and max(voted) < closes
    batches = list(db.session.scalars(select(PaperBatch).where(PaperBatch.cycle_id == spring.id)))
    assert batches and all(closes <= _utc(b.created_at) <= _utc(b.committed_at) for b in batches)
    [result] = db.session.scalars(select(Result).where(Result.cycle_id == spring.id))
    counted, published = _utc(result.counted_at), _utc(result.published_at)
    assert max(_utc(b.committed_at) for b in batches) < counted < published
    for p in db.session.scalars(select(Proposal).where(Proposal.cycle_id == spring.id)):
        assert {_utc(c.at) for c in p.history if c.to_status in ("funded", "not_funded")} == {
            published}
    projects = list(db.session.scalars(select(Project).where(Project.cycle_id == spring.id)))
    assert projects
    for project in projects:
        funded = _utc(project.created_at)
        assert published <= funded
        moves = [_utc(c.at) for c in project.history]
        assert moves == sorted(moves) and funded <= moves[0] and moves[-1].date() <= today
        for m in project.milestones:
            assert m.done_on is None or funded.date() <= m.done_on <= today, m.title
        for u in project.updates:
            assert funded < _utc(u.published_at) and _utc(u.published_at).date() <= today
        for s in project.spending:
            assert funded.date() <= s.spent_on < today


def test_the_demo_turnout_tables_add_up(app, city):
    spring = city["2026-spring"]
    rows = db.session.execute(select(Participation.channel, Participation.neighbourhood_id,
                                     Participation.age_band)
                              .where(Participation.cycle_id == spring.id)).all()
    by_channel = Counter(channel for channel, _, _ in rows)
    placed = Counter(channel for channel, hood, _ in rows if hood is not None)
    assert placed["online"] == by_channel["online"]  # every account voter has a neighbourhood
    assert placed["paper"] == 0 and 0 < placed["code"] < by_channel["code"]
    with app.test_request_context():
        tables = {t["id"]: t for t in turnout_tables(spring)}
    assert {"turnout-channel", "turnout-neighbourhood", "turnout-age"} <= set(tables)
    total = sum(by_channel.values())
    for name in ("turnout-channel", "turnout-neighbourhood", "turnout-age"):
        t = tables[name]
        assert t["total"]["cells"]["count"]["value"] == total, name
        values = [r["cells"]["count"]["value"] for r in t["rows"]]
        if None not in values:  # nothing hidden: the rows add up to the total
            assert sum(values) == total, name
    channel = {r["key"]: r["cells"]["count"]["value"] for r in tables["turnout-channel"]["rows"]}
    assert channel == {k: by_channel.get(k, 0) for k in channel}
    hood = tables["turnout-neighbourhood"]
    shown = sum(r["cells"]["count"]["value"] or 0 for r in hood["rows"]
                if r["key"] != "not-recorded")
    assert shown <= placed["online"] + placed["code"]
    assert "voted with an account" not in hood["caption"]  # code voters are in it too


def test_the_demo_copy_is_keyed_on_the_demo_code(monkeypatch, tmp_path):
    """tests/demo_cache.py keeps copies by seed, ballots, day and a digest of the demo's code:
    changed demo code gets a real seeding, never an old copy."""
    from pathlib import Path

    import demo_cache

    import pbapp

    root, fake = Path(pbapp.__file__).parent, tmp_path / "pbapp"
    before = demo_cache.demo_code()
    for name in ("demo.py", "demo_metrics.py", "demo_spanish.py", "maps/demo_outlines.py"):
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_bytes((root / name).read_bytes())
    monkeypatch.setattr(pbapp, "__file__", str(fake / "__init__.py"))
    assert demo_cache.demo_code() == before
    (fake / "demo.py").write_bytes((root / "demo.py").read_bytes() + b"\n# changed\n")
    assert demo_cache.demo_code() != before
