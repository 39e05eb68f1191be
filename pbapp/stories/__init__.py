"""Residents', outreach workers' and board members' own accounts, shown beside the numbers once
staff have approved them, and withdrawable at any time by the author's private link."""
from flask import Blueprint

bp = Blueprint("stories", __name__)

from . import views  # noqa: E402,F401
