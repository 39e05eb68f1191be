"""Invented outlines for the demo city's six neighbourhoods: a 3 × 2 patchwork with wavy
shared borders, near no real place's streets (centred on open sea west of Ireland)."""
from __future__ import annotations

import math

from ..extensions import db
from .models import Boundary

#: rows north to south, columns west to east
LAYOUT = (("hillcrest", "northgate", "eastfield"), ("riverside", "old-town", "southbank"))
WEST, NORTH, STEP_X, STEP_Y = -13.30, 53.32, 0.030, 0.018


def _corner(col: int, row: int) -> tuple[float, float]:
    wobble = 0 if col in (0, 3) or row in (0, 2) else 0.25
    return (WEST + STEP_X * (col + wobble * math.sin(col * 2.1 + row)),
            NORTH - STEP_Y * (row + wobble * math.cos(col + row * 1.7)))


def _edge(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    """Points from a to b (b left out), bent the same way whichever side draws them."""
    (x0, y0), (x1, y1) = sorted((a, b))
    inner = [(x0 + (x1 - x0) * t + 0.0025 * math.sin(t * math.pi * 2 + x0 * 40) * (y1 - y0 != 0),
              y0 + (y1 - y0) * t + 0.0015 * math.sin(t * math.pi * 2 + y0 * 40) * (x1 - x0 != 0))
             for t in (0.25, 0.5, 0.75)]
    points = [(x0, y0), *inner]
    return points if (x0, y0) == a else [a, *reversed(inner)]


def feature_collection() -> dict:
    features = []
    for row, names in enumerate(LAYOUT):
        for col, slug in enumerate(names):
            corners = [_corner(col, row), _corner(col + 1, row), _corner(col + 1, row + 1),
                       _corner(col, row + 1)]
            ring = []
            for a, b in zip(corners, corners[1:] + corners[:1]):
                ring += _edge(a, b)
            ring.append(ring[0])
            features.append({"type": "Feature", "properties": {"name": slug},
                             "geometry": {"type": "Polygon", "coordinates": [
                                 [[round(x, 6), round(y, 6)] for x, y in ring]]}})
    return {"type": "FeatureCollection", "features": features}


def add_demo_outlines(by_slug: dict) -> None:
    for feature in feature_collection()["features"]:
        hood = by_slug[feature["properties"]["name"]]
        db.session.add(Boundary(neighbourhood_id=hood.id,
                                polygons=[feature["geometry"]["coordinates"]]))
