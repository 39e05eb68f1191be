"""The demo city's closed perceived-safety survey: about 1,500 answers, protected results, and
its measurement on the demo's feel-safe metric with the equity breakdowns. Both databases."""
from __future__ import annotations

from sqlalchemy import func, select

from pbapp.demo import seed_demo
from pbapp.extensions import db
from pbapp.metrics.models import Measurement, Metric
from pbapp.surveys.models import Survey, SurveyParticipation, SurveyResponse


def test_demo_has_a_closed_survey_feeding_feel_safe(app, client):
    list(seed_demo(ballots=200, seed=1))
    survey = db.session.scalar(select(Survey).where(Survey.slug == "feeling-safe"))
    assert survey.closed_at is not None and survey.results["audit"]["passed"]
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1500
    assert db.session.scalar(select(func.count(SurveyParticipation.id))) == 1500
    metric = db.session.scalar(select(Metric).where(Metric.key == "feel-safe"))
    rows = db.session.scalars(select(Measurement).where(
        Measurement.metric_id == metric.id, Measurement.note == "Survey: feeling-safe")).all()
    assert {(m.scope, m.breakdown) for m in rows} == {("city", ""), ("city", "age_band"),
                                                      ("neighbourhood", "")}
    assert next(m for m in rows if m.scope == "city" and not m.breakdown).denominator == 1500
    results = client.get("/surveys/feeling-safe/results").get_data(as_text=True)
    assert "Responses: 1,500." in results and "By age band" in results
    assert "The lights on Canal Walk make a real difference." in results
    metric_page = client.get("/metrics/feel-safe").get_data(as_text=True)
    assert "/surveys/feeling-safe/results" in metric_page
    home = client.get("/").get_data(as_text=True)
    assert "/surveys" in home
