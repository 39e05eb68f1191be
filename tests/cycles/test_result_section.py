"""The published count's section is gathered and drawn once per worker, count and language, and
a change to what it shows appears: at once if committed in this worker, within
``RESULTS_RECHECK_SECONDS`` if made elsewhere.

Weakness guarded: the results page and the cycle report re-reading a count's overrides, titles
and turnout and re-drawing its rounds on every request (about a third of a report's time); and
the opposite weakness, a kept section that goes on showing an override or a title that changed.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from pbapp import page_memory
from pbapp.cycles import result_section, results_cache
from pbapp.cycles.models import Cycle, Result
from pbapp.cycles.overrides import ResultOverride
from pbapp.extensions import db
from pbapp.proposals.models import Proposal
from tests.conftest import statements_run

RESULTS, REPORT = "/cycles/2026-spring/results", "/reports/cycles/2026-spring"


class _Clock:
    """Stands in for ``time`` in the kept sections, so a test can let seconds pass."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture()
def count(runner):
    """The demo's published spring count and a proposal on its ballot that it did not fund."""
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    result = db.session.scalar(select(Result).join(Cycle, Cycle.id == Result.cycle_id).where(
        Cycle.slug == "2026-spring", Result.published_at.is_not(None)))
    loser = next(c for c in result.data["candidates"] if c not in result.data["winners"])
    return result, db.session.get(Proposal, int(loser))


def _made(client, path: str) -> tuple[str, list[str]]:
    """The page made afresh (the page memory forgotten), and the statements it took."""
    page_memory.forget()
    with statements_run() as seen:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True), seen


def _reads(statements: list[str], table: str) -> int:
    return sum(f"FROM {table}" in s.replace('"', "") for s in statements)


def test_section_is_kept_and_a_committed_change_shows_at_once(app, count, make_user,
                                                              monkeypatch):
    """Made afresh (the page memory forgotten, as ``benchmarks/report_pages.py`` does), a page
    reads the count's overrides, titles and turnout only the first time; a commit writing an
    override, a title or an override's author shows on the next request all the same."""
    monkeypatch.setattr(result_section, "time", _Clock())  # however slow the machine
    result, loser = count
    for path in (RESULTS, REPORT):
        result_section.forget()
        first, made = _made(app.test_client(), path)
        again, kept = _made(app.test_client(), path)
        assert again == first, path
        assert _reads(made, "result_override") >= 1, path
        # the results page reads none of it again; the report's own tables read the overrides
        # once per request
        assert _reads(kept, "result_override") == (0 if path == RESULTS else 1), path
        assert len(kept) < len(made), path
    staff = make_user("staff", name="Olga Override")
    for path in (RESULTS, REPORT):  # the Spanish sections kept too
        assert "Un título nuevo" not in app.test_client().get(path + "?lang=es").get_data(
            as_text=True)
    db.session.add(ResultOverride(result_id=result.id, proposal_id=loser.id, action="fund",
                                  reason="Funded by the council after the count",
                                  actor_id=staff.id))
    db.session.commit()
    for path in (RESULTS, REPORT):  # a signed-out reader, as the page memory serves them
        page = app.test_client().get(path).get_data(as_text=True)
        assert "Funded by the council after the count" in page and "Olga Override" in page, path
    loser.translate({"es": {"title": "Un título nuevo en español"}})
    db.session.commit()
    for path in (RESULTS, REPORT):
        page = app.test_client().get(path + "?lang=es").get_data(as_text=True)
        assert "Un título nuevo en español" in page, path
        assert "Un título nuevo en español" not in app.test_client().get(path).get_data(
            as_text=True), path  # English keeps the original title
    staff.name = "Olga Renamed"
    db.session.commit()
    assert "Olga Renamed" in _made(app.test_client(), REPORT)[0]


def test_another_workers_change_shows_within_the_recheck_time(client, count, make_user, login,
                                                               monkeypatch):
    """A change this process's session never sees (another worker's) shows once the kept
    section is ``RESULTS_RECHECK_SECONDS`` old; a signed-in reader's report is made afresh
    each time, so only the section could hold it back."""
    clock = _Clock()
    monkeypatch.setattr(result_section, "time", clock)
    monkeypatch.setattr(page_memory, "time", clock)
    loser_id = count[1].id
    login(make_user(name="Rita Reader"))
    spanish = REPORT + "?lang=es"
    assert "Rita Reader" in client.get(spanish).get_data(as_text=True)
    with db.engine.begin() as conn:  # not through a session: no event of this process sees it
        conn.execute(text("UPDATE proposal SET translations = :t WHERE id = :id"),
                     {"t": '{"es": {"title": "Retitulado en otro proceso"}}', "id": loser_id})
    db.session.rollback()  # the test's own session: no snapshot (SQLite) older than the change
    assert "Retitulado en otro proceso" not in client.get(spanish).get_data(as_text=True)
    clock.now += results_cache.RECHECK_SECONDS
    assert "Retitulado en otro proceso" in client.get(spanish).get_data(as_text=True)
