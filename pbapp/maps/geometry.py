"""GeoJSON outlines in, SVG paths out. Pure: no Flask, no database.

``read_outlines`` accepts a FeatureCollection whose features are Polygons or MultiPolygons with
a ``name`` (or ``slug``) property, and refuses anything else in words, naming the feature.
``project`` fits every outline into one SVG box with an equirectangular projection scaled by
the cosine of the middle latitude (neighbourhoods are small: no visible distortion).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_POINTS = 200_000
#: the SVG box's width in user units; text sizes are in the same units
WIDTH = 320.0
PADDING = 8.0


def N_(message: str) -> str:
    """Mark a text for ``pybabel extract``; the staff page translates it (this module stays
    free of Flask)."""
    return message


class Problem(str):
    """One problem, in English (for the command line), keeping its message id and values so
    a page can show it in the reader's language (``translated``)."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        self = super().__new__(cls, template % params if params else template)
        self.template, self.params = template, params
        return self

    def translated(self, gettext) -> str:
        """``gettext(template, **values)`` with any problem among the values translated too."""
        values = {k: v.translated(gettext) if isinstance(v, Problem) else v
                  for k, v in self.params.items()}
        return gettext(self.template, **values) if values else gettext(self.template)


class OutlinesInvalid(ValueError):
    """The file was refused as a whole; ``problems`` lists what is wrong, feature by feature."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s); no outline was imported.")
        self.problems = problems


def _number(value) -> bool:
    """A finite JSON number (an int too large for a float is a number; the range check then
    refuses it, where ``math.isfinite`` would raise OverflowError)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _ring_problem(ring) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return Problem(N_("a ring needs at least four positions (the first repeated at the "
                          "end)"))
    for point in ring:
        if not (isinstance(point, list) and len(point) in (2, 3) and all(map(_number, point))):
            return Problem(N_("a position is not [longitude, latitude] in numbers"))
        if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            return Problem(N_("the position %(position)s is not a longitude (-180 to 180) "
                              "and latitude (-90 to 90); give WGS 84 degrees, longitude first"),
                           position=str(point[:2])[:60])
    if ring[0][:2] != ring[-1][:2]:
        return Problem(N_("a ring does not end where it starts"))
    return None


def _polygons(geometry) -> tuple[list | None, str | None]:
    """The geometry as MultiPolygon coordinates rounded to 6 decimals, or why not."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon",
                                                                      "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        return None, (Problem(N_("its geometry is %(kind)s, not a Polygon or MultiPolygon"),
                              kind=repr(str(kind)[:30]))
                      if kind else Problem(N_("it has no geometry")))
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return None, Problem(N_("its coordinates are empty"))
    out = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None, Problem(N_("a polygon has no rings"))
        for ring in polygon:
            if (problem := _ring_problem(ring)) is not None:
                return None, problem
        out.append([[[round(p[0], 6), round(p[1], 6)] for p in ring] for ring in polygon])
    return out, None


def read_outlines(data: bytes | str, names: dict[str, str]) -> dict[str, list]:
    """``names`` maps each neighbourhood's name and slug (case-folded) to its key; returns
    {key: polygons}, or OutlinesInvalid listing every problem."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise OutlinesInvalid([Problem(N_("The file is larger than %(mb)d MB."),
                                           mb=MAX_BYTES // (1024 * 1024))])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OutlinesInvalid([Problem(N_("The file is not UTF-8 text."))]) from None
    if "\x00" in data:
        raise OutlinesInvalid([Problem(N_("The file holds a NUL byte, so it is not a GeoJSON "
                                          "text file."))])
    try:
        doc = json.loads(data, parse_constant=lambda c: float("nan"))
    except (ValueError, RecursionError) as error:
        raise OutlinesInvalid([Problem(N_("The file is not JSON: %(error)s."),
                                       error=str(error)[:120])]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" \
            or not isinstance(doc.get("features"), list):
        raise OutlinesInvalid([Problem(N_("The file is not a GeoJSON FeatureCollection "
                                          "({\"type\": \"FeatureCollection\", \"features\": "
                                          "[...]})."))])
    problems, found, points = [], {}, 0

    def bad(n: int, label, problem: Problem) -> None:
        if label is None:
            problems.append(Problem(N_("Feature %(n)d: %(problem)s."), n=n, problem=problem))
        else:
            problems.append(Problem(N_("Feature %(n)d (%(name)s): %(problem)s."), n=n,
                                    name=repr(str(label)[:60]), problem=problem))

    for n, feature in enumerate(doc["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        label = props.get("name", props.get("slug"))
        if not isinstance(label, str) or not label.strip():
            bad(n, label, Problem(N_("it has no \"name\" property naming its neighbourhood")))
            continue
        key = names.get(label.strip().casefold())
        if key is None:
            bad(n, label, Problem(N_("no neighbourhood has this name or slug")))
            continue
        if key in found:
            bad(n, label, Problem(N_("its neighbourhood already has an outline in this file")))
            continue
        polygons, problem = _polygons(feature.get("geometry"))
        if problem:
            bad(n, label, problem)
            continue
        points += sum(len(ring) for polygon in polygons for ring in polygon)
        if points > MAX_POINTS:
            raise OutlinesInvalid([Problem(N_("The outlines have more than %(num)s positions; "
                                              "simplify them first."), num=f"{MAX_POINTS:,}")])
        found[key] = polygons
    if problems:
        raise OutlinesInvalid(problems)
    if not found:
        raise OutlinesInvalid([Problem(N_("The file has no features."))])
    return found


@dataclass(frozen=True)
class Area:
    key: str
    path: str  # the SVG path's ``d``
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Projected:
    width: float
    height: float
    areas: list[Area]


def _ring_centre(ring: list) -> tuple[float, float, float]:
    """The centroid and absolute area of a ring (shoelace), in its own coordinates."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    middle = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    size = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    if abs(a) < 1e-9 * size * size:  # a line or a point, or rounding's dust
        return middle[0], middle[1], 0.0
    x, y = cx / (3 * a), cy / (3 * a)
    if not (min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)):
        return middle[0], middle[1], abs(a) / 2  # a ring crossing itself: its box's middle
    return x, y, abs(a) / 2


def project(outlines: dict[str, list], width: float = WIDTH,
            padding: float = PADDING) -> Projected:
    """Every outline in one box ``width`` wide, north up, keeping shapes; the height follows.
    Each area's label sits at the centroid of its largest ring."""
    points = [p[:2] for polys in outlines.values() for poly in polys for ring in poly
              for p in ring]
    if not points:
        return Projected(width, 0.0, [])
    lats = [p[1] for p in points]
    squash = math.cos(math.radians((min(lats) + max(lats)) / 2))
    xs = [p[0] * squash for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(lats), max(lats)
    span = max(x1 - x0, y1 - y0, 1e-9)
    scale = (width - 2 * padding) / span
    height = round((y1 - y0) * scale + 2 * padding, 1)
    left = padding + ((width - 2 * padding) - (x1 - x0) * scale) / 2

    def xy(p) -> tuple[float, float]:
        return (round(left + (p[0] * squash - x0) * scale, 1),
                round(padding + (y1 - p[1]) * scale, 1))

    areas = []
    for key, polys in outlines.items():
        parts, best = [], (0.0, 0.0, -1.0)
        for poly in polys:
            for i, ring in enumerate(poly):
                pts = [xy(p) for p in ring]
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts[:-1]) + "Z")
                if i == 0:
                    centre = _ring_centre(pts)
                    if centre[2] > best[2]:
                        best = centre
        areas.append(Area(key, "".join(parts), round(best[0], 1), round(best[1], 1)))
    return Projected(width, height, areas)
