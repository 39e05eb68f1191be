"""Staff build a survey: its texts in both languages, its window, who may answer, and its
questions, each perhaps linked to a metric. Questions change only while no one has answered."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from ..audit.services import record
from ..extensions import db
from ..metrics.models import Metric
from .models import KINDS, MODES, Survey, SurveyParticipation, SurveyQuestion
from .services import Refused

MAX_OPTIONS = 20


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def save_survey(survey: Survey | None, data: dict, actor) -> Survey:
    """Create or change a survey from checked form data."""
    if data["mode"] not in MODES:
        raise Refused(gettext("Choose who may answer from the list."))
    if data["opens_at"] >= data["closes_at"]:
        raise Refused(gettext("The survey must close after it opens."))
    taken = db.session.scalar(select(Survey.id).where(Survey.slug == data["slug"]))
    if taken is not None and (survey is None or taken != survey.id):
        raise Refused(gettext("Another survey has this web address; choose another."))
    if survey is not None and survey.closed_at is not None:
        raise Refused(gettext("This survey is closed; its results are published."))
    if survey is not None and survey.mode != data["mode"] and answered(survey):
        raise Refused(gettext("People have answered already: who may answer cannot change."))
    new = survey is None
    survey = survey or Survey()
    for name in ("slug", "title", "intro", "mode", "opens_at", "closes_at", "breakdowns"):
        setattr(survey, name, data[name])
    survey.translate({"es": {"title": data.get("title_es") or "",
                             "intro": data.get("intro_es") or ""}})
    db.session.add(survey)
    db.session.flush()
    record(actor, "survey.create" if new else "survey.edit", f"survey:{survey.id}",
           slug=survey.slug)
    return survey


def answered(survey: Survey) -> bool:
    return db.session.scalar(select(SurveyParticipation.id).where(
        SurveyParticipation.survey_id == survey.id).limit(1)) is not None


def add_question(survey: Survey, data: dict, actor) -> SurveyQuestion:
    """A new last question; its answers and their Spanish one a line, in the same order."""
    if answered(survey) or survey.closed_at is not None:
        raise Refused(gettext("People have answered already: the questions cannot change."))
    kind = data["kind"]
    if kind not in KINDS:
        raise Refused(gettext("Choose the kind of answer from the list."))
    english, spanish = _lines(data.get("options")), _lines(data.get("options_es"))
    options = []
    if kind in ("single", "multiple"):
        if not 2 <= len(english) <= MAX_OPTIONS:
            raise Refused(gettext("Give from 2 to 20 answers to choose from, one a line."))
        if spanish and len(spanish) != len(english):
            raise Refused(gettext("Give the Spanish answers in the same number and order as "
                                  "the English ones."))
        if any(len(o) > 200 for o in english + spanish):
            raise Refused(gettext("An answer to choose from is at most 200 characters."))
        options = [{"en": en, "es": spanish[i] if spanish else ""}
                   for i, en in enumerate(english)]
    question = SurveyQuestion(survey_id=survey.id, kind=kind, wording=data["text"],
                              options=options, required=bool(data.get("required")),
                              position=len(survey.questions))
    _link_metric(question, data.get("metric") or "", data.get("counts") or "")
    question.translate({"es": {"wording": data.get("text_es") or ""}})
    survey.questions.append(question)
    db.session.flush()
    record(actor, "survey.question.add", f"survey:{survey.id}", question=question.id)
    return question


def _link_metric(question: SurveyQuestion, key: str, counts: str) -> None:
    if not key:
        return
    metric = db.session.scalar(select(Metric).where(Metric.key == key))
    if metric is None:
        raise Refused(gettext("Choose the metric from the list."))
    if not question.has_choices or metric.kind == "median":
        raise Refused(gettext("Only a question with answers to choose from can feed a metric, "
                              "and not a median."))
    numbers = [p.strip() for p in counts.replace(";", ",").split(",") if p.strip()]
    allowed = {n for n, _ in question.choices()}
    try:
        # staff count answers from 1, as the page lists them; a scale's are its own values
        chosen = [int(p) - (0 if question.kind == "scale" else 1) for p in numbers]
    except ValueError:
        chosen = [None]
    if not chosen or any(c not in allowed for c in chosen):
        raise Refused(gettext("Say which answers the metric counts by their numbers in the "
                              "list, such as 1, 2."))
    question.metric_id = metric.id
    question.metric_counts = sorted(set(chosen))


def remove_question(question: SurveyQuestion, actor) -> None:
    survey = question.survey
    if answered(survey) or survey.closed_at is not None:
        raise Refused(gettext("People have answered already: the questions cannot change."))
    survey.questions.remove(question)
    for i, q in enumerate(survey.questions):
        q.position = i
    db.session.flush()
    record(actor, "survey.question.remove", f"survey:{survey.id}")
