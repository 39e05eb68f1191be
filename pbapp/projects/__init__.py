"""Funded projects: what publishing a result turns each funded proposal into, and its delivery."""
from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")

from . import views  # noqa: E402,F401
