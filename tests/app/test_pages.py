"""Public pages render from real demo data on both databases."""
from sqlalchemy import func, select

from pbapp.cycles.models import Result
from pbapp.extensions import db
from pbapp.voting.models import Ballot, Participation


def test_home_without_data(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"No budget cycle is open yet" in resp.data


def test_demo_seeds_a_counted_cycle_and_pages_show_it(app, client, runner):
    out = runner.invoke(args=["demo", "--ballots", "300"])
    assert out.exit_code == 0, out.output
    assert "admin@example.org" in out.output
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 300
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 300
    result = db.session.scalar(select(Result))
    assert result.published_at is not None and result.data["winners"]

    home = client.get("/")
    assert b"Spring 2026 community safety budget" in home.data
    page = client.get("/cycles/2026-spring/results")
    assert page.status_code == 200
    assert result.cvr_sha256.encode() in page.data
    assert b"Round 1" in page.data
    assert client.get("/cycles/2026-autumn").status_code == 200
    assert client.get("/cycles/2026-autumn/results").status_code == 404
    assert client.get("/cycles/nope").status_code == 404

    again = runner.invoke(args=["demo"])
    assert "already there" in again.output
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 300


def test_migrations_match_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_the_demo_resident_can_open_the_live_ballot(client, runner, login):
    from pbapp.auth.models import User

    runner.invoke(args=["demo", "--ballots", "100"])
    login(db.session.scalar(select(User).where(User.email == "resident@example.org")))
    page = client.get("/vote/2026-autumn").data
    assert b'name="op" value="add:' in page and b"Review my ballot" in page
