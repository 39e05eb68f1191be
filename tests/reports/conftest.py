"""A published cycle with known turnout, spending and a metric, for the report tests."""
from __future__ import annotations

from datetime import date

import pytest

from pbapp.cycles.models import Neighbourhood
from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric, ProjectMetric
from pbapp.projects.models import Project, Spending
from pbapp.voting.services import cast_ballot, voter_key

HOODS = (("docklands", "Docklands"), ("hilltop", "Hilltop"), ("old-town", "Old Town"),
         ("riverside", "Riverside"))
#: (channel, neighbourhood slug or None, age band or None, how many): Riverside 20, Hilltop 14,
#: Old Town 3 (small), Docklands 0, not recorded 25; so Hilltop is hidden too, complementarily
VOTERS = (("online", "riverside", "18-24", 20), ("online", "hilltop", "25-34", 14),
          ("online", "old-town", "25-34", 3), ("code", None, None, 13),
          ("paper", None, None, 12))


@pytest.fixture()
def hoods(app) -> dict[str, Neighbourhood]:
    made = {slug: Neighbourhood(slug=slug, name=name) for slug, name in HOODS}
    db.session.add_all(made.values())
    db.session.commit()
    return made


@pytest.fixture()
def publish(make_cycle, make_proposal, make_user, hoods):
    """``publish(titles, voters=VOTERS, slug=...)``: everyone ranks the first two titles (cost
    400 and 300 of a 1,000 budget), so both are funded; returns (cycle, result, projects)."""
    staff = make_user("staff", name="Sam Staff")

    def run(titles=("Street lights", "Youth centre", "Garden"), voters=VOTERS,
            slug="2026-spring"):
        cycle = make_cycle(slug=slug, phase="voting", method="greedy", budget=1000,
                           name="Spring 2026")
        cycle.neighbourhoods = list(hoods.values())
        props = [make_proposal(cycle, t, cost=c) for t, c in zip(titles, (400, 300, 500))]
        n = 0
        for channel, hood, band, count in voters:
            for _ in range(count):
                cast_ballot(cycle, voter_key("test", f"{slug}-{n}"), channel,
                            [props[0].id, props[1].id],
                            neighbourhood_id=hoods[hood].id if hood else None, age_band=band)
                n += 1
        cycle.phase = "counting"
        result = count_cycle(cycle, staff)
        publish_result(result, staff)
        db.session.commit()
        projects = list(db.session.scalars(Project.listed(cycle.id)))
        return cycle, result, projects
    return run


@pytest.fixture()
def tracked(publish, hoods):
    """The published cycle with spending on its first project and a metric target there:
    violent injuries, 7 (small) then 38 then 35 city-wide, the latest by age band 4/20/11."""
    cycle, result, projects = publish()
    project = next(p for p in projects if p.title == "Street lights")
    db.session.add_all([
        Spending(project=project, spent_on=date(2026, 6, 1), amount_cents=150_00,
                 category="staff", payee="Lights Ltd"),
        Spending(project=project, spent_on=date(2026, 7, 1), amount_cents=50_00,
                 category="equipment", payee="Poles Inc")])
    metric = Metric(key="violent-injuries", name="Violent injuries", unit="injuries",
                    kind="count", better="lower", source="hospital")
    db.session.add(metric)
    periods = ((date(2025, 10, 1), date(2025, 12, 31), 7),
               (date(2026, 1, 1), date(2026, 3, 31), 38),
               (date(2026, 4, 1), date(2026, 6, 30), 35))
    for start, end, value in periods:
        db.session.add(Measurement(metric=metric, scope="city", scope_ref="", period_start=start,
                                   period_end=end, value=value))
    for group, value in (("18-24", 4), ("25-34", 20), ("35-44", 11)):
        db.session.add(Measurement(metric=metric, scope="city", scope_ref="",
                                   period_start=date(2026, 4, 1), period_end=date(2026, 6, 30),
                                   breakdown="age_band", group_name=group, value=value))
    db.session.add(ProjectMetric(project_id=project.id, metric=metric, baseline_value=40,
                                 baseline_period="2025", baseline_on=date(2025, 12, 31),
                                 target_value=30, target_on=date(2027, 6, 30)))
    db.session.commit()
    return cycle, result, project
