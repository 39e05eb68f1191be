"""Public transparency reports for a cycle, a board and a project: one page each, with charts,
a print stylesheet, and the same content as CSV and JSON downloads."""
from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from . import views  # noqa: E402,F401
