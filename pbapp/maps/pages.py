"""The maps the public pages include (as template globals, so each page's view stays as it is):
proposals and projects per neighbourhood, and a metric's latest values per neighbourhood."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale, gettext, ngettext
from sqlalchemy import select

from ..cycles.models import Neighbourhood
from ..extensions import db
from ..proposals.models import PUBLIC_STATUSES, Proposal, proposal_neighbourhood
from . import bp
from .services import MapView, count_map, outlines, value_map


@dataclass
class Row:
    name: str
    cells: list[str]
    slug: str = ""  # links the row to the directory's services there


@dataclass
class MapPanel:
    map: MapView
    columns: list[str]
    rows: list[Row]
    caption: str
    note: str = ""


def _counts(query) -> dict[str, int]:
    out: dict[str, int] = {}
    for slug, n in db.session.execute(query):
        out[slug] = n
    return out


def _per_hood(proposal_ids) -> dict[str, int]:
    from sqlalchemy import func

    return _counts(select(Neighbourhood.slug, func.count())
                   .join(proposal_neighbourhood,
                         proposal_neighbourhood.c.neighbourhood_id == Neighbourhood.id)
                   .where(proposal_neighbourhood.c.proposal_id.in_(proposal_ids))
                   .group_by(Neighbourhood.slug))


def _names() -> list[tuple[str, str]]:
    return list(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)
                                   .order_by(Neighbourhood.name)).all())


def _proposals_noun(n: int) -> str:
    return ngettext("%(num)d proposal", "%(num)d proposals", n)


def _projects_noun(n: int) -> str:
    return ngettext("%(num)d project", "%(num)d projects", n)


@bp.app_template_global()
def cycle_map(cycle) -> MapPanel | None:
    """The cycle's public proposals and its projects per neighbourhood; None without outlines."""
    from ..projects.models import Project

    if not outlines():
        return None
    proposals = _per_hood(select(Proposal.id).where(Proposal.cycle_id == cycle.id,
                                                   Proposal.status.in_(PUBLIC_STATUSES)))
    projects = _per_hood(select(Project.proposal_id).where(Project.cycle_id == cycle.id))
    panel = count_map(f"map-cycle-{cycle.id}",
                      gettext("Map: proposals per neighbourhood (the number on each)"),
                      proposals, _proposals_noun)
    rows = [Row(name, [str(proposals.get(slug, 0)), str(projects.get(slug, 0))], slug)
            for slug, name in _names()]
    return MapPanel(panel, [gettext("Proposals"), gettext("Projects")], rows,
                    gettext("Proposals and projects per neighbourhood"),
                    gettext("A proposal for several neighbourhoods counts in each."))


@bp.app_template_global()
def projects_map(projects) -> MapPanel | None:
    """The listed projects per neighbourhood (of the proposals they came from)."""
    if not outlines():
        return None
    counts = _per_hood([p.proposal_id for p in projects]) if projects else {}
    panel = count_map("map-projects", gettext("Map: projects per neighbourhood (the number on "
                                              "each)"), counts, _projects_noun)
    rows = [Row(name, [str(counts.get(slug, 0))], slug) for slug, name in _names()]
    return MapPanel(panel, [gettext("Projects")], rows,
                    gettext("Projects per neighbourhood"),
                    gettext("A project for several neighbourhoods counts in each."))


@bp.app_template_global()
def metric_map(metric) -> MapPanel | None:
    """The metric's latest published by-neighbourhood table as a choropleth: only the stored,
    protected cells (``tables``), so a hidden number is hatched and its value never read."""
    from ..metrics.tables import tables_for

    if not outlines():
        return None
    latest = [t for t in tables_for(metric, "city", "") if t.breakdown == "neighbourhood"]
    if not latest:
        return None
    table = max(latest, key=lambda t: (t.period_end, t.period_start))
    cells = {c.group: (c.value if c.hidden is None else None, c.hidden, c.display)
             for c in table.cells}
    name = metric.text("name", get_locale())
    title = gettext("Map: %(metric)s by neighbourhood, %(period)s", metric=name,
                    period=table.period_label)
    panel = value_map(f"map-metric-{metric.id}", title, cells)
    rows = [Row(name, [cells[slug][2] if slug in cells else "–"], slug)
            for slug, name in _names()]
    return MapPanel(panel, [metric.text("unit", get_locale()) or gettext("Value")], rows,
                    gettext("%(metric)s by neighbourhood, %(period)s", metric=name,
                            period=table.period_label),
                    gettext("Darker is higher. Hatched areas are hidden to protect small "
                            "numbers; they are never coloured."))
