"""The results body is rendered once per published count and language, and served from then on;
each language gets its own, and the signed-in parts of the page are never shared."""
from __future__ import annotations

import re

from pbapp.cycles import views


def test_results_body_is_cached_per_language_and_page_stays_personal(client, runner, login,
                                                                     make_user):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    views._results_bodies.clear()
    english = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert "Recount it yourself" in english and len(views._results_bodies) == 1
    spanish = client.get("/cycles/2026-spring/results",
                         headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Haz tú mismo el recuento" in spanish
    assert "Recount it yourself" not in spanish and len(views._results_bodies) == 2
    login(make_user(name="Tess Tester"))
    signed_in = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert "Tess Tester" in signed_in and "Tess Tester" not in english
    assert len(views._results_bodies) == 2  # served from the cache
    start = english.index("<h2")
    assert signed_in[signed_in.index("<h2"):signed_in.index("</main>")] == \
        english[start:english.index("</main>")]


def test_signed_out_page_is_shared_but_each_reader_gets_a_working_token(client, app, runner):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    views._results_pages.clear()
    first = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert len(views._results_pages) == 1
    assert all(views.TOKEN_SLOT in page for page in views._results_pages.values())
    other = app.test_client()  # another reader, with a session of their own
    second = other.get("/cycles/2026-spring/results").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', second).group(1)
    assert token not in first and views.TOKEN_SLOT not in second
    assert first.replace(re.search(r'name="csrf_token" value="([^"]+)"', first).group(1), "T") \
        == second.replace(token, "T")
    switched = other.post("/language", data={"lang": "es", "next": "/", "csrf_token": token})
    assert switched.status_code == 303  # the token put back in belongs to this reader


def test_a_waiting_message_is_never_shared(client, app, runner):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    views._results_pages.clear()
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Only for this reader")]
    assert "Only for this reader" in client.get("/cycles/2026-spring/results").get_data(
        as_text=True)
    assert not views._results_pages
    assert "Only for this reader" not in app.test_client().get(
        "/cycles/2026-spring/results").get_data(as_text=True)
