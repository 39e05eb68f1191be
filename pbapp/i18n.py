"""Which language a page is in: the resident's choice (a cookie), else their browser's, else English.

The choice is made with a POST form in the footer (it works without JavaScript and no GET
changes anything); ``?lang=es`` on any page also works, for links in printed letters.

The footer form carries the session's CSRF token, except on pages kept for every signed-out
reader (``page_memory``, e.g. results), which carry none so they need no session at all. A
switch is accepted with a valid token or, without one, only when the browser says the form came
from this site (``Origin``, else ``Referer``, as every browser sends on a form POST); anything
else is refused like any form without its token (OWASP's standard-header check).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import flask_babel
from flask import Blueprint, current_app, has_request_context, redirect, request
from jinja2 import pass_context
from markupsafe import Markup
from flask_wtf.csrf import CSRFError, ValidationError, validate_csrf
from werkzeug.datastructures import LanguageAccept

from . import dates
from .auth.safe_next import safe_next
from .extensions import csrf

COOKIE = "lang"
bp = Blueprint("i18n", __name__)
for _name, _filter in dates.FILTERS.items():
    bp.add_app_template_filter(_filter, _name)
for _name, _global in dates.GLOBALS.items():
    bp.add_app_template_global(_global, _name)


@bp.app_context_processor
def bound_translations() -> dict:
    """The page's ``_``/``gettext``/``ngettext`` and ``get_locale`` bound once per render to
    the translations in force (a ``force_locale`` email included). Flask-Babel's own template
    callables look the request's translations up through several context proxies on every
    call, and a ballot page makes about 50 of them: a third of its template time."""
    if not has_request_context():
        return {}
    translations, locale = flask_babel.get_translations(), flask_babel.get_locale()
    return {"gettext": _as_template_call(translations.ugettext),
            "ngettext": _as_template_plural(translations.ungettext),
            "get_locale": lambda: locale}


def _as_template_call(lookup):
    """Jinja's "newstyle" gettext: the message is marked safe when autoescaping (so a
    translation's own markup stays) and its ``%(name)s`` placeholders always filled, escaped."""
    @pass_context
    def call(context, message, **variables):
        text = lookup(message)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables
    return call


def _as_template_plural(lookup):
    @pass_context
    def call(context, singular, plural, number, **variables):
        variables.setdefault("num", number)
        text = lookup(singular, plural, number)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables
    return call


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, exports and jobs write in the default language
        return languages[0]
    return locale_for(languages, request.args.get("lang"), request.cookies.get(COOKIE),
                      request.accept_languages)


def locale_for(languages: list[str], asked: str | None, remembered: str | None,
               accepted: LanguageAccept) -> str:
    """``?lang=``, else the footer's cookie, else the browser's languages, else the first."""
    for choice in (asked, remembered):
        if choice in languages:
            return choice
    return accepted.best_match(languages) or languages[0]


def _from_this_site() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
        return True
    except ValidationError:
        pass
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(source)
    return parts.scheme == request.scheme and parts.netloc == request.host


@bp.post("/language")
@csrf.exempt  # checked by _from_this_site, which also takes a form without a token
def set_language():
    """Remember the chosen language for a year and go back to the page it was chosen on."""
    if not _from_this_site():
        raise CSRFError("The language form did not come from this site.")
    choice = request.form.get("lang", "")
    back = safe_next(request.form.get("next")) or "/"
    response = redirect(back, 303)
    if choice in current_app.config["LANGUAGES"]:
        response.set_cookie(COOKIE, choice, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response
