"""A small city for stories: two neighbourhoods, a metric whose Riverside count is small (shown
as "<11") and whose Northgate count is not, a funded project measured by it, a verified
resident, an unverified one, a board member and staff."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

import pbapp.models  # noqa: F401  (every model, in the order the app imports them)

from pbapp.boards.models import Board, Membership
from pbapp.cycles.models import Cycle, Neighbourhood
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric, ProjectMetric
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal


def _count(metric, value, scope="city", ref=""):
    db.session.add(Measurement(metric=metric, scope=scope, scope_ref=ref,
                               period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
                               value=value))


@pytest.fixture()
def world(app, make_user, fresh_limits):
    riverside = Neighbourhood(slug="riverside", name="Riverside")
    northgate = Neighbourhood(slug="northgate", name="Northgate")
    board = Board(slug="east-side", name="East side board")
    db.session.add_all([riverside, northgate, board])
    resident = make_user(name="Rosa Resident")
    unverified = make_user(name="New Person", verified=False)
    member = make_user(name="Board Member", verified=False)
    staff = make_user("staff", name="Sam Staff")
    board.memberships.append(Membership(user=member, seat="youth", organisation="Youth Forum",
                                        term_start=date(2020, 1, 1)))
    injuries = Metric(key="violent-injury", name="Violent injuries", kind="count",
                      better="lower")
    db.session.add(injuries)
    db.session.flush()
    # no city total: with one, Northgate's count would be hidden too (it would give Riverside's
    # away by subtraction)
    _count(injuries, 5, "neighbourhood", "riverside")  # small: "<11"
    _count(injuries, 35, "neighbourhood", "northgate")
    cycle = Cycle(slug="spring", name="Spring", phase="implementation", method="greedy",
                  max_ranks=3, budget_cents=100_000)
    proposal = Proposal(cycle=cycle, board=board, title="Night buses", summary="Buses",
                        cost_cents=50_000, status="funded")
    other = Proposal(cycle=cycle, board=board, title="Quiet project", summary="Quiet",
                     cost_cents=10_000, status="funded")
    db.session.add_all([cycle, proposal, other])
    db.session.flush()
    project = Project(proposal=proposal, cycle_id=cycle.id, board_id=board.id,
                      title="Night buses", budget_cents=50_000)
    quiet = Project(proposal=other, cycle_id=cycle.id, board_id=board.id,
                    title="Quiet project", budget_cents=10_000)
    db.session.add_all([project, quiet])
    db.session.flush()
    db.session.add(ProjectMetric(project_id=project.id, metric_id=injuries.id,
                                 baseline_value=40, baseline_period="2025",
                                 baseline_on=date(2025, 12, 31), target_value=30,
                                 target_on=date(2027, 12, 31)))
    db.session.commit()
    return SimpleNamespace(riverside=riverside, northgate=northgate, board=board,
                           resident=resident, unverified=unverified, member=member, staff=staff,
                           injuries=injuries, cycle=cycle, project=project, quiet=quiet)


@pytest.fixture()
def send_story(client, csrf):
    """POST the story form with good defaults; ``**fields`` override them (None drops one)."""
    def send(**fields):
        data = {"csrf_token": csrf("/stories/new"), "body": "The night bus got me home safe.",
                "name_choice": "anonymous", "given_name": "", "consent": "y",
                "neighbourhood": "", "project": "", "metric": ""}
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        return client.post("/stories/new", data=data, content_type="multipart/form-data")
    return send

