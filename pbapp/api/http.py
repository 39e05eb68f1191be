"""What every API response shares: JSON errors, caching with strong ETags, open CORS, pages."""
from __future__ import annotations

import hashlib
import math
import re

from flask import abort, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from . import bp

MAX_AGE = 60
PER_PAGE = 100
#: the largest id or page number: PostgreSQL's ``integer``, so no id lies beyond it
MAX_INT = 2_147_483_647
#: what a cycle's slug and a metric's key look like (as their services require) and their
#: column's length; the OpenAPI document states the same, and anything else names nothing
SLUG = (r"^[a-z0-9]+(?:-[a-z0-9]+)*$", 80)
KEY = (r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", 60)
#: C0 and C1 controls, DEL and surrogates: no path or parameter of the API holds one
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
ALLOWED = ("GET", "HEAD", "OPTIONS")
#: codes the site answers with HTML pages; the API must claim each one by code, because
#: Flask prefers any code-specific handler (the site's) to a class-wide one (ours)
CLAIMED_CODES = (400, 403, 404, 405, 429, 500)


def conditional(response, max_age: int = MAX_AGE):
    """Give a 200 a strong ETag (SHA-256 of the body) and public caching; answer a matching
    ``If-None-Match`` with 304 and no body."""
    if response.status_code != 200 or request.method not in ("GET", "HEAD"):
        return response
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response.make_conditional(request)


@bp.after_request
def _open_and_cacheable(response):
    """Open data: any site's script may read it, revalidate with its ETag, and so preflight."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    if request.method == "OPTIONS":
        response.headers["Allow"] = ", ".join(ALLOWED)  # not the catch-all's other methods
        response.headers["Access-Control-Allow-Methods"] = ", ".join(ALLOWED)
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return conditional(response)


def _json_error(error: HTTPException):
    if isinstance(error, InternalServerError):
        db.session.rollback()
    code = error.code or 500
    response = jsonify({"error": {"status": code, "message": error.description or error.name}})
    response.status_code = code
    for name, value in error.get_headers():
        if name in ("Allow", "Retry-After"):
            response.headers[name] = value
    return response


for _code in CLAIMED_CODES:
    bp.register_error_handler(_code, _json_error)
bp.register_error_handler(HTTPException, _json_error)


@bp.before_request
def _refuse_control_characters():
    """A NUL or other control character in a path or query value names nothing, and PostgreSQL
    refuses a NUL outright (a 500): answer 400 before any value reaches a query. The site
    refuses them for every request too; this keeps the API's own promise either way."""
    values = [v for v in (request.view_args or {}).values() if isinstance(v, str)]
    values += [text for pair in request.args.items(multi=True) for text in pair]
    if any(CONTROL.search(v) for v in values):
        abort(400, description="The address contains a control character (such as a NUL "
                               "byte), which no path or parameter of this API uses.")


#: every method a client may try, so each gets the API's JSON 405 rather than the site's page
CATCH_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "QUERY", "CONNECT"]


def read_only() -> None:
    """Any method but GET, HEAD and OPTIONS gets the API's JSON 405."""
    if request.method not in ALLOWED:
        abort(405, description="The API is read-only: only GET is allowed.",
              valid_methods=list(ALLOWED))


@bp.route("/<path:rest>", methods=CATCH_ALL_METHODS)
def not_found(rest: str):
    """Any other URL or method under /api/v1 lands here, so its error is JSON like the rest."""
    read_only()
    abort(404, description="Nothing here. The OpenAPI document at /api/v1/openapi.json "
                           "lists every path.")


def page_number() -> int:
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not re.fullmatch(r"[0-9]{1,10}", raw) or int(raw) < 1:
        abort(400, description="page must be a positive whole number, such as ?page=2.")
    if int(raw) > MAX_INT:
        abort(400, description=f"page must be at most {MAX_INT}.")
    return int(raw)


def whole_id(raw: str) -> int | None:
    """An id in a path as written by ``url_for`` (ASCII digits, no leading zero, within the
    database's integer), or None: then it names nothing, and no query is made."""
    if re.fullmatch(r"[1-9][0-9]{0,9}", raw) and int(raw) <= MAX_INT:
        return int(raw)
    return None


def names_something(value: str, form: tuple[str, int]) -> bool:
    """Whether a slug or key could name a row at all (see ``SLUG`` and ``KEY``)."""
    pattern, longest = form
    return len(value) <= longest and re.fullmatch(pattern, value) is not None


def paginated(items: list, render) -> dict:
    """One page of ``items`` (``PER_PAGE`` a page), each passed through ``render``; a page past
    the last is empty rather than an error, so a client can stop when ``items`` runs out."""
    page = page_number()
    chunk = items[(page - 1) * PER_PAGE:page * PER_PAGE]
    return {"items": [render(item) for item in chunk], "page": page, "per_page": PER_PAGE,
            "total": len(items), "pages": max(1, math.ceil(len(items) / PER_PAGE))}
