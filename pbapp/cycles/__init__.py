"""Budget cycles, their proposals on the ballot, and published results."""
from flask import Blueprint

bp = Blueprint("cycles", __name__, url_prefix="/cycles")

from . import views  # noqa: E402,F401
