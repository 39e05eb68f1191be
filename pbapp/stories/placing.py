"""Which approved stories a page shows, and what each may say about where its author lives.

The small-cell rule for stories (the submission page says the same to authors):

- A story shows its neighbourhood only when no figure it sits beside is hidden for that
  neighbourhood: for the story's own metric, and for every metric its project is measured by,
  every published total of that neighbourhood must be a number shown (not "<11", not "—").
  Otherwise the story appears without its neighbourhood, on every page and in the API. A
  neighbourhood with no published figure for those metrics may be shown: no number sits beside
  it. The rule holds whatever name the story is under, since a chosen name can be known too.
- The site never asks for, stores or prints an author's age, age band, sector or anything else
  about them beyond the name they chose, so no age band and neighbourhood can appear together.

This is read when the page is drawn, from the metrics' protected cells, so a figure that becomes
hidden later hides the neighbourhood from then on.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from ..cycles.models import Neighbourhood
from ..extensions import db
from ..metrics.models import Metric, ProjectMetric
from ..metrics.tables import series
from .models import Story


@dataclass(frozen=True)
class Shown:
    """One story as the public sees it."""

    story: Story
    #: None when the small-cell rule keeps it off, or the story has none
    neighbourhood: Neighbourhood | None


def approved():
    """Approved stories, newest first (a ``select``)."""
    return select(Story).where(Story.status == "approved").order_by(
        Story.decided_at.desc(), Story.id.desc())


def about(project_ids=(), metric_ids=(), neighbourhood_ids=()):
    """Approved stories linked to any of these projects, metrics or neighbourhoods."""
    terms = [column.in_(list(ids)) for column, ids in (
        (Story.project_id, project_ids), (Story.metric_id, metric_ids),
        (Story.neighbourhood_id, neighbourhood_ids)) if ids]
    if not terms:
        return []
    return list(db.session.scalars(approved().where(or_(*terms))))


def _hidden_somewhere(metric: Metric, slug: str, memo: dict) -> bool:
    key = (metric.id, slug)
    if key not in memo:
        memo[key] = any(t.total.hidden for t in series(metric, "neighbourhood", slug))
    return memo[key]


def beside_metrics(story: Story) -> list[Metric]:
    """The metrics a story sits beside: its own, and its project's."""
    metrics = [story.metric] if story.metric is not None else []
    if story.project_id is not None:
        metrics += db.session.scalars(select(Metric).join(
            ProjectMetric, ProjectMetric.metric_id == Metric.id).where(
            ProjectMetric.project_id == story.project_id))
    return metrics


def neighbourhood_shown(story: Story, memo: dict | None = None) -> bool:
    """The rule in the module's docstring."""
    if story.neighbourhood is None:
        return False
    memo = {} if memo is None else memo
    return not any(_hidden_somewhere(m, story.neighbourhood.slug, memo)
                   for m in beside_metrics(story))


def shown(stories) -> list[Shown]:
    memo: dict = {}
    return [Shown(s, s.neighbourhood if neighbourhood_shown(s, memo) else None)
            for s in stories if s.is_public]
