"""Public project pages: budget, status with its reasons, milestones, updates; nothing private."""
from datetime import date, datetime, timedelta, timezone

from pbapp.extensions import db
from pbapp.projects.models import Milestone, ProjectStatusChange, ProjectUpdate


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_project_page_shows_the_public_record(client, board, member, make_project):
    project = make_project(board, status="in_progress", title="Street lighting",
                           cost=90_500)
    project.history.append(ProjectStatusChange(actor_id=member.id, from_status="in_progress",
                                               to_status="paused",
                                               reason="Cabling contractor went bust."))
    project.status = "paused"
    today = date.today()
    project.milestones += [
        Milestone(title="Survey done", due_on=today - timedelta(days=60),
                  done_on=today - timedelta(days=62)),
        Milestone(title="Lamps installed", due_on=today - timedelta(days=5), note="Phase one"),
        Milestone(title="Walk-through", due_on=today + timedelta(days=30)),
    ]
    project.updates += [
        ProjectUpdate(title="Work starts", body="First **spade** in the ground.",
                      author_id=member.id, published_at=_utc(2026, 5, 1, 9)),
        ProjectUpdate(title="Halfway there", body="Half the lamps are up.\n\n"
                      "<script>alert('x')</script>[bad](javascript:alert(1))",
                      author_id=member.id, published_at=_utc(2026, 8, 1, 9)),
    ]
    db.session.commit()

    resp = client.get(f"/projects/{project.id}")
    assert resp.status_code == 200
    page = resp.data.decode()
    assert "Street lighting" in page and "90,500" in page
    assert "Paused" in page and "Cabling contractor went bust." in page and "Funded." in page
    assert page.index("Survey done") < page.index("Lamps installed") < page.index("Walk-through")
    assert page.count("Overdue") == 1
    assert page.index("Lamps installed") < page.index("Overdue") < page.index("Walk-through")
    assert page.index("Halfway there") < page.index("Work starts")  # newest first
    assert "<strong>spade</strong>" in page
    assert "<script>" not in page and "javascript:" not in page
    assert "Keisha Grant" in page and "keisha@example.org" not in page
    assert f'href="/proposals/{project.proposal_id}"' in page
    assert f'href="/boards/{board.slug}"' in page
    # a visitor sees no buttons that change anything
    assert "Post an update" not in page and "Mark done" not in page


def test_members_see_the_actions(client, login, board, member, project):
    project.milestones.append(Milestone(title="Contract", due_on=date(2026, 12, 1)))
    db.session.commit()
    login(member)
    page = client.get(f"/projects/{project.id}").data.decode()
    for text in ("Post an update", "Add a milestone", "Change status", "Mark done today"):
        assert text in page
    assert 'name="csrf_token"' in page


def test_index_lists_and_filters(client, board, make_project):
    first = make_project(board, title="Street lighting", status="in_progress")
    make_project(board, title="Youth jobs", status="completed", cycle=first.cycle)
    other = make_project(board, title="Crisis line", status="in_progress")

    page = client.get("/projects/").data.decode()
    for title in ("Street lighting", "Youth jobs", "Crisis line"):
        assert title in page
    by_status = client.get("/projects/?status=in_progress").data.decode()
    assert "Street lighting" in by_status and "Crisis line" in by_status
    assert "Youth jobs" not in by_status
    by_cycle = client.get(f"/projects/?cycle={first.cycle.slug}").data.decode()
    assert "Street lighting" in by_cycle and "Youth jobs" in by_cycle
    assert "Crisis line" not in by_cycle
    both = client.get(f"/projects/?cycle={other.cycle.slug}&status=completed").data.decode()
    assert "No projects match." in both

    fragment = client.get("/projects/?status=completed", headers={"HX-Request": "true"})
    assert fragment.data.lstrip().startswith(b'<div id="project-list"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_index_accepts_only_listed_filters(client, board, project, make_project):
    assert client.get("/projects/?status=bogus").status_code == 400
    assert client.get("/projects/?cycle=nope").status_code == 404
    voting = make_project(board, title="Not yet", phase="voting")
    assert client.get(f"/projects/?cycle={voting.cycle.slug}").status_code == 404


def test_unknown_project_is_404(client, project):
    assert client.get(f"/projects/{project.id + 100}").status_code == 404
    assert client.get("/projects/abc").status_code == 404


def test_cycle_page_links_to_its_funded_projects(client, make_cycle):
    cycle = make_cycle(slug="spring", phase="implementation")
    assert b'href="/projects/?cycle=spring"' in client.get("/cycles/spring").data
    cycle.phase = "closed"
    db.session.commit()
    assert b"Funded projects" in client.get("/cycles/spring").data
    cycle.phase = "voting"
    db.session.commit()
    assert b"Funded projects" not in client.get("/cycles/spring").data
