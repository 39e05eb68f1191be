"""The demo city's closed perceived-safety survey: about 1,500 residents, answered in the weeks
before the demo's today, closed through the same service as a real one so its measurement
lands on the demo's "feel-safe" metric with its neighbourhood and age-band breakdowns.

Rows go in with bulk inserts: the test suite seeds the demo once per worker."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert

from ..extensions import db
from ..voting.roll import AGE_BANDS
from .models import (Survey, SurveyAnswer, SurveyParticipation, SurveyQuestion,
                     SurveyResponse)
from .services import close

RESPONSES = 1500
#: adults only (a survey of residents 18 and over), so no group is mostly small cells
AGE_SHARES = (0, 0.12, 0.2, 0.2, 0.17, 0.16, 0.15)
SAFETY = [("Very safe", "Muy seguro"), ("Fairly safe", "Bastante seguro"),
          ("Not very safe", "Poco seguro"), ("Not safe at all", "Nada seguro")]
HELP = [("Better street lighting", "Mejor alumbrado"), ("Youth activities", "Actividades "
        "juveniles"), ("Neighbourhood wardens", "Vigilantes de barrio"),
        ("Support for victims", "Apoyo a las víctimas")]
SAYINGS = ["The lights on Canal Walk make a real difference.",
           "More for teenagers to do in the evenings, please.",
           "I would like to know who to call when something happens.",
           "The bus stop by the market feels unsafe after nine.",
           "Thank you for asking us."]


def _questions(metric) -> list[SurveyQuestion]:
    safe = SurveyQuestion(kind="single", position=0, required=True,
                          wording="How safe do you feel walking alone in your neighbourhood "
                                  "after dark?",
                          options=[{"en": en, "es": es} for en, es in SAFETY],
                          metric_id=metric.id, metric_counts=[0, 1])
    safe.translate({"es": {"wording": "¿Qué tan seguro se siente caminando solo por su barrio "
                                      "de noche?"}})
    helps = SurveyQuestion(kind="multiple", position=1,
                           wording="What would make you feel safer?",
                           options=[{"en": en, "es": es} for en, es in HELP])
    helps.translate({"es": {"wording": "¿Qué le haría sentirse más seguro?"}})
    said = SurveyQuestion(kind="text", position=3, wording="Anything else you want to tell us?")
    said.translate({"es": {"wording": "¿Algo más que quiera contarnos?"}})
    return [safe, helps, said]


def add_demo_survey(metric, hoods, today: date, seed: int, levels) -> Survey:
    """A closed account survey with ``RESPONSES`` answers; ``levels`` is each neighbourhood's
    share feeling safe (the metric's own levels, so the two agree)."""
    rng = random.Random(seed * 31 + 5)
    closes = datetime.combine(today - timedelta(days=14), time(0), tzinfo=timezone.utc)
    survey = Survey(slug="feeling-safe", title="Feeling safe after dark",
                    intro="How safe residents feel after dark, and what would help. It feeds the "
                          "partnership's perceived-safety measure.",
                    mode="account", breakdowns=True, opens_at=closes - timedelta(days=35),
                    closes_at=closes, questions=_questions(metric))
    survey.translate({"es": {"title": "Sentirse seguro de noche",
                             "intro": "Cómo de seguros se sienten los vecinos y qué ayudaría. "
                                      "Alimenta la medida de seguridad percibida."}})
    db.session.add(survey)
    db.session.flush()
    safe, helps, said = survey.questions
    weights = [h.population for h in hoods]
    parts, responses, answers = [], [], []
    for i in range(RESPONSES):
        n = rng.choices(range(len(hoods)), weights=weights)[0]
        band = rng.choices(AGE_BANDS, weights=AGE_SHARES)[0]
        rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        parts.append({"survey_id": survey.id, "respondent_key": f"user:demo-survey-{i}"})
        responses.append({"id": rid, "survey_id": survey.id, "neighbourhood_id": hoods[n].id,
                          "age_band": band})
        feel = levels[n] * (0.9 if band == "65+" else 1.0)
        choice = (rng.choice((0, 1, 1)) if rng.random() < feel else rng.choice((2, 2, 3)))
        answers.append({"response_id": rid, "question_id": safe.id, "choice": choice})
        answers += [{"response_id": rid, "question_id": helps.id, "choice": c}
                    for c in range(len(HELP)) if rng.random() < 0.35]
        if i < len(SAYINGS) * 2:
            answers.append({"response_id": rid, "question_id": said.id,
                            "text": SAYINGS[i % len(SAYINGS)],
                            "review": "approved" if i < len(SAYINGS) else "pending"})
    rng.shuffle(responses)  # stored in no order that matches the participation rows
    for table, rows in ((SurveyParticipation, parts), (SurveyResponse, responses),
                        (SurveyAnswer, [{"choice": None, "number": None, "text": None,
                                         "review": "pending", **a} for a in answers])):
        db.session.execute(insert(table), rows)
    close(survey, now=closes)
    return survey
