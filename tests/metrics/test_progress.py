"""Progress of a funded project against its metric targets: baseline → latest → target."""
from __future__ import annotations

from datetime import date

import pytest

from pbapp.boards.models import Board
from pbapp.cycles.models import Cycle, Neighbourhood
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric, ProjectMetric
from pbapp.metrics.progress import expected_at, judge, progress_for
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal

BASE, TARGET = date(2025, 12, 31), date(2027, 12, 31)
HALF_WAY = date(2026, 12, 31)  # 365 of 730 days


def goal(better: str, baseline: float, target: float) -> ProjectMetric:
    """A target not stored anywhere: ``judge`` needs only its numbers and direction."""
    metric = Metric(key=f"m-{better}", name="M", kind="count", better=better)
    return ProjectMetric(metric=metric, baseline_value=baseline, baseline_period="2025",
                         baseline_on=BASE, target_value=target, target_on=TARGET)


@pytest.mark.parametrize("value, status, expected", [
    (55, "achieved", 60), (60, "achieved", 60), (79, "on_track", 80), (80, "on_track", 80),
    (81, "off_track", 80), (120, "off_track", 80)])
def test_lower_is_better(value, status, expected):
    assert judge(goal("lower", 100, 60), value, HALF_WAY) == (status, expected)


@pytest.mark.parametrize("value, status, expected", [
    (61, "achieved", 60), (60, "achieved", 60), (50, "on_track", 50), (51, "on_track", 50),
    (49.9, "off_track", 50), (20, "off_track", 50)])
def test_higher_is_better(value, status, expected):
    assert judge(goal("higher", 40, 60), value, HALF_WAY) == (status, expected)


def test_the_straight_line_runs_from_baseline_to_target():
    g = goal("lower", 100, 60)
    assert expected_at(g, BASE) == 100
    assert expected_at(g, date(2025, 6, 1)) == 100  # before the baseline: the baseline
    assert expected_at(g, date(2026, 6, 30)) == pytest.approx(100 - 40 * 181 / 730)
    assert expected_at(g, TARGET) == 60 and expected_at(g, date(2029, 1, 1)) == 60
    # measured past the target date and not there: off track against the target itself
    assert judge(g, 61, date(2028, 3, 31)) == ("off_track", 60)
    # measured before the baseline's end: judged against the baseline
    assert judge(g, 100, date(2025, 9, 30)) == ("on_track", 100)
    assert judge(g, 101, date(2025, 9, 30)) == ("off_track", 100)


def test_no_value_is_no_data():
    assert judge(goal("lower", 100, 60), None, HALF_WAY) == ("no_data", None)
    assert judge(goal("higher", 40, 60), 50, None) == ("no_data", None)


# With real rows ---------------------------------------------------------------------------------

@pytest.fixture()
def in_a_request(app):
    with app.test_request_context():
        yield


@pytest.fixture()
def world(app):
    """A funded project, a lower-is-better count and a neighbourhood."""
    board = Board(slug="east", name="East board")
    cycle = Cycle(slug="c1", name="Cycle 1", budget_cents=500_000_00, phase="implementation")
    proposal = Proposal(cycle=cycle, board=board, title="Interrupters", summary="Mediate.",
                        cost_cents=100_000_00, status="funded")
    project = Project(proposal=proposal, cycle=cycle, board=board, title="Interrupters",
                      summary="Mediate.", budget_cents=100_000_00, status="in_progress")
    hood = Neighbourhood(slug="riverside", name="Riverside")
    metric = Metric(key="injuries", name="Injuries", kind="count", better="lower")
    db.session.add_all([project, hood, metric])
    db.session.commit()
    return project, metric, hood


def aim(project, metric, hood=None) -> ProjectMetric:
    t = ProjectMetric(project_id=project.id, metric=metric, neighbourhood=hood,
                      baseline_value=100, baseline_period="2025", baseline_on=BASE,
                      target_value=60, target_on=TARGET)
    db.session.add(t)
    db.session.commit()
    return t


def put(metric, value, end: date, scope="city", ref=""):
    start = date(end.year, end.month - 2, 1)
    db.session.add(Measurement(metric_id=metric.id, scope=scope, scope_ref=ref,
                               period_start=start, period_end=end, value=value))
    db.session.commit()


def status_via_api(client, project) -> dict:
    body = client.get(f"/api/v1/projects/{project.id}").get_json()
    (target,) = body["targets"]
    return target


def test_prefers_the_project_then_the_neighbourhood(world, client, in_a_request):
    project, metric, hood = world
    aim(project, metric, hood)
    put(metric, 50, date(2026, 12, 31))  # city-wide: never used for a neighbourhood target
    (p,) = progress_for(project.id)
    assert (p.status, p.latest) == ("no_data", None)
    put(metric, 85, date(2026, 12, 31), "neighbourhood", "riverside")
    (p,) = progress_for(project.id)
    assert (p.status, p.latest_value, p.latest.scope) == ("off_track", 85, "neighbourhood")
    assert p.expected == 80
    put(metric, 75, date(2026, 9, 30), "project", str(project.id))
    (p,) = progress_for(project.id)
    assert (p.status, p.latest_value, p.latest.scope) == ("on_track", 75, "project")
    target = status_via_api(client, project)
    assert (target["status"], target["latest"]["value"], target["latest"]["scope"]) == (
        "on_track", 75, "project")


def test_without_a_neighbourhood_the_city_is_used(world, client, in_a_request):
    project, metric, _ = world
    aim(project, metric)
    put(metric, 58, date(2026, 6, 30))
    put(metric, 90, date(2026, 3, 31))
    (p,) = progress_for(project.id)
    assert (p.status, p.latest_value, p.latest.scope, p.latest.period_end) == (
        "achieved", 58, "city", date(2026, 6, 30))
    assert status_via_api(client, project)["status"] == "achieved"


def test_a_hidden_latest_count_is_no_data_not_an_older_value(world, client, in_a_request):
    project, metric, _ = world
    aim(project, metric)
    put(metric, 70, date(2026, 6, 30), "project", str(project.id))
    put(metric, 4, date(2026, 9, 30), "project", str(project.id))  # "<11"
    (p,) = progress_for(project.id)
    assert p.status == "no_data" and p.latest_value is None and p.expected is None
    assert (p.latest.total.display, p.latest.period_end) == ("<11", date(2026, 9, 30))
    target = status_via_api(client, project)
    assert target["status"] == "no_data"
    assert target["latest"] == {"value": None, "suppressed": "small", "scope": "project",
                                "scope_ref": str(project.id), "period_start": "2026-07-01",
                                "period_end": "2026-09-30"}
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "No data yet" in page and "&lt;11" in page


def test_the_project_page_shows_the_status(world, client, in_a_request):
    project, metric, _ = world
    aim(project, metric)
    put(metric, 85, date(2026, 12, 31), "project", str(project.id))
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Off track" in page and "expected by then: 80" in page
