"""Factories for surveys: ``make_survey(mode=..., breakdowns=...)`` with a choice, a scale, a
number and a free-text question, open now unless told otherwise."""
from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.fixture()
def make_survey(app):
    from pbapp.extensions import db
    from pbapp.models_base import utcnow
    from pbapp.surveys.models import Survey, SurveyQuestion

    def make(slug: str = "safety", mode: str = "account", breakdowns: bool = True,
             metric=None, open_now: bool = True, **kw) -> Survey:
        now = utcnow()
        survey = Survey(slug=slug, title=kw.pop("title", "Feeling safe"), intro="Tell us.",
                        mode=mode, breakdowns=breakdowns,
                        opens_at=now - timedelta(days=7 if open_now else -1),
                        closes_at=now + timedelta(days=7), **kw)
        survey.translate({"es": {"title": "Sentirse seguro", "intro": "Cuéntenos."}})
        questions = [
            SurveyQuestion(kind="single", position=0, required=True,
                           wording="How safe do you feel walking alone after dark?",
                           options=[{"en": "Very safe", "es": "Muy seguro"},
                                    {"en": "Fairly safe", "es": "Bastante seguro"},
                                    {"en": "Not very safe", "es": "Poco seguro"},
                                    {"en": "Not safe at all", "es": "Nada seguro"}],
                           metric_id=metric.id if metric else None,
                           metric_counts=[0, 1] if metric else []),
            SurveyQuestion(kind="multiple", position=1, wording="What would help?",
                           options=[{"en": "Lighting", "es": "Alumbrado"},
                                    {"en": "Youth clubs", "es": "Clubes juveniles"},
                                    {"en": "Patrols", "es": "Patrullas"}]),
            SurveyQuestion(kind="scale", position=2, wording="How much do you trust the council?"),
            SurveyQuestion(kind="number", position=3, wording="Years at your address?"),
            SurveyQuestion(kind="text", position=4, wording="Anything else?"),
        ]
        questions[0].translate({"es": {"wording": "¿Qué tan seguro se siente de noche?"}})
        survey.questions = questions
        db.session.add(survey)
        db.session.commit()
        return survey
    return make


@pytest.fixture()
def safety_metric(app):
    from pbapp.extensions import db
    from pbapp.metrics.models import Metric

    metric = Metric(key="perceived-safety", name="Residents who feel safe", kind="percent",
                    better="higher", source="survey", unit="% of residents")
    db.session.add(metric)
    db.session.commit()
    return metric


@pytest.fixture()
def hoods(app):
    from pbapp.cycles.models import Neighbourhood
    from pbapp.extensions import db

    made = [Neighbourhood(slug=s, name=n, population=5000) for s, n in
            (("riverside", "Riverside"), ("hillcrest", "Hillcrest"), ("old-town", "Old Town"))]
    db.session.add_all(made)
    db.session.commit()
    return made


def answer_form(survey, **over) -> dict:
    """A full, valid response's form data (the first choice of each), with ``over`` applied."""
    q = {x.kind: x for x in survey.questions}
    data = {f"q{q['single'].id}": "0", f"q{q['multiple'].id}": ["0", "2"],
            f"q{q['scale'].id}": "4", f"q{q['number'].id}": "12",
            f"q{q['text'].id}": "More lights on Canal Walk, please."}
    data.update(over)
    return data
