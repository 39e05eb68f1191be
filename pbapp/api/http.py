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
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
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


@bp.route("/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(rest: str):
    """Any other URL under /api/v1 lands here, so its error is JSON like the rest of the API."""
    if request.method not in ("GET", "HEAD"):
        abort(405, description="The API is read-only: only GET is allowed.",
              valid_methods=["GET", "HEAD", "OPTIONS"])
    abort(404, description="Nothing here. The OpenAPI document at /api/v1/openapi.json "
                           "lists every path.")


def page_number() -> int:
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
        abort(400, description="page must be a positive whole number, such as ?page=2.")
    return int(raw)


def paginated(items: list, render) -> dict:
    """One page of ``items`` (``PER_PAGE`` a page), each passed through ``render``; a page past
    the last is empty rather than an error, so a client can stop when ``items`` runs out."""
    page = page_number()
    chunk = items[(page - 1) * PER_PAGE:page * PER_PAGE]
    return {"items": [render(item) for item in chunk], "page": page, "per_page": PER_PAGE,
            "total": len(items), "pages": max(1, math.ceil(len(items) / PER_PAGE))}
