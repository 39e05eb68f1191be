"""Interventions boards propose, and the reviewed history of every status change."""
from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

from . import views  # noqa: E402,F401
