"""Action plans: what a board commits to for a period, how each action is going, and the yearly
review that closes one plan and opens the next."""
from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")

from . import views  # noqa: E402,F401
