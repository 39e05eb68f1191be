"""Settings read from the environment, so one build runs on a laptop, in CI and in production."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTANCE = ROOT / "instance"


def database_url(raw: str | None) -> str:
    """``DATABASE_URL`` with the psycopg 3 driver named; SQLite file in ``instance/`` by default."""
    if not raw:
        return f"sqlite:///{INSTANCE / 'pbapp.sqlite'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def truthy(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "true", "yes", "on")


def byte_count(raw: str | None, default: int) -> int:
    """``MAX_CONTENT_LENGTH`` in bytes (a plain number), or the default when unset."""
    return int(raw) if raw and raw.strip() else default


def host_list(raw: str | None) -> list[str] | None:
    """``TRUSTED_HOSTS`` as Flask wants it: comma-separated names (``.example.org`` takes
    subdomains too); unset or empty answers every host."""
    hosts = [host.strip() for host in (raw or "").split(",") if host.strip()]
    return hosts or None


class Config:
    #: read from the environment when the app is made, else kept in instance/ (pbapp.security)
    SECRET_KEY = None
    MAX_CONTENT_LENGTH = byte_count(os.environ.get("MAX_CONTENT_LENGTH"), 16 * 1024 * 1024)
    TRUSTED_HOSTS = host_list(os.environ.get("TRUSTED_HOSTS"))
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("PBAPP_TIMEZONE", "UTC")
    LANGUAGES = ("en", "es")
    SITE_NAME = os.environ.get("PBAPP_SITE_NAME", "Safer Together")
    #: where residents reach the people who run the site (accessibility problems, a refused code)
    CONTACT_EMAIL = os.environ.get("PBAPP_CONTACT_EMAIL", "")
    # Mail (Flask-Mailman): without MAIL_SERVER, messages go to the server's log (pbapp.mail)
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT") or 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes", "on")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@localhost")
    MAIL_TIMEOUT = 10
    #: tries before a queued email is marked failed (``flask mail send``, pbapp.outbox)
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS") or 8)
    #: also send queued mail after each request; unset: only when the app runs in debug mode
    MAIL_SEND_AFTER_REQUEST = (truthy(os.environ["MAIL_SEND_AFTER_REQUEST"])
                               if os.environ.get("MAIL_SEND_AFTER_REQUEST") else None)
    #: the site's address, for links in emails written outside a request (``flask mail digest``)
    SITE_URL = os.environ.get("PBAPP_SITE_URL") or None
    # Staff and board sign-in with the city's OpenID Connect provider (pbapp.auth.oidc): off
    # unless the issuer (or its discovery URL), client id and client secret are all set
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER") or None
    OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL") or None
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET") or None
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "City ID")


class ProductionConfig(Config):
    """Chosen with PBAPP_ENV=production: HTTPS behind a proxy, secure cookies, checked secret."""

    PRODUCTION = True
    DEBUG = False
    PROXY_FIX = True
    #: X-Forwarded-Host is believed only where the proxy is known to set it (else a client could)
    TRUST_FORWARDED_HOST = truthy(os.environ.get("PBAPP_TRUST_FORWARDED_HOST"))
    PREFERRED_URL_SCHEME = "https"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True


def config_from_env() -> type:
    return ProductionConfig if os.environ.get("PBAPP_ENV") == "production" else Config


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
