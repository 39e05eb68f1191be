"""The front answers kept pages before Flask, and only for readers who would get the same page."""
from __future__ import annotations

import pytest
from flask import request_started

RESULTS = "/cycles/2026-spring/results"


@pytest.fixture()
def demo(runner):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0


@pytest.fixture()
def flask_requests(app):
    """How many requests reached Flask (the front answers without a request context)."""
    seen = []

    def note(sender, **_):
        seen.append(1)

    request_started.connect(note, app)
    yield seen
    request_started.disconnect(note, app)


def test_signed_out_readers_after_the_first_are_answered_in_front(app, demo, flask_requests):
    first = app.test_client().get(RESULTS)
    assert len(flask_requests) == 1
    second = app.test_client().get(RESULTS)
    assert len(flask_requests) == 1, "the second reader should not reach Flask"
    assert second.status_code == 200 and second.data == first.data
    assert dict(second.headers) == dict(first.headers)  # CSP, nosniff, length, type...
    assert "Content-Security-Policy" in second.headers and "Set-Cookie" not in second.headers


def test_language_cookie_and_browser_language_get_their_own_kept_page(app, demo, flask_requests):
    english = app.test_client().get(RESULTS).get_data(as_text=True)
    by_cookie = app.test_client()
    by_cookie.set_cookie("lang", "es")
    spanish = by_cookie.get(RESULTS).get_data(as_text=True)
    assert 'lang="es"' in spanish and spanish != english
    count = len(flask_requests)
    again = by_cookie.get(RESULTS).get_data(as_text=True)
    by_header = app.test_client().get(RESULTS, headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert len(flask_requests) == count  # both from the front
    assert again == spanish == by_header.get_data(as_text=True)


@pytest.mark.parametrize("how", ["session cookie", "remember cookie", "query", "head"])
def test_anyone_who_may_see_another_page_goes_to_flask(app, demo, flask_requests, how, login,
                                                        make_user):
    app.test_client().get(RESULTS)  # kept
    reader = app.test_client()
    count = len(flask_requests)
    if how == "session cookie":
        reader.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), "anything")
        response = reader.get(RESULTS)
    elif how == "remember cookie":
        reader.set_cookie("remember_token", "1|abc")
        response = reader.get(RESULTS)
    elif how == "query":
        response = reader.get(RESULTS + "?lang=es")
        assert 'lang="es"' in response.get_data(as_text=True)
    else:
        response = reader.head(RESULTS)
    assert response.status_code == 200
    assert len(flask_requests) == count + 1


def test_a_signed_in_reader_gets_their_own_page(app, client, demo, flask_requests, login,
                                               make_user):
    app.test_client().get(RESULTS)  # kept for signed-out readers
    login(make_user(name="Tess Tester"))
    page = client.get(RESULTS).get_data(as_text=True)
    assert "Tess Tester" in page


def test_pages_never_marked_always_reach_flask(app, demo, flask_requests):
    for _ in range(3):
        assert app.test_client().get("/").status_code == 200
        assert app.test_client().get("/cycles/2026-spring").status_code == 200
    assert len(flask_requests) == 6
