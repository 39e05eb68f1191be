"""Advisory boards: who sits for which sector, and the meetings they keep minutes of."""
from flask import Blueprint

bp = Blueprint("boards", __name__, url_prefix="/boards")

from . import views  # noqa: E402,F401
