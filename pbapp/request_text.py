"""Control characters and broken text are refused once, for every request, before any view.

PostgreSQL cannot store a NUL, so a NUL in a path, a query or a form field reached a query and
ended as a 500 (DataError) on one database and not the other; other control characters have no
business in anything a person types or a link carries either. Tab, CR and LF stay allowed in
form values (multi-line text); paths, query strings and field names allow none. Text that is
not UTF-8 (a bad percent-encoding, an encoded lone surrogate) is refused the same way, rather
than read as replacement characters. The answer is a 400 that says what was wrong, in words
(JSON under /api/); nothing has been read or written by then. Uploaded files are left to their
importers, which name the line at fault.
"""
from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext

#: C0 controls, DEL and C1 controls, and surrogates (never valid on their own)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: the same, but tab, LF and CR, which multi-line text holds
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def control_in(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a character nobody types (importers check their cells too)."""
    return bool((CONTROL_IN_TEXT if multiline else CONTROL).search(text))


def _decoded(raw: bytes) -> str | None:
    """Percent-decoded UTF-8, or None when the bytes are not UTF-8."""
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _address_problem(environ) -> str | None:
    try:
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        query = _decoded(environ.get("QUERY_STRING", "").encode("latin-1"))
    except UnicodeError:
        path = query = None
    if path is None or query is None:
        return gettext("The web address is not valid text (its encoding is broken), so it "
                       "leads to no page.")
    if control_in(path) or control_in(query):
        return gettext("The web address contains a control character (such as a null byte), "
                       "which no page of this site uses.")
    return None


def _fields() -> list[tuple[str, str]] | None:
    """The form's (name, value) pairs, from the raw body when it is URL-encoded (so bytes that
    are not UTF-8 show as None, not as replacement characters)."""
    if request.mimetype == "application/x-www-form-urlencoded":
        pairs = []
        for part in request.get_data(cache=True).split(b"&"):  # the form parses it again
            name, _, value = part.partition(b"=")
            name, value = _decoded(name), _decoded(value)
            if name is None or value is None:
                return None
            pairs.append((name, value))
        return pairs
    return [*request.form.items(multi=True),
            *((name, upload.filename or "") for name, upload in request.files.items(multi=True))]


def _form_problem() -> str | None:
    if request.method in ("GET", "HEAD", "OPTIONS") or request.mimetype not in FORM_TYPES:
        return None
    fields = _fields()
    if fields is None:
        return gettext("The form was not sent as valid text (its encoding is broken), so "
                       "nothing was changed.")
    for name, value in fields:
        if control_in(name) or control_in(value, multiline=True):
            shown = name if not control_in(name) and len(name) <= 40 else "?"
            return gettext("The field “%(field)s” contains a control character (such as a null "
                           "byte), which cannot be typed or stored, so nothing was changed. "
                           "Remove it and send the form again.", field=shown)
    return None


def refuse_control_characters():
    """``before_request``: the first hook, so no other (CSRF, limits, views) reads bad text."""
    reason = _address_problem(request.environ) or _form_problem()
    if reason is None:
        return None
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": 400, "message": reason}}), 400
    return render_template("errors/error.html", code=400, title="Bad request",
                           reason=reason), 400


def init_app(app: Flask) -> None:
    app.before_request(refuse_control_characters)
