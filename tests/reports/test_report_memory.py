"""Reports are made once for every signed-out reader, and a change shows: at once if it was
committed in this worker, within ``REPORT_MAX_AGE`` if it was made elsewhere.

Weakness guarded: a cycle report costs some 80 statements and a set of charts; on the day the
results or a quarter's figures come out, many readers at once would queue every worker behind
the same work. And the opposite weakness: a kept report that goes on showing old figures, or
one reader's page (their name, their token) handed to another.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from pbapp import front, page_memory
from pbapp.extensions import db
from pbapp.projects.models import Project
from tests.conftest import statements_run

PATHS = ["/reports/cycles/2026-spring", "/reports/cycles/2026-spring.csv",
         "/reports/cycles/2026-spring.json", "/reports/boards/east-safety",
         "/metrics/violent-incidents"]


@pytest.fixture()
def city(runner):
    assert runner.invoke(args=["demo", "--ballots", "100"]).exit_code == 0
    return db.session.scalar(select(Project).order_by(Project.id).limit(1))


def test_signed_out_readers_share_one_report(app, city):
    for path in PATHS:
        with statements_run() as made:
            first = app.test_client().get(path)
        assert first.status_code == 200 and len(made) > 5, path
        # a reader whose cookie sends them past the front to Flask: the kept report, no SQL
        with statements_run() as kept:
            second = app.test_client().get(path, headers={"Cookie": "seen-before=1"})
        assert (second.status_code, len(kept)) == (200, 0), path
        assert second.data == first.data, path
        assert second.headers["Content-Type"] == first.headers["Content-Type"]
        assert second.headers.get("Content-Disposition") == first.headers.get(
            "Content-Disposition")
        assert "Set-Cookie" not in second.headers and b'name="csrf_token"' not in second.data
    csv_file = app.test_client().get("/reports/cycles/2026-spring.csv")
    assert csv_file.headers["Content-Disposition"] == \
        'attachment; filename="2026-spring-report.csv"'


def test_signed_in_readers_get_their_own_page(app, client, city, login, make_user):
    anonymous = app.test_client().get(PATHS[0]).get_data(as_text=True)
    login(make_user(name="Tess Tester"))
    for _ in range(2):
        with statements_run() as made:
            page = client.get(PATHS[0]).get_data(as_text=True)
        assert "Tess Tester" in page and len(made) > 5  # made for them, each time
    assert "Tess Tester" not in anonymous
    assert "Tess Tester" not in app.test_client().get(PATHS[0]).get_data(as_text=True)


def test_a_change_committed_here_shows_at_once(app, city):
    reader = app.test_client()
    assert city.title in reader.get(f"/reports/projects/{city.id}").get_data(as_text=True)
    city.title = "Renamed by its board"  # the session requests use here, as a view would
    db.session.commit()
    for path in (f"/reports/projects/{city.id}", "/reports/cycles/2026-spring.csv"):
        assert "Renamed by its board" in reader.get(path).get_data(as_text=True), path


def test_a_metric_renamed_here_shows_at_once(app):
    from pbapp.metrics.models import Metric

    metric = Metric(key="linkage", name="Service linkage rate", unit="%")
    db.session.add(metric)
    db.session.commit()
    reader = app.test_client()
    assert "Service linkage rate" in reader.get("/metrics/linkage").get_data(as_text=True)
    metric.name = "Linked to a service within 7 days"
    db.session.commit()
    assert "Linked to a service within 7 days" in reader.get("/metrics/linkage").get_data(
        as_text=True)


class _Clock:
    def __init__(self):
        self.now = 5000.0

    def monotonic(self) -> float:
        return self.now


def test_a_change_made_elsewhere_shows_within_the_age_limit(app, city, monkeypatch):
    """A bare UPDATE stands for another worker's commit, which this process never sees."""
    clock = _Clock()
    monkeypatch.setattr(page_memory, "time", clock)
    monkeypatch.setattr(front, "time", clock)
    path = f"/reports/projects/{city.id}"
    assert app.test_client().get(path).status_code == 200
    generation = page_memory._generation
    # an UPDATE statement writes no ORM object, so the page memory is not told, as it is not
    # told of another worker's commit (this session is the one requests use in tests)
    db.session.execute(update(Project).where(Project.id == city.id)
                       .values(title="Renamed elsewhere"))
    db.session.commit()
    assert page_memory._generation == generation
    via_flask = {"Cookie": "seen-before=1"}  # a cookie the front does not answer for
    assert "Renamed elsewhere" not in app.test_client().get(path).get_data(as_text=True)
    assert "Renamed elsewhere" not in app.test_client().get(path, headers=via_flask).get_data(
        as_text=True)
    clock.now += page_memory.READER_MAX_AGE  # REPORT_MAX_AGE unset: the default
    assert "Renamed elsewhere" in app.test_client().get(path).get_data(as_text=True)
    assert "Renamed elsewhere" in app.test_client().get(path, headers=via_flask).get_data(
        as_text=True)
