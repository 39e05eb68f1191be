"""No GET changes state, and every state-changing route demands a CSRF token.

Guards against cross-site request forgery: a link, image or prefetch (GET) from another site must
not change anything, and a forged POST without the session's token must be refused before any
view runs.
"""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from pbapp.auth.models import User
from pbapp.extensions import db
from tests.app.test_public_crawl import crawl

ROLES = ("resident@example.org", "public-health.east-safety@example.org", "staff@example.org",
         "admin@example.org")


def _fingerprint() -> dict[str, tuple]:
    """Row count and a digest of every table's rows: any insert, update or delete shows."""
    out = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


@pytest.fixture()
def demo_city(runner):
    assert runner.invoke(args=["demo", "--ballots", "200"]).exit_code == 0
    db.session.commit()


#: every role on SQLite; on PostgreSQL the public and the admin, who between them reach every
#: page (a crawl as each role is ~12 s: the other three repeat the same pages on the same code)
CRAWLS = [("sqlite", email) for email in (None, *ROLES)] + [("postgresql", None),
                                                            ("postgresql", "admin@example.org")]


@pytest.mark.parametrize(("database_url", "email"), CRAWLS, indirect=["database_url"])
def test_following_every_link_as_each_role_changes_nothing(app, client, login, demo_city,
                                                           email):
    if email:
        login(db.session.scalar(select(User).where(User.email == email)))
    before = _fingerprint()
    pages = crawl(client)
    assert len(pages) > 20
    for url, response in pages.items():
        assert response.status_code < 500, (url, response.status_code)
    db.session.rollback()
    assert _fingerprint() == before


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()) and rule.endpoint != "static":
            yield rule


def _sample_url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        values[name] = 1 if isinstance(converter, IntegerConverter) else "x"
    return rule.build(values, append_unknown=False)[1]


#: POST routes that take no CSRF token by design, and what proves the request instead
SIGNED_LINKS = {
    # RFC 8058 one-click unsubscribe: mail clients POST with no page and no session; the signed
    # token in the URL is the proof, so a forged one is refused as a bad link
    "follows.unsubscribe": b"This unsubscribe link is not valid",
}


def test_every_post_route_refuses_a_request_without_a_csrf_token(app, client, login, make_user):
    login(make_user(role="admin"))
    rules = list(_post_rules(app))
    assert len(rules) > 30, "the site's forms should all be covered"
    for rule in rules:
        if rule.endpoint.startswith("api."):
            # the read-only API has no state-changing route: its catch-all answers 405
            assert client.post(_sample_url(rule)).status_code == 405, rule.rule
            continue
        if rule.endpoint in SIGNED_LINKS:
            response = client.post(_sample_url(rule), data={"title": "forged"})
            assert response.status_code == 400, (rule.rule, response.status_code)
            assert SIGNED_LINKS[rule.endpoint] in response.data, rule.rule
            continue
        response = client.post(_sample_url(rule), data={"title": "forged"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert b"The form had expired or did not come from this site" in response.data, \
            rule.rule


def test_logout_is_not_a_get(client):
    assert client.get("/auth/logout").status_code == 405


def test_an_expired_form_says_so_in_the_readers_language(client):
    page = client.post("/auth/login", data={"email": "a@example.org"},
                       headers={"Accept-Language": "es"})
    assert page.status_code == 400
    assert "El formulario había caducado" in page.get_data(as_text=True)
