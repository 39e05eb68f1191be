"""The results body is rendered once per published count and language, and served from then on;
each language gets its own, and the signed-in parts of the page are never shared."""
from __future__ import annotations

from sqlalchemy import select, update

from pbapp import front, page_memory
from pbapp.cycles import results_cache
from pbapp.cycles.models import Cycle
from pbapp.extensions import db


class _memory:
    """The app's kept results bodies and pages."""

    def __init__(self, app):
        with app.app_context():
            self.bodies = page_memory.kept("results-bodies")
            self.pages = {k: v for k, (_, v) in page_memory.kept("results-pages").items()}


def test_results_body_is_cached_per_language_and_page_stays_personal(client, app, runner, login,
                                                                     make_user):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    english = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert "Recount it yourself" in english and len(_memory(app).bodies) == 1
    spanish = client.get("/cycles/2026-spring/results",
                         headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Haz tú mismo el recuento" in spanish
    assert "Recount it yourself" not in spanish and len(_memory(app).bodies) == 2
    login(make_user(name="Tess Tester"))
    signed_in = client.get("/cycles/2026-spring/results").get_data(as_text=True)
    assert "Tess Tester" in signed_in and "Tess Tester" not in english
    assert len(_memory(app).bodies) == 2  # served from the cache
    start = english.index("<h2")
    assert signed_in[signed_in.index("<h2"):signed_in.index("</main>")] == \
        english[start:english.index("</main>")]


def test_signed_out_page_is_the_same_bytes_for_all_and_needs_no_session(client, app, runner):
    """Weakness guarded: a shared page that leaks one reader's token, or a cache that costs a
    session per reader. The footer's language switch works from it in a browser (which says
    where a form came from) and is refused from anywhere else."""
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    first = client.get("/cycles/2026-spring/results")
    assert len(_memory(app).pages) == 1
    other = app.test_client()  # another reader
    second = other.get("/cycles/2026-spring/results")
    assert first.data == second.data and b'name="csrf_token"' not in second.data
    assert "Set-Cookie" not in second.headers
    switched = other.post("/language", data={"lang": "es", "next": "/"},
                          headers={"Origin": "http://localhost"})
    assert switched.status_code == 303 and "lang=es" in switched.headers["Set-Cookie"]
    for headers in ({}, {"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Referer": "https://evil.example/cycles/2026-spring/results"},
                    {"Origin": "https://localhost"}):
        refused = app.test_client().post("/language", data={"lang": "es", "next": "/"},
                                         headers=headers)
        assert refused.status_code == 400, headers
        assert "did not come from this site" in refused.get_data(as_text=True)
        assert "lang=" not in refused.headers.get("Set-Cookie", "")  # no language set
    same_site = app.test_client().post(
        "/language", data={"lang": "es", "next": "/"},
        headers={"Referer": "http://localhost/cycles/2026-spring/results"})
    assert same_site.status_code == 303


class _Clock:
    """Stands in for ``time`` in the page memory, so a test can let seconds pass."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_another_workers_change_shows_within_the_recheck_time(client, app, runner, monkeypatch):
    """A commit in this worker forgets the kept page at once; a change made elsewhere (here a
    bare UPDATE, which this process's session never sees) shows once the recheck time passes,
    from Flask and from the front alike."""
    clock = _Clock()
    monkeypatch.setattr(page_memory, "time", clock)
    monkeypatch.setattr(front, "time", clock)
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    assert client.get("/cycles/2026-spring/results").status_code == 200
    with app.app_context():
        db.session.execute(update(Cycle).where(Cycle.slug == "2026-spring")
                           .values(name="Renamed elsewhere"))
        db.session.commit()
    reader = app.test_client()  # no cookie at all: answered by the front
    for who in (client, reader):
        assert "Renamed elsewhere" not in who.get("/cycles/2026-spring/results").get_data(
            as_text=True)  # still the kept page
    clock.now += results_cache.RECHECK_SECONDS
    for who in (client, reader):
        assert "Renamed elsewhere" in who.get("/cycles/2026-spring/results").get_data(
            as_text=True)
    with app.app_context():
        cycle = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-spring"))
        cycle.name = "Renamed here"
        db.session.commit()
    for who in (client, reader):
        assert "Renamed here" in who.get("/cycles/2026-spring/results").get_data(as_text=True)


def test_a_waiting_message_is_never_shared(client, app, runner):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Only for this reader")]
    assert "Only for this reader" in client.get("/cycles/2026-spring/results").get_data(
        as_text=True)
    assert not _memory(app).pages
    assert "Only for this reader" not in app.test_client().get(
        "/cycles/2026-spring/results").get_data(as_text=True)
