"""Append-only, hash-chained record of privileged actions: editing one breaks every later hash."""
from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/staff/audit")

from . import views  # noqa: E402,F401
