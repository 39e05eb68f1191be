"""Response headers and production settings that close whole classes of attack at once.

Every response gets a Content-Security-Policy that allows scripts only from this site (htmx is
vendored; no page has inline script), forbids framing (clickjacking), turns off MIME sniffing
and keeps full URLs out of the Referer sent to other sites. HSTS is sent only over HTTPS, which
behind a proxy is known from X-Forwarded-Proto (``PROXY_FIX``); X-Forwarded-Host only with
``TRUST_FORWARDED_HOST``, since a client can send it through a proxy that does not overwrite it.
A production app refuses to start with debug on or with a missing, default or short secret key,
because the key signs sessions and keys the voting-code and voter HMACs. Elsewhere a missing
key is made once, at random, and kept in ``instance/``: a key printed in the source would let
anyone forge a staff session.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

#: inline styles stay allowed: the SVG charts carry their own <style>, and htmx adds one
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
DEFAULT_SECRETS = {"", "dev-only-not-secret", "test-secret", "change-me", "secret"}
MIN_SECRET_LENGTH = 32


class InsecureConfiguration(RuntimeError):
    """Production settings that must not be served; the message says what to change."""


def ensure_secret_key(app: Flask) -> None:
    """The key comes from the app's config, else ``SECRET_KEY`` in the environment (read now, so
    a config passed to ``create_app`` wins), else, outside production, the instance file."""
    if app.config.get("SECRET_KEY"):
        return
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    elif not app.config.get("PRODUCTION"):  # production must be given one (check_production)
        path = app.config.get("SECRET_KEY_FILE") or Path(app.instance_path) / "secret_key"
        app.config["SECRET_KEY"] = instance_secret_key(Path(path))


def instance_secret_key(path: Path) -> str:
    """The key kept at ``path``, made on first use. Processes starting at once must agree on
    one key, so a new key is written whole to a private temporary file and hard-linked into
    place: the link fails if another process got there first, and everyone reads what won."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if len(key) < MIN_SECRET_LENGTH:
        raise InsecureConfiguration(f"{path} holds no usable secret key; delete it to make a "
                                    "new one, or set SECRET_KEY.")
    return key


def check_production(app: Flask) -> None:
    if not app.config.get("PRODUCTION"):
        return
    if app.debug:
        raise InsecureConfiguration("Debug mode is on; unset FLASK_DEBUG in production.")
    secret = app.config.get("SECRET_KEY") or ""
    if secret in DEFAULT_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        raise InsecureConfiguration(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} "
            "characters in production (e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))').")


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":  # the language is chosen from Accept-Language too,
        response.vary.add("Accept-Language")  # so a shared cache must not mix languages
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    ensure_secret_key(app)
    check_production(app)
    if app.config.get("PROXY_FIX"):
        x_host = 1 if app.config.get("TRUST_FORWARDED_HOST") else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=x_host)
    app.after_request(add_headers)
