"""Residents', board members' and staff's comments on proposals and projects, with moderation."""
from flask import Blueprint

bp = Blueprint("comments", __name__)

from . import views  # noqa: E402,F401
