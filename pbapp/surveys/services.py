"""Answering a survey once, and closing it: the transactions behind the survey pages.

One response per person, under the ballots' rules (``pbapp.voting``): the participation row's
UNIQUE (survey, respondent key), not a prior look-up, refuses a second response, and it and
the response are written in one transaction with nothing linking them. Who the key names
depends on the survey's mode: a verified account (its voter id, as its ballots), a letter code
(its keyed hash, as a voting code's), or, for an open consultation with a link, the signed-in
account or else a fresh random key (which cannot stop repeats; the results say so).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import utcnow
from ..voting.codes import CODE_LENGTH, code_hash, new_code, normalise
from ..voting.roll import AGE_BANDS, band_of
from ..voting.services import voter_key
from .feed import city_day, feed_metrics
from .models import (NUMBER_MAX, TEXT_MAX, Survey, SurveyAnswer, SurveyCode,
                     SurveyParticipation, SurveyQuestion, SurveyResponse)
from .results import published, raw_counts

_WHOLE = re.compile(r"[0-9]{1,7}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refused(ValueError):
    """Nothing was stored; the message says why, for the resident."""


@dataclass(frozen=True)
class Respondent:
    key: str
    neighbourhood_id: int | None = None
    age_band: str | None = None


@dataclass
class Answers:
    """A response checked in full, ready to store."""

    rows: list[dict] = field(default_factory=list)
    neighbourhood_id: int | None = None
    age_band: str | None = None


def account_band(survey: Survey, user) -> str | None:
    year = getattr(user, "birth_year", None)
    return band_of(survey.closes_at.year - year) if year else None


def respondent(survey: Survey, user, code: str | None) -> Respondent:
    """Who is answering, by the survey's mode; Refused when they may not."""
    signed_in = user is not None and user.is_authenticated
    if survey.mode == "code":
        hashed = code_hash(code or "") if len(normalise(code or "")) == CODE_LENGTH else None
        if hashed is None or db.session.scalar(select(SurveyCode.id).where(
                SurveyCode.survey_id == survey.id, SurveyCode.code_hash == hashed)) is None:
            raise Refused(gettext("This code cannot be used for this survey. Check it against "
                                  "your letter, or ask staff for help."))
        return Respondent(voter_key("code", hashed))
    if signed_in and user.email_verified_at is not None:
        return Respondent(voter_key("user", user.voter_id), user.neighbourhood_id,
                          account_band(survey, user))
    if survey.mode == "account":
        raise Refused(gettext("Confirm your email address first; your account page can send "
                              "a new link.") if signed_in else
                      gettext("Sign in with a confirmed account to answer this survey."))
    return Respondent(voter_key("link", uuid.uuid4().hex))


def has_answered(survey: Survey, key: str) -> bool:
    """For the page only; the unique constraint is what refuses a second response."""
    return db.session.scalar(select(SurveyParticipation.id).where(
        SurveyParticipation.survey_id == survey.id,
        SurveyParticipation.respondent_key == key)) is not None


def _one(values: list[str], question: SurveyQuestion) -> str | None:
    if len(values) > 1:
        raise Refused(gettext("“%(question)s” takes one answer.", question=question.wording))
    return values[0] if values else None


def _choice(raw: str, question: SurveyQuestion, locale) -> int:
    allowed = {str(v): v for v, _ in question.choices(locale)}
    if raw not in allowed:
        raise Refused(gettext("“%(question)s”: choose one of the answers listed.",
                              question=question.wording))
    return allowed[raw]


def check_answers(survey: Survey, form, locale=None) -> Answers:
    """Every answer checked before anything is stored; Refused names the first problem.
    ``form`` maps ``q<id>`` to a list of strings (a MultiDict's ``getlist``)."""
    out = Answers()
    for q in survey.questions:
        values = [v for v in form.getlist(f"q{q.id}") if v.strip()]
        if q.kind == "multiple":
            chosen = [_choice(v, q, locale) for v in values]
            if len(set(chosen)) != len(chosen):
                raise Refused(gettext("“%(question)s”: each answer may be ticked once.",
                                      question=q.wording))
            out.rows += [{"question_id": q.id, "choice": c} for c in chosen]
        elif q.kind in ("single", "scale"):
            raw = _one(values, q)
            if raw is not None:
                out.rows.append({"question_id": q.id, "choice": _choice(raw, q, locale)})
        elif q.kind == "number":
            raw = _one(values, q)
            if raw is not None:
                raw = raw.strip()
                if not _WHOLE.fullmatch(raw) or int(raw) > NUMBER_MAX:
                    raise Refused(gettext("“%(question)s”: give a whole number from 0 to "
                                          "%(max)s, in digits.", question=q.wording,
                                          max=f"{NUMBER_MAX:,}"))
                out.rows.append({"question_id": q.id, "number": int(raw)})
        else:
            raw = _one([v.strip() for v in values], q)
            if raw is not None:
                if len(raw) > TEXT_MAX or _CONTROL.search(raw):
                    raise Refused(gettext("“%(question)s”: write at most 2,000 characters of "
                                          "plain text.", question=q.wording))
                out.rows.append({"question_id": q.id, "text": raw})
        if q.required and not any(r["question_id"] == q.id for r in out.rows):
            raise Refused(gettext("“%(question)s” needs an answer.", question=q.wording))
    if survey.breakdowns:
        out.neighbourhood_id, out.age_band = _groups(form)
    return out


def _groups(form) -> tuple[int | None, str | None]:
    hood = (form.get("neighbourhood") or "").strip()
    band = (form.get("age_band") or "").strip()
    ids = set(db.session.scalars(select(Neighbourhood.id)))
    if hood and not (hood.isascii() and hood.isdigit() and len(hood) < 10 and int(hood) in ids):
        raise Refused(gettext("Choose your neighbourhood from the list, or leave it empty."))
    if band and band not in AGE_BANDS:
        raise Refused(gettext("Choose your age band from the list, or leave it empty."))
    return (int(hood) if hood else None), (band or None)


def submit(survey: Survey, who: Respondent, answers: Answers, now: datetime | None = None
           ) -> None:
    """Store one response: the participation row and the answers in one transaction."""
    if not survey.is_open(now or utcnow()):
        raise Refused(gettext("This survey is not open for answers."))
    if not answers.rows:
        raise Refused(gettext("Answer at least one question; nothing was sent."))
    response = SurveyResponse(id=str(uuid.uuid4()), survey_id=survey.id,
                              neighbourhood_id=answers.neighbourhood_id or who.neighbourhood_id,
                              age_band=answers.age_band or who.age_band)
    if not survey.breakdowns:
        response.neighbourhood_id = response.age_band = None
    try:
        with db.session.begin_nested():
            db.session.add(SurveyParticipation(survey_id=survey.id, respondent_key=who.key))
            db.session.add(response)
            db.session.flush()
            db.session.add_all(SurveyAnswer(response_id=response.id, **row)
                               for row in answers.rows)
            db.session.flush()
    except IntegrityError:
        raise Refused(gettext("You have already answered this survey; one response per "
                              "person.")) from None


def make_codes(survey: Survey, count: int, actor=None) -> list[str]:
    """New letter codes for a code survey, their keyed hashes stored; the codes are shown once."""
    if survey.mode != "code":
        raise Refused(gettext("This survey is not answered with letter codes."))
    if not 1 <= count <= 10_000:
        raise Refused(gettext("Make from 1 to 10,000 codes at a time."))
    codes: dict[str, str] = {}
    while len(codes) < count:
        code = new_code()
        codes[code_hash(code)] = code
    db.session.add_all(SurveyCode(survey_id=survey.id, code_hash=h) for h in codes)
    db.session.flush()
    record(actor, "survey.codes", f"survey:{survey.id}", count=count)
    return list(codes.values())


@dataclass(frozen=True)
class Closed:
    """A survey just closed; ``refused``: why a linked metric took no measurement."""

    refused: tuple[str, ...] = ()


def close(survey: Survey, actor=None, now: datetime | None = None) -> Closed | None:
    """Close the survey, publish its protected results and add its linked measurements;
    None when it was closed already (closing twice changes nothing). A metric whose
    data-sharing agreement refuses the measurement takes none, and the survey closes anyway:
    its results are the residents' and do not depend on the partners' agreement."""
    now = now or utcnow()
    if survey.closed_at is not None:
        return None
    if now <= survey.opens_at:
        raise Refused(gettext("This survey has not opened yet; change its dates instead."))
    survey.closed_at = min(now, survey.closes_at)
    counts, _numbers, _responses = raw_counts(survey)
    hidden, shown, refused = feed_metrics(survey, counts, city_day(now))
    survey.results = published(survey, never_shown=hidden, known=shown)
    record(actor, "survey.close", f"survey:{survey.id}", slug=survey.slug)
    for key in refused:
        record(actor, "survey.measurement_refused", f"metric:{key}", survey=survey.slug)
    db.session.flush()
    return Closed(tuple(refused.values()))


def due(now: datetime | None = None) -> list[Survey]:
    """Surveys past their closing time and not yet closed."""
    return list(db.session.scalars(select(Survey).where(
        Survey.closed_at.is_(None), Survey.closes_at <= (now or utcnow())).order_by(Survey.id)))


def review(answer: SurveyAnswer, decision: str, actor) -> None:
    if decision not in ("approved", "withheld") or answer.text is None:
        raise Refused(gettext("Choose to publish or withhold the answer."))
    answer.review = decision
    record(actor, f"survey.answer.{decision}", f"survey_answer:{answer.id}")
