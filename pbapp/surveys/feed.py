"""Closing a survey adds its linked questions' measurements to the metric catalogue.

A linked question counts, among the responses that answered it (the denominator), those that
chose one of its counted answers (the numerator): for the city over the survey's days, by age
band under it, and for each neighbourhood when the survey asked for them. The metric's own
protection runs on them at once (``pbapp.metrics.published``); what it hides, the survey's
results hide too, so one page cannot give away what the other hides.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from ..agreements.rules import day_words, import_refusal

from ..cycles.models import Neighbourhood
from ..extensions import db
from ..metrics.models import Measurement, Metric, PublishedCell
from ..metrics import protection
from ..metrics.published import publish
from .models import Survey, SurveyQuestion
from .results import COUNTED, N, NOT_GIVEN

#: the metric's group for respondents who did not give their age band
NOT_RECORDED = "not recorded"


def city_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE")
                                      or "UTC")).date()


def period_of(survey: Survey) -> tuple[date, date]:
    return city_day(survey.opens_at), city_day(survey.closed_at or survey.closes_at)


def refusal(metric: Metric, end: date, today: date) -> str | None:
    """Why the survey's measurement of ``metric`` cannot be added, in staff's language: the
    metric import's own rule (``agreements.rules.import_refusal``), so a survey cannot bring in
    what a file could not."""
    if import_refusal(metric, end, today) is None:
        return None
    # a survey's period ends by the day it closes, so a refusal here is always an expiry
    agreement = metric.agreement
    return gettext("No measurement was added to the metric “%(metric)s”: its data-sharing "
                   "agreement “%(agreement)s” expired on %(day)s. The survey's results are "
                   "published; once the agreement is renewed, import the figures.",
                   metric=metric.key, agreement=agreement.title,
                   day=day_words(agreement.expires_on))


def _amount(metric: Metric, counted: int, n: int) -> dict:
    if metric.kind == "count":
        return {"value": float(counted), "numerator": None, "denominator": None}
    return {"value": None, "numerator": counted, "denominator": n}


def _where(survey: Survey, hoods: dict[str, Neighbourhood]) -> list[tuple[tuple, dict]]:
    """Each survey table (breakdown, group) the metric takes, with the measurement's place."""
    out = [(("", ""), {"scope": "city", "scope_ref": "", "breakdown": "", "group_name": ""})]
    if survey.breakdowns:
        for slug, hood in hoods.items():
            out.append((("neighbourhood", slug), {"scope": "neighbourhood", "scope_ref": slug,
                                                  "neighbourhood_id": hood.id,
                                                  "breakdown": "", "group_name": ""}))
    return out


def feed_metrics(survey: Survey, counts: dict[tuple, int], today: date
                 ) -> tuple[set[tuple], set[tuple], dict[str, str]]:
    """Add the measurements of every linked question; return the survey cells the metrics
    hide (to be hidden in the survey's results too), those they show (as a rate, its counted
    and answered numbers are public whatever the survey hides), and, by metric key, why a
    metric took none (its agreement: checked before any of its rows is written)."""
    start, end = period_of(survey)
    hoods = {h.slug: h for h in db.session.scalars(select(Neighbourhood))}
    hidden: set[tuple] = set()
    shown: set[tuple] = set()
    refused: dict[str, str] = {}
    for q in survey.questions:
        metric = db.session.get(Metric, q.metric_id) if q.metric_id else None
        if metric is None or not q.has_choices or metric.kind == "median":
            continue
        why = refusal(metric, end, today)
        if why:
            refused[metric.key] = why
            continue
        places = _places(survey, q, counts, hoods)
        for (breakdown, group), where in places:
            n = counts.get((q.id, breakdown, group, N), 0)
            if n == 0 and breakdown:
                continue
            key = {"metric_id": metric.id, "period_start": start, "period_end": end, **where}
            if db.session.scalar(select(Measurement.id).filter_by(**{
                    k: key[k] for k in ("metric_id", "scope", "scope_ref", "period_start",
                                        "period_end", "breakdown", "group_name")})):
                continue  # already there: closing again adds nothing
            db.session.add(Measurement(**key, **_amount(
                metric, counts.get((q.id, breakdown, group, COUNTED), 0), n),
                source=survey.title[:160], note=f"Survey: {survey.slug}"))
        db.session.flush()
        publish(metric)
        found = _published_here(metric, q, places, start, end)
        hidden |= found[0]
        shown |= found[1]
    return hidden, shown, refused


def _places(survey: Survey, q: SurveyQuestion, counts, hoods) -> list[tuple[tuple, dict]]:
    places = _where(survey, hoods)
    if not _hoods_safe(q, counts):
        places = places[:1]
    if survey.breakdowns:
        bands = sorted({k[2] for k in counts if k[0] == q.id and k[1] == "age_band"})
        places += [(("age_band", band), {"scope": "city", "scope_ref": "",
                                         "breakdown": "age_band",
                                         "group_name": NOT_RECORDED if band == NOT_GIVEN
                                         else band}) for band in bands]
    return places


def _published_here(metric: Metric, q: SurveyQuestion, places, start: date, end: date
                    ) -> tuple[set, set]:
    cells = {(c.scope, c.scope_ref, c.breakdown, c.group_name): c for c in db.session.scalars(
        select(PublishedCell).where(PublishedCell.metric_id == metric.id,
                                    PublishedCell.period_start == start,
                                    PublishedCell.period_end == end))}
    hidden, shown = set(), set()
    for (breakdown, group), where in places:
        cell = cells.get((where["scope"], where["scope_ref"], where["breakdown"],
                          where["group_name"]))
        keys = {(q.id, breakdown, group, COUNTED)}
        if metric.kind != "count":
            keys.add((q.id, breakdown, group, N))
        if cell is None:
            continue
        if cell.hidden:
            hidden |= keys
        else:
            shown |= keys
    return hidden, shown


def _hoods_safe(q: SurveyQuestion, counts) -> bool:
    """The metric takes each neighbourhood's figure only when those who gave none are 0 or at
    least 11, both answered and counted: the city less the neighbourhoods is their number,
    which no measurement hides."""
    return all(not protection.is_small(counts.get((q.id, "neighbourhood", NOT_GIVEN, what), 0))
               for what in (N, COUNTED))
