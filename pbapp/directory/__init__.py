"""Help near you: the services and referral pathways boards keep, searchable by anyone and
exchanged with a city's own directory in the Open Referral Human Services Data Specification.
"""
from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")

from . import views  # noqa: E402,F401
