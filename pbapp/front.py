"""Kept pages answered in front of Flask, for the crowd of signed-out readers on results night.

A view marks a response as the same for every signed-out reader by calling ``share(max_age)``
(the results page does). When such a response passes through, with status 200 and no cookie
set, its status line, headers and body are kept under (host, scheme, path, language). Until
``max_age`` seconds have passed, or a commit in this process writes a watched model
(``page_memory``), a GET for the same page with no query string and no cookie but the
language one is answered from here, without a request context, session, login or locale
lookup. Anything else, and every page never marked, goes to Flask exactly as before.
"""
from __future__ import annotations

import time
from http.cookies import CookieError, SimpleCookie

from flask import Flask, request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from . import page_memory
from .i18n import COOKIE, locale_for

MARK = "pbapp.front.share"  # in the WSGI environ: seconds this response may be served from here
_ALLOWED_COOKIES = {COOKIE}


def share(max_age: float) -> None:
    """Mark the response being made as the same for every signed-out reader."""
    request.environ[MARK] = max_age


class KeptPages:
    """WSGI middleware; install inside ProxyFix so scheme and host are the client's."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app

    def _key(self, environ):
        """The kept page's key for this request, or None if it must go to Flask."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        lang = None
        if raw := environ.get("HTTP_COOKIE"):
            try:
                jar = SimpleCookie(raw)
            except CookieError:
                return None
            if not set(jar) <= _ALLOWED_COOKIES:
                return None
            lang = jar[COOKIE].value if COOKIE in jar else None
        languages = self.app.config["LANGUAGES"]
        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        return (environ.get("HTTP_HOST"), environ.get("wsgi.url_scheme"),
                environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                locale_for(languages, None, lang, accepted))

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        kept = page_memory.kept_for(self.app, "front")
        entry = kept.get(key)
        if entry is not None and time.monotonic() < entry[0]:
            _, status, headers, body = entry
            start_response(status, headers)
            return [body]
        seen = {}

        def catch(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        app_iter = self.wsgi_app(environ, catch)  # Flask has run the view and started the answer
        max_age = environ.get(MARK)
        headers = seen.get("headers", [])
        if not (max_age and seen.get("status", "").startswith("200 ")
                and not any(name.lower() == "set-cookie" for name, _ in headers)):
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        page_memory.store(page_memory.kept_for(self.app, "front"), key,
                          (time.monotonic() + max_age, seen["status"], list(headers), body))
        return [body]
