"""Following a cycle, proposal, project or board, and being told of its changes by email.

The views are imported by the app factory (``pbapp.follows.views``), not here: the services of
cycles, proposals, projects and boards import ``notify`` from this package, and loading the
views (which load those packages) from here made a circular import.
"""
from flask import Blueprint

bp = Blueprint("follows", __name__, url_prefix="/follows")
