"""Measurements under an expired agreement are refused on every import path (the service,
the staff form, the staff CSV upload, ``flask metrics import``), naming the agreement and its
date, and nothing of the file is imported; on both databases."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.metrics import importer
from pbapp.metrics import services as metric_services
from pbapp.metrics.models import Measurement

from agreement_dates import EXPIRES, noon

GOOD = "violent-incidents,city,,2026-07-01,2026-09-30,40\n"
LATE = "violent-incidents,city,,2027-01-01,2027-03-31,41\n"  # ends after the expiry
FREE = "free-metric,city,,2027-01-01,2027-03-31,42\n"  # no agreement: never refused
HEADER = "metric,scope,scope_ref,period_start,period_end,value\n"


def _count() -> int:
    return db.session.scalar(select(func.count(Measurement.id)))


def test_a_period_ending_after_the_expiry_is_refused_with_the_whole_file(world):
    before = _count()
    with pytest.raises(importer.ImportInvalid) as refused:
        importer.import_measurements(HEADER + GOOD + LATE + FREE, world.staff)
    db.session.rollback()
    assert _count() == before
    [problem] = refused.value.problems
    assert problem.startswith("Line 3: The period ends on 2027-03-31")
    assert "“Police recorded violence” (police-data)" in problem
    assert f"expires on {EXPIRES.isoformat()}" in problem


def test_a_file_is_refused_once_the_agreement_has_expired_whatever_its_periods(world, freeze):
    freeze(noon(date(2027, 1, 1)))
    with pytest.raises(importer.ImportInvalid) as refused:
        importer.import_measurements(HEADER + GOOD, world.staff)
    db.session.rollback()
    assert refused.value.problems == [
        "Line 2: Nothing can be imported for violent-incidents: the data-sharing agreement "
        "“Police recorded violence” (police-data) expired on 2026-12-31. Renew the agreement "
        "(a new expiry date) before importing."]
    assert _count() == 2


def test_the_last_day_is_still_covered(world, freeze):
    freeze(noon(EXPIRES))
    report = importer.import_measurements(HEADER + GOOD + FREE, world.staff)
    db.session.commit()
    assert report.added == 2


def test_the_staff_form_refuses_too(world, client, login, csrf):
    login(world.staff)
    url = "/metrics/violent-incidents/measurements/new"
    answer = client.post(url, data={"csrf_token": csrf(url), "scope": "city",
                                    "period_start": "2027-01-01", "period_end": "2027-03-31",
                                    "value": "41"})
    assert answer.status_code == 200
    assert "after the data-sharing agreement “Police recorded violence” (police-data)" in \
        answer.get_data(as_text=True).replace("&#34;", '"')
    assert _count() == 2
    with pytest.raises(metric_services.Invalid):
        metric_services.add_measurement(world.staff, world.metric, {
            "scope": "city", "period_start": "2027-01-01", "period_end": "2027-03-31",
            "value": "41"})
    db.session.rollback()


def test_the_staff_upload_refuses_and_imports_nothing(world, client, login, csrf):
    import io

    login(world.staff)
    token = csrf("/metrics/import")
    answer = client.post("/metrics/import", data={
        "csrf_token": token,
        "file": (io.BytesIO((HEADER + GOOD + LATE).encode()), "data.csv")},
        content_type="multipart/form-data")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Line 3: The period ends on 2027-03-31" in page and "police-data" in page
    assert _count() == 2


def test_the_command_refuses_and_imports_nothing(world, runner, tmp_path, freeze):
    freeze(noon(date(2027, 2, 1)))
    path = tmp_path / "data.csv"
    path.write_text(HEADER + GOOD + FREE)
    result = runner.invoke(args=["metrics", "import", str(path)])
    assert result.exit_code == 1
    assert "expired on 2026-12-31" in result.output and "police-data" in result.output
    assert _count() == 2
