"""Following a cycle, proposal, project or board, and being told of its changes by email."""
from flask import Blueprint

bp = Blueprint("follows", __name__, url_prefix="/follows")

from . import views  # noqa: E402,F401
