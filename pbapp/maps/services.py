"""Importing neighbourhood outlines, and what each map shows: counts or a metric's latest
protected values, one area per neighbourhood, with the rows of the table beside it."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import select

from ..audit.services import record
from ..cycles.models import Neighbourhood
from ..extensions import db
from .geometry import Projected, project, read_outlines
from .models import Boundary

#: the shades of a map, lightest first (ColorBrewer "Blues", drawn on white in both schemes)
SHADES = 5


def outline_names() -> dict[str, str]:
    names = {}
    for hood in db.session.scalars(select(Neighbourhood)):
        names[hood.name.strip().casefold()] = hood.slug
        names[hood.slug.casefold()] = hood.slug
    return names


def import_outlines(data: bytes | str, actor) -> list[str]:
    """Store the file's outlines (replacing those of the same neighbourhoods) and return the
    neighbourhoods' slugs; ``OutlinesInvalid`` refuses the whole file."""
    outlines = read_outlines(data, outline_names())
    ids = dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.id)).all())
    for slug, polygons in outlines.items():
        row = db.session.get(Boundary, ids[slug])
        if row is None:
            db.session.add(Boundary(neighbourhood_id=ids[slug], polygons=polygons))
        elif row.polygons != polygons:
            row.polygons = polygons
    record(actor, "neighbourhoods.boundaries", "neighbourhoods", imported=sorted(outlines))
    db.session.flush()
    return sorted(outlines)


def outlines() -> dict[str, list]:
    """Every stored outline, by neighbourhood slug."""
    return dict(db.session.execute(
        select(Neighbourhood.slug, Boundary.polygons)
        .join(Boundary, Boundary.neighbourhood_id == Neighbourhood.id)
        .order_by(Neighbourhood.slug)).all())


@dataclass
class Shape:
    key: str
    name: str
    path: str
    label_x: float
    label_y: float
    shade: int | None  # 0..SHADES-1; None: no value
    hatched: bool
    label: str  # short text drawn on the area ("" for none)
    title: str  # the area's tooltip and accessible text


@dataclass
class MapView:
    id: str
    title: str
    width: float
    height: float
    shapes: list[Shape]
    legend: list[tuple[str, int | None, bool]] = field(default_factory=list)  # text, shade, hatch


def _shade(value: float, low: float, high: float) -> int:
    if high <= low:
        return SHADES - 1
    return min(SHADES - 1, int((value - low) / (high - low) * SHADES))


def count_map(map_id: str, title: str, counts: dict[str, int], noun) -> MapView | None:
    """Areas shaded by a count per neighbourhood slug and labelled with it; ``noun(n)`` says
    what is counted ("3 proposals"). None when no neighbourhood has an outline."""
    shapes_of = outlines()
    if not shapes_of:
        return None
    projected = project(shapes_of)
    names = dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)).all())
    high = max(counts.values(), default=0)
    shapes = []
    for area in projected.areas:
        n = counts.get(area.key, 0)
        shapes.append(Shape(area.key, names[area.key], area.path, area.label_x, area.label_y,
                            _shade(n, 0, high) if n else None, False, str(n),
                            f"{names[area.key]}: {noun(n)}"))
    legend = [(gettext("none"), None, False)]
    if high:
        legend.append((gettext("more, darker: up to %(num)d", num=high), SHADES - 1, False))
    return _view(map_id, title, projected, shapes, legend)


def _view(map_id, title, projected: Projected, shapes, legend) -> MapView:
    return MapView(map_id, title, projected.width, projected.height, shapes, legend)


def value_map(map_id: str, title: str, cells: dict[str, tuple[float | None, str | None, str]],
              ) -> MapView | None:
    """A choropleth of one protected table: ``cells`` maps a neighbourhood slug to (value or
    None, why hidden or None, the text shown). A hidden cell is hatched and never shaded: its
    value is not even passed in."""
    shapes_of = outlines()
    if not shapes_of:
        return None
    projected = project(shapes_of)
    names = dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)).all())
    shown = [v for v, hidden, _text in cells.values() if hidden is None and v is not None]
    low, high = (min(shown), max(shown)) if shown else (0, 0)
    shapes = []
    for area in projected.areas:
        value, hidden, text = cells.get(area.key, (None, None, "–"))
        shade = _shade(value, low, high) if hidden is None and value is not None else None
        shapes.append(Shape(area.key, names[area.key], area.path, area.label_x, area.label_y,
                            shade, hidden is not None, "", f"{names[area.key]}: {text}"))
    legend = []
    if shown:
        legend.append((gettext("lowest shown: %(value)s", value=_text_of(cells, low)), 0, False))
        legend.append((gettext("highest shown: %(value)s", value=_text_of(cells, high)),
                       SHADES - 1, False))
    if any(s.hatched for s in shapes):
        legend.append((gettext("hidden to protect small numbers"), None, True))
    if any(s.shade is None and not s.hatched for s in shapes):
        legend.append((gettext("not measured"), None, False))
    return _view(map_id, title, projected, shapes, legend)


def _text_of(cells, value) -> str:
    return next(text for v, hidden, text in cells.values() if hidden is None and v == value)


def neighbourhood_counts(rows) -> dict[str, int]:
    """(neighbourhood slug, …) rows counted by slug."""
    return dict(Counter(slug for slug, *_rest in rows))
