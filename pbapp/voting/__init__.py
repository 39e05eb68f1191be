"""Participation proves who voted; a ballot records what was voted. Nothing links the two."""
from flask import Blueprint

bp = Blueprint("voting", __name__, url_prefix="/vote")

from . import address_step, views  # noqa: E402,F401
