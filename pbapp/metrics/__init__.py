"""Shared metrics: the catalogue partners agree on, the measurements they supply, and the
small-cell protection every public table passes through."""
from flask import Blueprint

bp = Blueprint("metrics", __name__, url_prefix="/metrics")

from . import views  # noqa: E402,F401
