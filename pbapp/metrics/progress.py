"""Progress of a funded project on the metrics it aims to move: baseline → latest → target.

The latest value is the newest published total (after small-cell protection) measured for the
project itself, else for the neighbourhood the target names, else (when it names none) for the
city. When that newest total is hidden ("<11") there is no data: an older visible value would
pass stale news off as the latest. "On track" compares it with a straight line from the
baseline to the target: a project is on track when the latest value is at least as good as that
line at the latest period's end.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from .models import ProjectMetric
from .tables import Table, series

#: what the status words mean, for the page's key
STATUSES = ("achieved", "on_track", "off_track", "no_data")


@dataclass(frozen=True)
class Progress:
    target: ProjectMetric
    latest: Table | None  # the protected total it was read from, with its period and scope
    status: str  # one of STATUSES
    expected: float | None  # where the straight line says it should be by the latest period

    @property
    def latest_value(self) -> float | None:
        return self.latest.total.value if self.latest else None


def expected_at(target: ProjectMetric, when: date) -> float:
    span = (target.target_on - target.baseline_on).days
    if span <= 0 or when >= target.target_on:
        return target.target_value
    if when <= target.baseline_on:
        return target.baseline_value
    share = (when - target.baseline_on).days / span
    return target.baseline_value + (target.target_value - target.baseline_value) * share


def _at_least_as_good(lower_better: bool, value: float, than: float) -> bool:
    return value <= than if lower_better else value >= than


def judge(target: ProjectMetric, latest_value: float | None, latest_on: date | None
          ) -> tuple[str, float | None]:
    """(status, expected) for one target, given the latest value and the day it was measured to."""
    if latest_value is None or latest_on is None:
        return "no_data", None
    lower = target.metric.lower_is_better
    if _at_least_as_good(lower, latest_value, target.target_value):
        return "achieved", target.target_value
    expected = expected_at(target, latest_on)
    status = "on_track" if _at_least_as_good(lower, latest_value, expected) else "off_track"
    return status, expected


def latest_for(target: ProjectMetric) -> Table | None:
    """The newest total published for the first of the target's scopes that has one, shown or
    hidden; a neighbourhood target is never judged on city-wide numbers."""
    scopes = [("project", str(target.project_id)),
              ("neighbourhood", target.neighbourhood.slug) if target.neighbourhood
              else ("city", "")]
    for scope, ref in scopes:
        points = [t for t in series(target.metric, scope, ref)
                  if t.total.value is not None or t.total.hidden]
        if points:
            return points[-1]
    return None


def progress_of(target: ProjectMetric) -> Progress:
    latest = latest_for(target)
    status, expected = judge(target, latest.total.value if latest else None,
                             latest.period_end if latest else None)
    return Progress(target, latest, status, expected)


def progress_for(project_id: int) -> list[Progress]:
    targets = db.session.scalars(select(ProjectMetric).where(
        ProjectMetric.project_id == project_id).order_by(ProjectMetric.id)).all()
    return [progress_of(t) for t in targets]
