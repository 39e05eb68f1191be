"""Data-sharing agreements residents can read: who shares what with whom, why, under which
legal basis, how it is protected, how long it is kept and how to object; measurements under an
expired agreement are refused, and hidden once its retention date has passed."""
from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/agreements")

from . import views  # noqa: E402,F401
