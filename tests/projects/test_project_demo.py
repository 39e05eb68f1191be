"""The demo city's finished cycle has projects with content on both databases."""
from decimal import Decimal

from sqlalchemy import func, select

from pbapp.cycles.models import Result
from pbapp.cycles.overrides import final_list
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal


def test_demo_projects_have_a_delivery_story(client, runner):
    out = runner.invoke(args=["demo", "--ballots", "300"])
    assert out.exit_code == 0, out.output
    assert "public-health.east-safety@example.org" in out.output
    result = db.session.scalar(select(Result))
    projects = list(db.session.scalars(select(Project).order_by(Project.id)))
    # one project per proposal of the final list: the demo's staff override unfunds a computed
    # winner (issue 19), which gets no project
    final = final_list(result)
    assert final.changed and set(final.final) < set(result.data["winners"])
    assert sorted(str(p.proposal_id) for p in projects) == sorted(final.final)
    assert len({p.status for p in projects}) >= min(len(projects), 3)
    # a part-funded winner's project has the part the count gave it (issue 19), others the cost
    parts = {int(p["id"]): round(Decimal(str(p["part_funded"])) * 100)
             for p in result.data.get("projects") or [] if p.get("part_funded") is not None}
    assert all(0 < cents < db.session.get(Proposal, pid).cost_cents
               for pid, cents in parts.items())
    for project in projects:
        assert project.budget_cents == parts.get(project.proposal_id, project.proposal.cost_cents)
        assert project.milestones and 2 <= len(project.updates) <= 3
        assert project.history[0].to_status == "planned"
        page = client.get(f"/projects/{project.id}")
        assert page.status_code == 200 and project.title.encode() in page.data
        assert b"@example.org" not in page.data
    listing = client.get("/projects/?cycle=2026-spring")
    assert all(p.title.encode() in listing.data for p in projects)
    assert b"Funded projects" in client.get("/cycles/2026-spring").data

    again = runner.invoke(args=["demo"])
    assert "already there" in again.output
    assert db.session.scalar(select(func.count()).select_from(Project)) == len(projects)
