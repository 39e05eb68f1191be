"""Paper ballots: staff enter each batch twice, reconcile the two entries, then commit it."""
from flask import Blueprint

bp = Blueprint("paper", __name__, url_prefix="/staff/paper")

from . import views  # noqa: E402,F401
from . import place_views  # noqa: E402,F401
