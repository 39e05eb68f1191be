"""The results body is rendered once per published count and language, and served from then on;
each language gets its own, and the signed-in parts of the page are never shared."""
from __future__ import annotations

from pbapp.cycles import views


def test_results_body_is_cached_per_language_and_page_stays_personal(client, runner, login,
                                                                     make_user):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    views._results_bodies.clear()
    english = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert "Recount it yourself" in english and len(views._results_bodies) == 1
    spanish = client.get("/cycles/2026-spring/results",
                         headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Recuento" in spanish or "recuent" in spanish.lower()
    assert "Recount it yourself" not in spanish and len(views._results_bodies) == 2
    login(make_user(name="Tess Tester"))
    signed_in = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert "Tess Tester" in signed_in and "Tess Tester" not in english
    assert len(views._results_bodies) == 2  # served from the cache
    start = english.index("<h2")
    assert signed_in[signed_in.index("<h2"):signed_in.index("</main>")] == \
        english[start:english.index("</main>")]
