"""A metric under a data-sharing agreement, with published measurements, in a funded project's
targets (so the project report shows its numbers); staff and a resident; and a clock that can
be stopped at any instant (``freeze``), so the city's today is whatever a test needs."""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

import pbapp.models  # noqa: F401  (every model, in the order the app imports them)
import pbapp.models_base as models_base

from pbapp.agreements.models import Agreement
from pbapp.boards.models import Board
from pbapp.cycles.models import Cycle, Neighbourhood, Result
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric, ProjectMetric
from pbapp.projects.models import Project
from pbapp.proposals.models import Proposal

from agreement_dates import EXPIRES, RETAIN, VALUE, noon



@pytest.fixture()
def freeze(monkeypatch):
    """``freeze(instant)``: the site's clock reads ``instant`` (an aware datetime), so
    ``site_today`` is its date in the city's time zone and ``utcnow`` is it in UTC."""
    def stop(instant: datetime) -> None:
        class Frozen(datetime):
            @classmethod
            def now(cls, tz=None):
                return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)
        monkeypatch.setattr(models_base, "datetime", Frozen)
    return stop


@pytest.fixture()
def world(app, make_user, freeze):
    freeze(noon(date(2026, 11, 1)))
    riverside = Neighbourhood(slug="riverside", name="Riverside")
    board = Board(slug="east-side", name="East side board")
    agreement = Agreement(slug="police-data", title="Police recorded violence",
                          parties="City Police shares with the partnership.",
                          purpose="To target the budget.", legal_basis="Public task.",
                          data_shared="Counts by neighbourhood.", retention="Two years.",
                          objection="Write to the officer.", contact="dpo@example.org",
                          starts_on=date(2025, 1, 1), expires_on=EXPIRES, retain_until=RETAIN,
                          delete_by=date(2027, 12, 31),
                          translations={"es": {"title": "Violencia registrada por la policía"}})
    metric = Metric(key="violent-incidents", name="Violent incidents", kind="count",
                    better="lower", agreement=agreement)
    other = Metric(key="free-metric", name="Free metric", kind="count", better="lower")
    cycle = Cycle(slug="spring", name="Spring", phase="implementation", method="greedy",
                  max_ranks=3, budget_cents=100_000)
    proposal = Proposal(cycle=cycle, board=board, title="Night buses", summary="Buses",
                        cost_cents=50_000, status="funded")
    db.session.add_all([riverside, board, agreement, metric, other, cycle, proposal])
    db.session.flush()
    project = Project(proposal=proposal, cycle_id=cycle.id, board_id=board.id,
                      title="Night buses", budget_cents=50_000)
    db.session.add_all([project, Result(cycle_id=cycle.id, method="greedy", data={},
                                        cvr_sha256="0" * 64, ballots=0,
                                        published_at=noon(date(2026, 4, 1)))])
    db.session.flush()
    db.session.add(ProjectMetric(project_id=project.id, metric_id=metric.id,
                                 baseline_value=5000, baseline_period="2025",
                                 baseline_on=date(2025, 12, 31), target_value=3000,
                                 target_on=date(2027, 12, 31)))
    for start, end, value in ((date(2025, 1, 1), date(2025, 12, 31), 5000),
                              (date(2026, 1, 1), date(2026, 6, 30), VALUE)):
        db.session.add(Measurement(metric=metric, scope="city", scope_ref="", period_start=start,
                                   period_end=end, value=value))
    db.session.commit()
    return SimpleNamespace(agreement=agreement, metric=metric, other=other, project=project,
                           riverside=riverside, staff=make_user("staff"),
                           admin=make_user("admin"), resident=make_user())
