"""Surveys in the read-only API: the surveys residents can see, and each one's results once
published, read from the protected results stored when it closed (the numbers its page shows).

A hidden count is ``{"value": null, "suppressed": ...}`` as everywhere in the API: "small"
where the page shows "<11", "complementary" where it shows "—".
"""
from __future__ import annotations

from flask import abort, jsonify, url_for
from sqlalchemy import select

from ..api import bp
from ..api.http import SLUG, names_something, paginated
from ..api.serialize import when
from ..extensions import db
from ..metrics.protection import SMALL
from ..models_base import utcnow
from .models import Survey
from .results import BREAKDOWNS
from .views import approved_texts, share, visible


def status_of(survey: Survey, now) -> str:
    if survey.closed_at is not None:
        return "published"
    return "open" if survey.is_open(now) else "closed"


def summary(survey: Survey, now) -> dict:
    published = survey.closed_at is not None and survey.results is not None
    return {
        "slug": survey.slug, "title": survey.title,
        "title_es": (survey.translations or {}).get("es", {}).get("title") or None,
        "status": status_of(survey, now), "who_may_answer": survey.mode,
        "opens_at": when(survey.opens_at), "closes_at": when(survey.closes_at),
        "closed_at": when(survey.closed_at),
        "links": {"html": url_for("surveys.show", slug=survey.slug),
                  "results": url_for("api.survey_results", slug=survey.slug)
                  if published else None,
                  "results_html": url_for("surveys.results", slug=survey.slug)
                  if published else None},
    }


def count(cell) -> dict:
    """A stored cell ``[value, reason]`` as the API's protected count."""
    value, hidden = cell
    if hidden:
        return {"value": None, "suppressed": "small" if hidden == SMALL else "complementary"}
    return {"value": None if value is None else int(value), "suppressed": None}


def _share(cell, n) -> float | None:
    found = share(cell, n)
    return None if found is None else float(found)


def _choices(question, table) -> list[dict]:
    return [{"value": value, "count": count(table["choices"][str(value)]),
             "share": _share(table["choices"][str(value)], table["n"])}
            for value, _label in question.choices()]


def _options(question) -> list[dict]:
    if question.kind == "scale":
        return [{"value": v, "label": label, "label_es": None} for v, label in question.choices()]
    return [{"value": i, "label": o.get("en", ""), "label_es": o.get("es") or None}
            for i, o in enumerate(question.options or [])]


def _question(question, stored: dict | None, texts: list[str]) -> dict:
    tables = (stored or {}).get("tables") or []
    total = next((t for t in tables if not t["breakdown"]), None)
    es = (question.translations or {}).get("es", {})
    return {
        "id": question.id, "number": question.position + 1, "kind": question.kind,
        "wording": question.wording, "wording_es": es.get("wording") or None,
        "options": _options(question),
        "metric": question.metric.key if question.metric_id and question.metric else None,
        "answered": count(total["n"]) if total else None,
        "choices": _choices(question, total) if total and question.has_choices else [],
        "breakdowns": [{"breakdown": t["breakdown"], "group": t["group"], "answered":
                        count(t["n"]), "choices": _choices(question, t)}
                       for t in tables if t["breakdown"] in BREAKDOWNS
                       and question.has_choices],
        "median": (stored or {}).get("median"),
        "texts": texts if question.kind == "text" else [],
    }


def results_document(survey: Survey) -> dict:
    stored = survey.results
    texts = approved_texts(survey)
    return {
        "survey": summary(survey, utcnow()),
        "responses": count(stored["responses"]),
        "questions": [_question(q, stored["questions"].get(str(q.id)), texts.get(q.id, []))
                      for q in survey.questions],
        "protection": {"passed": stored["audit"]["passed"], "cells": stored["audit"]["cells"],
                       "hidden": stored["audit"]["hidden"],
                       "about": url_for("metrics.small_numbers")},
        "links": {"self": url_for("api.survey_results", slug=survey.slug),
                  "html": url_for("surveys.results", slug=survey.slug)},
    }


@bp.get("/surveys")
def surveys():
    now = utcnow()
    found = db.session.scalars(visible(select(Survey))
                               .order_by(Survey.opens_at.desc(), Survey.slug)).all()
    return jsonify(paginated(list(found), lambda s: summary(s, now)))


@bp.get("/surveys/<slug>/results")
def survey_results(slug: str):
    found = db.session.scalar(visible(select(Survey)).where(Survey.slug == slug)) \
        if names_something(slug, SLUG) else None
    if found is None:
        abort(404, description=f"No public survey “{slug}”.")
    if found.closed_at is None or found.results is None:
        abort(404, description=f"The results of “{slug}” are not published yet.")
    return jsonify(results_document(found))
