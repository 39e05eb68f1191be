"""Pictures on proposal and project cards: checked, resized and stripped of metadata, served."""
from flask import Blueprint

bp = Blueprint("images", __name__, url_prefix="/images")

from . import views  # noqa: E402,F401
