"""The metrics a funded project aims to move: its baseline and target for each, set by staff or
the project's board, checked before anything is written."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import get_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..labels import N_
from ..metrics.models import Metric, ProjectMetric
from .models import Project
from .services import Invalid, check_manage

@dataclass
class TargetFields:
    metric_id: int | None
    neighbourhood_id: int | None
    baseline_value: float | None
    baseline_period: str
    baseline_on: date | None
    target_value: float | None
    target_on: date | None


def _check_number(metric: Metric, value: float | None, field: str, what: str) -> float:
    if value is None:
        raise Invalid(f"Give the {what} value.", field)
    if not math.isfinite(value):
        raise Invalid(f"The {what} value must be a number.", field)
    if value < 0:
        raise Invalid(f"The {what} value cannot be negative.", field)
    if metric.kind == "percent" and value > 100:
        raise Invalid(f"The {what} value is a percentage: at most 100.", field)
    return float(value)


def add_target(user, project: Project, fields: TargetFields) -> ProjectMetric:
    """Declare a metric the project aims to move. A target on the wrong side of its baseline
    is refused: progress would call it achieved the day it was set."""
    check_manage(user, project, N_("Setting metric targets"))
    metric = db.session.get(Metric, fields.metric_id) if fields.metric_id else None
    if metric is None:
        raise Invalid(gettext("Choose a metric from the catalogue."), "metric")
    neighbourhood = None
    if fields.neighbourhood_id:
        neighbourhood = db.session.get(Neighbourhood, fields.neighbourhood_id)
        if neighbourhood is None:
            raise Invalid(gettext("Choose one of the neighbourhoods listed."), "neighbourhood")
    if db.session.scalar(select(ProjectMetric.id).where(
            ProjectMetric.project_id == project.id, ProjectMetric.metric_id == metric.id)):
        raise Invalid(gettext("This project already has a target for “%(metric)s”; remove "
                              "that one first to set a different target.",
                              metric=metric.text("name", get_locale())),
                      "metric")
    baseline = _check_number(metric, fields.baseline_value, "baseline_value", "baseline")
    period = (fields.baseline_period or "").strip()
    if not period:
        raise Invalid(gettext("Say which period the baseline describes, e.g. “2025”."), "baseline_period")
    if len(period) > 60:
        raise Invalid(gettext("Keep the baseline period under 60 characters."), "baseline_period")
    if fields.baseline_on is None:
        raise Invalid(gettext("Give the last day of the baseline period."), "baseline_on")
    target = _check_number(metric, fields.target_value, "target_value", "target")
    if fields.target_on is None:
        raise Invalid(gettext("Give the date the target should be reached by."), "target_on")
    if fields.target_on <= fields.baseline_on:
        raise Invalid(gettext("The target date must come after the baseline period ends."), "target_on")
    worse = target > baseline if metric.lower_is_better else target < baseline
    if worse:
        direction = "lower" if metric.lower_is_better else "higher"
        raise Invalid(f"For “{metric.name}” {direction} is better, so the target cannot be "
                      f"{'above' if metric.lower_is_better else 'below'} the baseline.",
                      "target_value")
    row = ProjectMetric(project_id=project.id, metric_id=metric.id,
                        neighbourhood_id=neighbourhood.id if neighbourhood else None,
                        baseline_value=baseline, baseline_period=period,
                        baseline_on=fields.baseline_on, target_value=target,
                        target_on=fields.target_on)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # someone set the same metric a moment ago
        raise Invalid(gettext("This project already has a target for “%(metric)s”.",
                              metric=metric.text("name", get_locale())), "metric")
    record(user, "project.target_add", f"project:{project.id}", target_id=row.id,
           metric=metric.key, neighbourhood=neighbourhood.slug if neighbourhood else None,
           baseline_value=baseline, baseline_period=period,
           baseline_on=fields.baseline_on.isoformat(), target_value=target,
           target_on=fields.target_on.isoformat())
    return row


def remove_target(user, project: Project, target: ProjectMetric) -> None:
    check_manage(user, project, N_("Removing a metric target"))
    if target.project_id != project.id:
        raise Invalid(gettext("That target belongs to another project."))
    detail = dict(target_id=target.id, metric=target.metric.key,
                  baseline_value=target.baseline_value, target_value=target.target_value,
                  target_on=target.target_on.isoformat())
    db.session.delete(target)
    db.session.flush()
    record(user, "project.target_remove", f"project:{project.id}", **detail)
