"""A closed survey's published numbers: counted once, protected as one system, stored.

Every count about people goes through ``pbapp.metrics.protection``, the same rules and audit
as the metrics: counts of 1 to 10 are hidden ("<11"), more are hidden until a linear-programming
audit over all of the survey's tables at once (choices adding up to the people who answered,
groups adding up to the total) shows that no hidden count can be narrowed to within 10. A
share is shown only when both its count and the number who answered are shown.

A question linked to a metric also publishes, through the metric, how many answered one of its
counted choices: that sum is a cell of this system too, and whatever the metric hides stays
hidden here, so the two pages together give away no more than each alone.
"""
from __future__ import annotations

import statistics
from collections import defaultdict

from sqlalchemy import func, select

from ..cycles.models import Neighbourhood
from ..extensions import db
from ..metrics import protection
from .models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

BREAKDOWNS = ("neighbourhood", "age_band")
NOT_GIVEN = "not given"
N, COUNTED = "n", "counted"
#: the number of responses, a cell of the same system: each question's "n" is within it
RESPONSES = (0, "", "", "responses")


def _groups_of(survey: Survey) -> dict[str, tuple[str, str]]:
    """Each response id's (neighbourhood slug, age band), "not given" where unknown."""
    slugs = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.slug)).all())
    rows = db.session.execute(select(SurveyResponse.id, SurveyResponse.neighbourhood_id,
                                     SurveyResponse.age_band)
                              .where(SurveyResponse.survey_id == survey.id)).all()
    return {rid: (slugs.get(hood, NOT_GIVEN), band or NOT_GIVEN) for rid, hood, band in rows}


def raw_counts(survey: Survey) -> tuple[dict[tuple, int], dict[int, list[int]], int]:
    """Counts keyed ``(question id, breakdown, group, what)``, where ``what`` is a choice, "n"
    (answered the question) or "counted" (answered a choice the linked metric counts); the
    number questions' answers; the number of responses."""
    groups = _groups_of(survey)
    questions = {q.id: q for q in survey.questions}
    counts: dict[tuple, int] = defaultdict(int)
    answered: dict[int, set[str]] = defaultdict(set)
    counted: dict[int, set[str]] = defaultdict(set)
    numbers: dict[int, list[int]] = defaultdict(list)
    answers = db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.choice,
               SurveyAnswer.number)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id))
    for rid, qid, choice, number in answers:
        q = questions[qid]
        answered[qid].add(rid)
        if q.has_choices and choice is not None:
            for key in _places(qid, groups[rid], choice):
                counts[key] += 1
            if choice in (q.metric_counts or []):
                counted[qid].add(rid)
        elif q.kind == "number" and number is not None:
            numbers[qid].append(number)
    for q in survey.questions:
        if q.has_choices:  # every choice, answered or not, is a cell (0 stays 0)
            for value, _ in q.choices():
                for key in _places(q.id, None, value, groups_seen=groups):
                    counts.setdefault(key, 0)
        for what, ids in ((N, answered[q.id]), *(((COUNTED, counted[q.id]),)
                                                  if q.metric_id and q.has_choices else ())):
            for key in _places(q.id, None, what, groups_seen=groups, grouped=q.has_choices):
                counts.setdefault(key, 0)
            for rid in ids:
                for key in _places(q.id, groups[rid], what, grouped=q.has_choices):
                    counts[key] += 1
    counts[RESPONSES] = len(groups)
    return dict(counts), dict(numbers), len(groups)


def _places(qid: int, group: tuple[str, str] | None, what, groups_seen=None,
            grouped: bool = True) -> list[tuple]:
    """The cells one answer counts in (the total and its group in each breakdown), or with
    ``groups_seen`` every cell of the question's tables."""
    keys = [(qid, "", "", what)]
    if not grouped:
        return keys
    if group is not None:
        return keys + [(qid, b, g, what) for b, g in zip(BREAKDOWNS, group)]
    for hood, band in set((groups_seen or {}).values()):
        keys += [(qid, "neighbourhood", hood, what), (qid, "age_band", band, what)]
    return list(dict.fromkeys(keys))


def relations(survey: Survey, counts: dict[tuple, int]) -> list[protection.Relation]:
    """Every sum a reader can see among the survey's tables."""
    out = []
    kinds = {q.id: q.kind for q in survey.questions}
    tables: dict[tuple, list[tuple]] = defaultdict(list)
    for key in counts:
        if key != RESPONSES:
            tables[key[:3]].append(key)
    for q in survey.questions:  # a required question was answered by every respondent
        if (q.id, "", "", N) in counts:
            out.append(protection.Relation(RESPONSES, ((q.id, "", "", N),), q.required,
                                           "responses"))
    for (qid, breakdown, group), keys in tables.items():
        choice_keys = [k for k in keys if k[3] not in (N, COUNTED)]
        n = (qid, breakdown, group, N)
        if kinds[qid] in ("single", "scale") and choice_keys:
            out.append(protection.Relation(n, tuple(choice_keys), True, "choices"))
        elif kinds[qid] == "multiple":
            out += [protection.Relation(n, (k,), False, "choices") for k in choice_keys]
        q = next(q for q in survey.questions if q.id == qid)
        if (qid, breakdown, group, COUNTED) in counts:
            parts = tuple(k for k in choice_keys if k[3] in (q.metric_counts or []))
            if kinds[qid] == "multiple":
                out.append(protection.Relation(n, ((qid, breakdown, group, COUNTED),), False,
                                               "counted"))
            else:
                out.append(protection.Relation((qid, breakdown, group, COUNTED), parts, True,
                                               "counted"))
    by_cell: dict[tuple, list[tuple]] = defaultdict(list)
    for key in counts:
        qid, breakdown, group, what = key
        if breakdown and key != RESPONSES:
            by_cell[(qid, breakdown, what)].append(key)
    for (qid, breakdown, what), parts in by_cell.items():
        out.append(protection.Relation((qid, "", "", what), tuple(sorted(parts, key=repr)),
                                       True, breakdown))
    return out


def _cost(counts: dict[tuple, int]):
    return lambda key: (counts[key], 0 if key[1] else 1)


def protect(survey: Survey, counts: dict[tuple, int], never_shown=()) -> protection.Outcome:
    return protection.protect(counts, relations(survey, counts), _cost(counts),
                              never_shown=[k for k in never_shown if k in counts])


def _cell(counts, hidden, key) -> list:
    if key not in counts:
        return [None, None]
    return [None, hidden[key]] if key in hidden else [counts[key], None]


def _known_elsewhere(survey: Survey, counts, hidden: dict, known: set) -> dict:
    """``hidden`` checked again as a reader who also reads ``known`` (cells a metric page
    publishes): a question whose hidden numbers it would give away shows only its totals."""
    left = {k: r for k, r in hidden.items() if k not in known}
    linked = {k[0] for k in known}
    ranges = protection.audit(counts, relations(survey, counts), left,
                              only={k for k in left if k[0] in linked})
    weak = {k[0] for k in protection.failures(ranges, left)}
    if not weak:
        return hidden
    out = dict(hidden)
    for k in counts:
        if k[0] in weak and k not in known and (k[1] or k[3] not in (N, COUNTED)) \
                and k not in out:
            out[k] = protection.COMPLEMENTARY
    return out


def published(survey: Survey, never_shown=(), known=()) -> dict:
    """The protected results as plain data (stored on the survey when it closes).
    ``never_shown``: cells hidden from the start (a metric hides them); ``known``: cells a
    metric shows, which a reader knows whatever the survey hides."""
    counts, numbers, responses = raw_counts(survey)
    outcome = protect(survey, counts, never_shown)
    hidden = outcome.hidden if outcome.passed else {k: protection.COMPLEMENTARY for k in counts}
    if outcome.passed and known:
        hidden = _known_elsewhere(survey, counts, hidden, set(known))
    questions = {}
    for q in survey.questions:
        tables = []
        for key in sorted({k[:3] for k in counts if k[0] == q.id},
                          key=lambda t: (t[1] != "", BREAKDOWNS.index(t[1]) if t[1] else 0,
                                         t[2] == NOT_GIVEN, t[2])):
            qid, breakdown, group = key
            tables.append({"breakdown": breakdown, "group": group,
                           "n": _cell(counts, hidden, (*key, N)),
                           "counted": _cell(counts, hidden, (*key, COUNTED)),
                           "choices": {str(v): _cell(counts, hidden, (*key, v))
                                       for v, _ in q.choices()}})
        n = _cell(counts, hidden, (q.id, "", "", N))
        median = (statistics.median(numbers[q.id])
                  if q.kind == "number" and n[0] is not None and n[0] >= protection.THRESHOLD
                  else None)
        questions[str(q.id)] = {"tables": tables, "median": median}
    return {"responses": _cell(counts, hidden, RESPONSES), "questions": questions,
            "audit": {"passed": outcome.passed, "cells": len(counts),
                      "small": sum(1 for r in hidden.values() if r == protection.SMALL),
                      "hidden": len(hidden), "problems": outcome.problems}}


def responses_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count(SurveyResponse.id))
                             .where(SurveyResponse.survey_id == survey.id)) or 0


def question_by_id(survey: Survey, qid: str) -> SurveyQuestion | None:
    return next((q for q in survey.questions if str(q.id) == qid), None)
