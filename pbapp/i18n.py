"""Which language a page is in: the resident's choice (a cookie), else their browser's, else English.

The choice is made with a POST form in the footer (it works without JavaScript and no GET
changes anything); ``?lang=es`` on any page also works, for links in printed letters.
"""
from __future__ import annotations

from flask import Blueprint, current_app, has_request_context, redirect, request

from .auth.safe_next import safe_next

COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, exports and jobs write in the default language
        return languages[0]
    for choice in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if choice in languages:
            return choice
    return request.accept_languages.best_match(languages) or languages[0]


@bp.post("/language")
def set_language():
    """Remember the chosen language for a year and go back to the page it was chosen on."""
    choice = request.form.get("lang", "")
    back = safe_next(request.form.get("next")) or "/"
    response = redirect(back, 303)
    if choice in current_app.config["LANGUAGES"]:
        response.set_cookie(COOKIE, choice, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response
