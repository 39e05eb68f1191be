"""Closing a survey under the metric's data-sharing agreement: the metric import's rule holds
(an expired agreement takes no new measurement), yet the survey still closes and publishes its
results; staff are told why, by the page and by ``flask surveys close``, and nothing of the
measurement is written. Both databases."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from pbapp.agreements.models import Agreement
from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, PublishedCell
from pbapp.models_base import site_today
from tests.surveys.test_results import close_by_staff, seed


def under_agreement(metric, expires_on: date) -> Agreement:
    agreement = Agreement(slug="safety-survey", title="Resident safety survey",
                          starts_on=date(2024, 1, 1), expires_on=expires_on, metrics=[metric])
    db.session.add(agreement)
    db.session.commit()
    return agreement


def rows_of(metric) -> tuple[int, int]:
    db.session.rollback()
    return tuple(db.session.scalar(select(func.count()).select_from(t).where(
        t.metric_id == metric.id)) for t in (Measurement, PublishedCell))


def test_expired_agreement_refuses_the_measurement_not_the_results(
        client, login, make_user, make_survey, safety_metric, hoods):
    under_agreement(safety_metric, site_today() - timedelta(days=1))
    survey = make_survey(metric=safety_metric)
    seed(survey, hoods, n=40)
    closed = close_by_staff(client, login, make_user, "safety")
    assert closed.status_code == 303 and closed.headers["Location"].endswith("/results")
    page = client.get("/surveys/safety/results").get_data(as_text=True)
    assert "The survey is closed and its results are published." in page
    assert ("No measurement was added to the metric “perceived-safety”: its data-sharing "
            "agreement “Resident safety survey” expired on "
            f"{(site_today() - timedelta(days=1)).isoformat()}") in page
    assert "Responses: 40." in page
    db.session.refresh(survey)
    assert survey.closed_at is not None and survey.results["responses"] == [40, None]
    assert rows_of(safety_metric) == (0, 0)  # not one row of the measurement, nor its cells
    assert db.session.scalar(select(AuditEvent.target).where(
        AuditEvent.action == "survey.measurement_refused")) == "metric:perceived-safety"
    # the metric's page does not claim the survey fed it
    assert "/surveys/safety/results" not in client.get(
        "/metrics/perceived-safety").get_data(as_text=True)


def test_the_command_says_why_and_a_current_agreement_takes_the_measurement(
        runner, make_survey, safety_metric, hoods):
    agreement = under_agreement(safety_metric, site_today() - timedelta(days=3))
    old = make_survey(metric=safety_metric)
    seed(old, hoods, n=20)
    result = runner.invoke(args=["surveys", "close", "safety"])
    assert result.exit_code == 0, result.output
    assert "safety: closed, results published" in result.output
    assert "No measurement was added to the metric “perceived-safety”" in result.output
    assert rows_of(safety_metric) == (0, 0)
    # renewed (its expiry today, which it still covers): the next survey feeds the metric
    agreement = db.session.get(Agreement, agreement.id)
    agreement.expires_on = site_today()
    db.session.commit()
    fresh = make_survey(slug="safety-again", metric=safety_metric)
    seed(fresh, hoods, n=20)
    result = runner.invoke(args=["surveys", "close", "safety-again"])
    assert result.exit_code == 0 and "No measurement" not in result.output
    measured, cells = rows_of(safety_metric)
    assert measured >= 1 and cells >= 1
