"""Publishing a result turns each funded proposal into a planned project, once."""
import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.audit.services import verify_chain
from pbapp.cycles.models import Result
from pbapp.cycles.services import PhaseError, count_cycle, publish_result
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.projects.services import create_projects_for
from pbapp.voting.services import cast_ballot, voter_key


@pytest.fixture()
def counted(make_cycle, make_proposal, make_user):
    """A counted cycle (greedy, budget 1000): lights and youth win, garden does not."""
    cycle = make_cycle(phase="voting", max_ranks=3, budget=1000)
    lights = make_proposal(cycle, "Street lights", cost=600)
    youth = make_proposal(cycle, "Youth centre", cost=300)
    garden = make_proposal(cycle, "Community garden", cost=500)
    rankings = ([lights.id, youth.id],) * 3 + ([youth.id, garden.id],) * 3 + (
        [garden.id, youth.id, lights.id],)
    for i, ranking in enumerate(rankings):
        cast_ballot(cycle, voter_key("test", i), "online", list(ranking))
    cycle.phase = "counting"
    db.session.commit()
    staff = make_user("staff", name="Sam Staff")
    result = count_cycle(cycle, staff)
    db.session.commit()
    return result, staff, {"lights": lights, "youth": youth, "garden": garden}


def _projects() -> list[Project]:
    db.session.expire_all()
    return list(db.session.scalars(select(Project).order_by(Project.title)))


def test_publishing_makes_one_planned_project_per_funded_proposal(client, login, csrf,
                                                                  counted):
    result, staff, props = counted
    login(staff)
    url = f"/cycles/manage/spring/results/{result.id}"
    resp = client.post(f"{url}/publish", data={"csrf_token": csrf(url)})
    assert resp.status_code == 303

    projects = _projects()
    assert [p.title for p in projects] == ["Street lights", "Youth centre"]
    for project in projects:
        proposal = props["lights" if project.title == "Street lights" else "youth"]
        assert project.proposal_id == proposal.id
        assert project.cycle_id == proposal.cycle_id and project.board_id == proposal.board_id
        assert project.budget_cents == proposal.cost_cents and project.budget == proposal.cost
        assert project.summary == proposal.summary
        assert project.status == "planned"
        [first] = project.history
        assert (first.from_status, first.to_status, first.actor_id) == (None, "planned",
                                                                          staff.id)
        assert "Cycle spring" in first.reason

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cycle.publish"))
    assert event.detail["projects"] == {str(p.proposal_id): p.id for p in projects}
    assert verify_chain() == (True, None)


def test_publishing_twice_is_refused_and_makes_no_more_projects(client, login, csrf, counted):
    result, staff, _ = counted
    login(staff)
    url = f"/cycles/manage/spring/results/{result.id}"
    assert client.post(f"{url}/publish", data={"csrf_token": csrf(url)}).status_code == 303
    again = client.post(f"{url}/publish", data={"csrf_token": csrf(url)}, follow_redirects=True)
    assert again.status_code == 200
    assert len(_projects()) == 2

    result = db.session.get(Result, result.id)
    with pytest.raises(PhaseError):
        publish_result(result, staff)
    db.session.rollback()
    assert create_projects_for(result, staff) == []  # already there: nothing new
    assert db.session.scalar(select(func.count()).select_from(Project)) == 2


def test_a_refused_publication_makes_no_project(counted):
    result, staff, _ = counted
    result.cycle.phase = "voting"
    db.session.commit()
    with pytest.raises(PhaseError):
        publish_result(result, staff)
    db.session.rollback()
    assert _projects() == []


def test_nothing_funded_means_no_projects(make_cycle, make_proposal, make_user):
    cycle = make_cycle(phase="counting", budget=10)
    make_proposal(cycle, "Too dear", cost=500)
    staff = make_user("staff")
    result = count_cycle(cycle, staff)
    publish_result(result, staff)
    db.session.commit()
    assert result.data["winners"] == [] and _projects() == []
    assert cycle.phase == "implementation"


def test_a_counted_proposal_links_to_its_result_and_project_with_its_score(client, counted):
    """Issue 18: a funded proposal's page linked neither to its project nor to the result and
    showed no score; an unfunded one did not say why."""
    result, staff, props = counted
    publish_result(result, staff)
    db.session.commit()
    project = db.session.scalar(select(Project).where(Project.proposal_id == props["lights"].id))
    funded = client.get(f"/proposals/{props['lights'].id}").get_data(as_text=True)
    entry = next(p for p in result.data["projects"] if p["id"] == str(props["lights"].id))
    assert "In the count" in funded and "Funded." in funded
    assert f"Its score in the count: {entry['score']:,}." in funded
    assert '<a href="/cycles/spring/results">The result, round by round</a>' in funded
    assert f'<a href="/projects/{project.id}">The project it became' in funded
    garden = client.get(f"/proposals/{props['garden'].id}").get_data(as_text=True)
    assert "Not funded:" in garden and "The project it became" not in garden
