"""Neighbourhood maps drawn on the server as SVG: no tile server, no script, no web font.

``geometry`` (pure) reads GeoJSON outlines and projects them into an SVG box; ``services``
imports them and counts what each map shows; every map has a table beside it.
"""
from flask import Blueprint

bp = Blueprint("maps", __name__, url_prefix="/maps")

from . import pages, views  # noqa: E402,F401
