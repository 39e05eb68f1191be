"""Participation proves who voted; a ballot records what was voted. Nothing links the two."""
from flask import Blueprint

bp = Blueprint("voting", __name__, url_prefix="/vote")

from . import views  # noqa: E402,F401
