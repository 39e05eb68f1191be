"""Headers that close whole classes of attack, each test naming the weakness it guards against."""
from __future__ import annotations

import re

import pytest

from pbapp import create_app
from pbapp.config import ProductionConfig
from pbapp.security import InsecureConfiguration

PAGES = ["/", "/boards/", "/cycles/", "/projects/", "/auth/login", "/auth/register",
         "/vote/tracker"]


def _directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client, path):
    """XSS: even an injected <script> or inline handler would not run."""
    response = client.get(path)
    assert response.status_code in (200, 302, 303)
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == "script-src 'self'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["default-src"]
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"  # clickjacking
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # MIME sniffing
    assert response.headers["Referrer-Policy"] == "same-origin"  # URL leakage to other sites


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_for_the_policy_to_break(client, path):
    """The policy forbids inline script, so no page may rely on one (or on on* handlers)."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler found"


def test_hsts_only_over_https(client):
    """Downgrade attacks: HSTS over HTTPS; never over plain HTTP, where it would be ignored."""
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def _production(url, **overrides):
    from tests.conftest import config_for

    settings = {k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()}
    settings.update({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False,
                     "SECRET_KEY": "x" * 48}, **overrides)
    return create_app(type("Prod", (config_for(url),), settings))


@pytest.mark.parametrize("secret", ["dev-only-not-secret", "", "short-secret"])
def test_production_refuses_a_default_or_weak_secret_key(migrated, secret):
    """Forged sessions and guessable voter HMACs: a known key would let anyone sign in as staff."""
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        _production(migrated, SECRET_KEY=secret)


def test_production_refuses_debug(migrated):
    """The Werkzeug debugger runs arbitrary code for whoever reaches it."""
    with pytest.raises(InsecureConfiguration, match="Debug"):
        _production(migrated, DEBUG=True)


def test_production_cookies_are_secure_httponly_samesite_behind_https_proxy(migrated):
    """Session theft: over the proxy's HTTPS the session cookie is Secure, HttpOnly, SameSite."""
    app = _production(migrated)
    assert app.debug is False
    client = app.test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = client.get("/auth/login", headers=headers)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = page.headers.get("Set-Cookie", "")
    assert cookie, "the login form sets a session cookie for its CSRF token"
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = client.get("/", headers=headers)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', home.get_data(as_text=True))
    language = client.post("/language", headers={**headers, "Referer": "https://localhost/"},
                           data={"lang": "es", "next": "/", "csrf_token": token.group(1)})
    assert language.status_code == 303
    set_lang = [c for c in language.headers.getlist("Set-Cookie") if "es" in c.split(";")[0]]
    assert set_lang and all("Secure" in c and "HttpOnly" in c for c in set_lang)


def test_pages_say_they_vary_by_language_so_shared_caches_do_not_mix_them(client, runner):
    """Weakness guarded: a proxy or browser cache that keeps one reader's Spanish page and
    hands it to an English reader (the language comes from Accept-Language as well as the
    cookie). Kept results pages carry the same header from the front as from Flask."""
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    for path in ("/", "/cycles/2026-spring/results", "/cycles/2026-spring/results"):
        vary = {v.strip() for v in client.get(path).headers.get("Vary", "").split(",")}
        assert "Accept-Language" in vary, path
    csv = client.get("/cycles/2026-spring/results/ballots.csv")
    assert csv.status_code == 200 and "Accept-Language" not in csv.headers.get("Vary", "")


def test_vendored_files_are_cached_long_and_the_sites_own_files_revalidated(client):
    """Pico and htmx carry their version in their path, so a year's caching is safe and spares a
    phone the 80 kB stylesheet on every page; site.css changes under the same name, so it must be
    revalidated (a long max-age would keep an old look, or an old fix, for a year)."""
    for path in ("/static/vendor/pico-2.1.1/pico.min.css", "/static/vendor/htmx-2.0.11.min.js"):
        vendored = client.get(path)
        assert vendored.status_code == 200
        assert vendored.cache_control.max_age == 365 * 24 * 3600, path
        vendored.close()
    own = client.get("/static/css/site.css")
    assert own.status_code == 200 and not own.cache_control.max_age
    assert own.headers.get("ETag") or own.headers.get("Last-Modified")  # revalidated cheaply
    own.close()
    page = client.get("/")
    for href in ("/static/vendor/pico-2.1.1/pico.min.css", "/static/css/site.css"):
        assert f'href="{href}"'.encode() in page.data
