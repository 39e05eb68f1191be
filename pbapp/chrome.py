"""The parts of every page that depend only on the language and the site's address (style
sheets, the menu's public links, the footer's links), made once per worker for each.

A resident's ballot is about thirteen pages; rebuilding these links (a dozen ``url_for`` and
translations) on each was a tenth of a small page's time. What depends on the reader (signed
in or not, the session's CSRF token, the page's own address) stays in ``base.html``.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

PARTS = {"head": "_chrome/head_links.html", "nav": "_chrome/nav_links.html",
         "footer": "_chrome/footer_links.html"}
#: a handful is usual (parts × languages); the address's root comes from the server, but the
#: memory never grows past this whatever a request says
LIMIT = 64


def chrome(part: str) -> Markup:
    kept = current_app.extensions.setdefault("pbapp_chrome", {})
    key = (part, str(get_locale()), request.script_root)
    made = kept.get(key)
    if made is None:
        if len(kept) >= LIMIT:
            kept.clear()
        made = kept[key] = Markup(render_template(PARTS[part]))
    return made


def init_app(app) -> None:
    app.jinja_env.globals["chrome"] = chrome
