"""The read-only public JSON API under ``/api/v1``: open data anyone may reuse.

Everything here is public and read-only (GET), answers in JSON (errors too), carries a strong
ETag computed from the body, and is described by the OpenAPI 3.1 document at
``/api/v1/openapi.json``. It shows exactly what the public pages show, never more.
"""
from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # nothing here changes state: other methods only ever get a JSON 405

from . import http, views  # noqa: E402,F401
from ..comments import api as _comments  # noqa: E402,F401  (comments' endpoints)
from ..plans import api as _plans  # noqa: E402,F401  (action plans' endpoints)
from ..agreements import api as _agreements  # noqa: E402,F401  (data-sharing agreements)
from ..stories import api as _stories  # noqa: E402,F401  (stories beside statistics)
from ..surveys import api as _surveys  # noqa: E402,F401  (surveys and their results)
