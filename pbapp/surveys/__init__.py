"""Resident surveys between votes: built by staff, answered once per person, published with
small-cell protection, and feeding the shared metrics they are linked to."""
from flask import Blueprint

bp = Blueprint("surveys", __name__)

from . import staff_views, views  # noqa: E402,F401
