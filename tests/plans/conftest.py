"""A small partnership for action plans: two boards with members, a resident, staff, a metric
with protected figures (one of them small), a funded project, and a published plan."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

import pbapp.models  # noqa: F401  (every model, in the order the app imports them)

from pbapp.boards.models import Board, Membership
from pbapp.cycles.models import Cycle, Neighbourhood
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric
from pbapp.models_base import site_today
from pbapp.plans.models import ActionPlan, PlanAction, PlanFigure
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal


def _total(metric, start, end, value, scope="city", ref=""):
    db.session.add(Measurement(metric=metric, scope=scope, scope_ref=ref, period_start=start,
                               period_end=end, value=value))


@pytest.fixture()
def world(app, make_user):
    riverside = Neighbourhood(slug="riverside", name="Riverside")
    northgate = Neighbourhood(slug="northgate", name="Northgate")
    east = Board(slug="east-side", name="East side board")
    north = Board(slug="north-side", name="North side board")
    db.session.add_all([riverside, northgate, east, north])
    member, other = make_user(name="East member"), make_user(name="North member")
    resident, staff, past = make_user(), make_user("staff"), make_user(name="Former member")
    lead = Membership(user=member, seat="public_health", organisation="City Public Health",
                      term_start=date(2020, 1, 1))
    east.memberships.append(lead)
    east.memberships.append(Membership(user=past, seat="youth", organisation="Youth Forum",
                                       term_start=date(2020, 1, 1), term_end=date(2021, 1, 1)))
    north.memberships.append(Membership(user=other, seat="police", organisation="North Police",
                                        term_start=date(2020, 1, 1)))
    injuries = Metric(key="violent-injury", name="Violent injuries", kind="count",
                      better="lower", translations={"es": {"name": "Lesiones violentas"}})
    db.session.add(injuries)
    db.session.flush()
    _total(injuries, date(2025, 1, 1), date(2025, 12, 31), 40)
    _total(injuries, date(2026, 1, 1), date(2026, 6, 30), 5)  # small: shown as "<11"
    _total(injuries, date(2025, 1, 1), date(2025, 12, 31), 23, "neighbourhood", "riverside")
    cycle = Cycle(slug="spring", name="Spring", phase="implementation", method="greedy",
                  max_ranks=3, budget_cents=100_000)
    proposal = Proposal(cycle=cycle, board=east, title="Night buses", summary="Buses",
                        cost_cents=50_000, status="funded")
    db.session.add_all([cycle, proposal])
    db.session.flush()
    project = Project(proposal=proposal, cycle_id=cycle.id, board_id=east.id,
                      title="Night buses", budget_cents=50_000)
    db.session.add(project)
    today = site_today()
    plan = ActionPlan(board=east, title="Safety plan 2026", period_start=date(2026, 1, 1),
                      period_end=date(2026, 12, 31), needs="Injuries **rose** in Riverside.",
                      status="published", neighbourhoods=[riverside],
                      figures=[PlanFigure(metric=injuries)])
    draft = ActionPlan(board=east, title="Draft plan", period_start=date(2027, 1, 1),
                       period_end=date(2027, 12, 31), status="draft")
    hub, training, mapping = actions = [
        PlanAction(title="Open a youth hub", lead=lead, lead_organisation=lead.organisation,
                   due_on=today + timedelta(days=30), status="under_way", projects=[project]),
        PlanAction(title="Train door staff", lead=lead, lead_organisation=lead.organisation,
                   due_on=today - timedelta(days=1), status="planned"),
        PlanAction(title="Map hot spots", lead=lead, lead_organisation=lead.organisation,
                   due_on=today - timedelta(days=60), status="done"),
    ]
    plan.actions = list(actions)
    db.session.add_all([plan, draft])
    db.session.commit()
    return SimpleNamespace(riverside=riverside, northgate=northgate, east=east, north=north,
                           member=member, other=other, resident=resident, staff=staff,
                           past=past, lead=lead, injuries=injuries, project=project,
                           proposal=proposal, plan=plan, draft=draft,
                           hub=hub, training=training, mapping=mapping)
