"""The numbers a plan shows, read only from the metrics' stored, protected cells
(``pbapp.metrics.tables``), never from measurements: a count of 1 to 10 shows as "<11" here as
everywhere else.

For a needs-assessment figure, the newest published total for the city and for each targeted
neighbourhood. For an action's target, baseline → latest → target: the baseline is the newest
total of a period ending by the target's baseline date, the latest the newest total of all;
either may be hidden, and then it says so rather than falling back on an older visible number.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..metrics.models import Metric
from ..metrics.tables import Table, format_value, series
from .models import ActionPlan, ActionTarget


def _published(metric: Metric, scope: str, ref: str) -> list[Table]:
    return [t for t in series(metric, scope, ref)
            if t.total.value is not None or t.total.hidden]


@dataclass(frozen=True)
class Figure:
    metric: Metric
    place: str  # "" for the city, else the neighbourhood's name
    slug: str | None  # the neighbourhood's slug, None for the city
    latest: Table | None


def plan_figures(plan: ActionPlan) -> list[Figure]:
    out = []
    for f in plan.figures:
        places = [("city", "", "")] + [("neighbourhood", h.slug, h.name)
                                       for h in plan.neighbourhoods]
        for scope, ref, name in places:
            found = _published(f.metric, scope, ref)
            out.append(Figure(f.metric, name, ref or None, found[-1] if found else None))
    return out


@dataclass(frozen=True)
class TargetFigures:
    target: ActionTarget
    baseline: Table | None
    latest: Table | None

    @property
    def target_display(self) -> str:
        return format_value(self.target.metric, self.target.target_value)

    @property
    def achieved(self) -> bool:
        """The latest visible total is at the target or better."""
        value = self.latest.total.value if self.latest else None
        if value is None:
            return False
        goal = self.target.target_value
        return value <= goal if self.target.metric.lower_is_better else value >= goal


def target_figures(target: ActionTarget) -> TargetFigures:
    hood = target.neighbourhood
    found = _published(target.metric, "neighbourhood" if hood else "city",
                       hood.slug if hood else "")
    before = [t for t in found if t.period_end <= target.baseline_on]
    return TargetFigures(target, before[-1] if before else None, found[-1] if found else None)
