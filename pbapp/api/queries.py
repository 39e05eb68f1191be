"""Which rows the public may read through the API: the same rules as the public pages.

The API is anonymous whatever cookie a request carries, so these never ask who is asking.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..cycles.models import Cycle, Result
from ..extensions import db
from ..metrics.models import Metric
from ..projects.models import Project
from ..proposals.models import Proposal


def public_cycles() -> list[Cycle]:
    """As the public cycles index: every cycle past its draft, newest first."""
    return list(db.session.scalars(select(Cycle).where(Cycle.phase != "draft")
                                   .order_by(Cycle.created_at.desc(), Cycle.id.desc())))


def public_cycle(slug: str) -> Cycle | None:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    return None if cycle is None or cycle.phase == "draft" else cycle


def published_result(cycle: Cycle) -> Result | None:
    """The newest published count, as the results page shows it."""
    return db.session.scalar(select(Result).where(
        Result.cycle_id == cycle.id, Result.published_at.is_not(None))
        .order_by(Result.published_at.desc()).limit(1))


def public_proposals(cycle: Cycle) -> list[Proposal]:
    """The proposals an anonymous visitor may open: reviewed ones (and withdrawn after being
    accepted), as ``Proposal.visible_to`` decides for someone signed out."""
    return list(db.session.scalars(
        Proposal.visible_to(None).where(Proposal.cycle_id == cycle.id)
        .options(selectinload(Proposal.board), selectinload(Proposal.neighbourhoods),
                 selectinload(Proposal.history))
        .order_by(Proposal.title, Proposal.id)))


def public_proposal(proposal_id: int) -> Proposal | None:
    """A proposal the public page would show to someone signed out, in a cycle past draft."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.is_public or proposal.cycle.phase == "draft":
        return None
    return proposal


def public_projects() -> list[Project]:
    """Every project: one exists only once its cycle's result is published."""
    return list(db.session.scalars(Project.listed().options(
        selectinload(Project.cycle), selectinload(Project.board))))


def metrics() -> list[Metric]:
    return list(db.session.scalars(select(Metric).order_by(Metric.name, Metric.key)))


def metric(key: str) -> Metric | None:
    return db.session.scalar(select(Metric).where(Metric.key == key))


def neighbourhoods_with_outlines() -> list:
    """(neighbourhood, its outline's polygons or None), by slug."""
    from ..cycles.models import Neighbourhood
    from ..maps.models import Boundary

    return list(db.session.execute(
        select(Neighbourhood, Boundary.polygons)
        .outerjoin(Boundary, Boundary.neighbourhood_id == Neighbourhood.id)
        .order_by(Neighbourhood.slug)).all())
