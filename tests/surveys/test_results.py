"""Closing a survey: protected results (and an attacker who reads every table and the metric
cannot narrow a hidden count), the linked metric's measurement with its breakdowns, closing
twice changing nothing, free text only after review. Both databases."""
from __future__ import annotations

import random
import re

from sqlalchemy import func, select

from pbapp.extensions import db
from pbapp.metrics.models import Measurement, PublishedCell
from pbapp.surveys import services as svc
from pbapp.surveys.models import Survey, SurveyAnswer
from pbapp.surveys.results import BREAKDOWNS, COUNTED, N
from pbapp.voting.roll import AGE_BANDS
from tests.conftest import main_of
from tests.metrics.attacker import Known, Sum, solve, weaknesses

TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def seed(survey: Survey, hoods, n: int = 90, seed_: int = 3, missing: int = 0) -> list[tuple]:
    """``n`` responses with skewed neighbourhoods (one tiny) and age bands; returns them as
    (hood slug or None, band or None, safety choice)."""
    rng = random.Random(seed_)
    q = {x.kind: x for x in survey.questions}
    given = []
    for i in range(n):
        hood = rng.choices(hoods + [None], weights=[60, 30, 4, missing])[0]
        band = rng.choice(list(AGE_BANDS[1:4]) + [None])
        choice = rng.choices(range(4), weights=[30, 40, 20, 10])[0]
        rows = [{"question_id": q["single"].id, "choice": choice},
                {"question_id": q["scale"].id, "choice": rng.randint(1, 5)},
                {"question_id": q["number"].id, "number": rng.randint(0, 40)}]
        rows += [{"question_id": q["multiple"].id, "choice": c}
                 for c in range(3) if rng.random() < 0.4]
        if i < 3:
            rows.append({"question_id": q["text"].id, "text": f"Idea number {i}"})
        svc.submit(survey, svc.Respondent(f"test:{i}"),
                   svc.Answers(rows, hood.id if hood else None, band))
        given.append((hood.slug if hood else None, band, choice))
    db.session.commit()
    return given


def close_by_staff(client, login, make_user, slug: str):
    login(make_user(role="staff"))
    token = TOKEN.search(client.get(f"/staff/surveys/{slug}/edit").data).group(1).decode()
    return client.post(f"/staff/surveys/{slug}/close", data={"csrf_token": token})


def test_close_publishes_protected_results_and_feeds_the_metric(
        client, login, make_user, make_survey, safety_metric, hoods, runner):
    survey = make_survey(metric=safety_metric)
    given = seed(survey, hoods)
    assert client.get("/surveys/safety/results").status_code == 404  # not before it closes
    closed = close_by_staff(client, login, make_user, "safety")
    assert closed.status_code == 303 and closed.headers["Location"].endswith("/results")
    page = client.get("/surveys/safety/results").get_data(as_text=True)
    assert "Responses: 90." in page and "&lt;11" in page
    assert "residents with a confirmed account" in page
    assert "By neighbourhood" in page and "By age band" in page
    # the metric: numerator (very or fairly safe) over all who answered, for the city, each
    # neighbourhood and each age band, over the survey's days
    city = db.session.scalar(select(Measurement).where(
        Measurement.metric_id == safety_metric.id, Measurement.scope == "city",
        Measurement.breakdown == ""))
    assert (city.numerator, city.denominator) == (sum(1 for g in given if g[2] < 2), 90)
    hood_rows = db.session.scalars(select(Measurement).where(
        Measurement.scope == "neighbourhood")).all()
    assert {m.scope_ref for m in hood_rows} == {h.slug for h in hoods}
    for m in hood_rows:
        mine = [g for g in given if g[0] == m.scope_ref]
        assert (m.numerator, m.denominator) == (sum(1 for g in mine if g[2] < 2), len(mine))
    bands = db.session.scalars(select(Measurement).where(Measurement.breakdown == "age_band"))
    assert sum(m.denominator for m in bands) == 90
    # the metric's page shows the measurement and links the survey; small cells hidden there
    metric_page = client.get("/metrics/perceived-safety").get_data(as_text=True)
    assert "/surveys/safety/results" in metric_page
    assert db.session.scalar(select(func.count(PublishedCell.id)).where(
        PublishedCell.metric_id == safety_metric.id, PublishedCell.hidden.is_not(None))) >= 1
    # closing again, by staff or the command, changes nothing
    before = db.session.scalar(select(func.count(Measurement.id)))
    again = close_by_staff(client, login, make_user, "safety")
    assert again.status_code == 303
    assert "closed already" in client.get("/surveys/safety/results").get_data(as_text=True)
    result = runner.invoke(args=["surveys", "close", "safety"])
    assert result.exit_code == 0 and "already closed" in result.output
    assert runner.invoke(args=["surveys", "close"]).output.strip() == "No survey is due to close."
    assert db.session.scalar(select(func.count(Measurement.id))) == before


def _attacker_view(survey: Survey, metric_cells) -> tuple[dict, dict, set, list[Sum]]:
    """What a reader of the results page and the metric page knows, built from the published
    results' shape alone (not from pbapp.surveys.results' relations)."""
    published, hidden, small = {}, {}, set()
    sums: list[Sum] = []

    def note(key, cell):
        value, why = cell
        if why:
            hidden[key] = (1, 10) if why == "small" else (0, None)
            if why == "small":
                small.add(key)
        elif value is not None:
            published[key] = value

    note(("responses",), survey.results["responses"])
    for q in survey.questions:
        r = survey.results["questions"][str(q.id)]
        for t in r["tables"]:
            place = (q.id, t["breakdown"], t["group"])
            note((*place, N), t["n"])
            if t["counted"][0] is not None or t["counted"][1]:
                note((*place, COUNTED), t["counted"])
            parts = []
            for value, cell in t["choices"].items():
                note((*place, int(value)), cell)
                parts.append((*place, int(value)))
            if q.kind in ("single", "scale") and parts:
                sums.append(Sum((*place, N), tuple(parts), True))
            if q.metric_id and q.kind == "single":
                counted = tuple(p for p in parts if p[3] in q.metric_counts)
                sums.append(Sum((*place, COUNTED), counted, True))
        for what in {k for t in r["tables"] for k in (N, COUNTED, *map(int, t["choices"]))}:
            for breakdown in BREAKDOWNS:
                parts = tuple((q.id, t["breakdown"], t["group"], what) for t in r["tables"]
                              if t["breakdown"] == breakdown)
                if parts and (q.id, "", "", what) in {**published, **hidden}:
                    sums.append(Sum((q.id, "", "", what), parts, True))
    # the metric page: a rate shown gives away its numerator and denominator
    for (breakdown, group), shown in metric_cells.items():
        for what in (N, COUNTED):
            key = (survey.questions[0].id, breakdown, group, what)
            if shown is not None and key in hidden:
                published[key] = shown[what]
                hidden.pop(key)
                small.discard(key)
    return published, hidden, small, sums


def test_an_attacker_reading_every_table_and_the_metric_learns_no_hidden_count(
        client, login, make_user, make_survey, safety_metric, hoods):
    for seed_ in (1, 5):
        db.session.execute(Survey.__table__.delete())
        db.session.execute(Measurement.__table__.delete())
        db.session.commit()
        survey = make_survey(slug=f"s{seed_}", metric=safety_metric)
        seed(survey, hoods, n=70 + seed_ * 7, seed_=seed_, missing=6)
        svc.close(survey)
        db.session.commit()
        assert survey.results["audit"]["passed"]
        rows = db.session.scalars(select(Measurement).where(
            Measurement.metric_id == safety_metric.id)).all()
        cells = {(c.scope, c.scope_ref, c.breakdown, c.group_name): c.hidden
                 for c in db.session.scalars(select(PublishedCell))}
        metric_cells = {}
        for m in rows:
            place = ("", "") if m.scope == "city" and not m.breakdown else (
                ("neighbourhood", m.scope_ref) if m.scope == "neighbourhood"
                else ("age_band", "not given" if m.group_name == "not recorded"
                      else m.group_name))
            hidden = cells[(m.scope, m.scope_ref, m.breakdown, m.group_name)]
            metric_cells[place] = None if hidden else {N: m.denominator, COUNTED: m.numerator}
        # the results page alone gives nothing away
        alone = _attacker_view(survey, {})
        assert alone[2], "the test data should have small cells"
        assert weaknesses(solve(alone[0], alone[1], alone[3]), alone[2]) == []
        # with the metric page too: a group whose rate the metric shows tells, by itself, how
        # many did not choose a counted answer (its denominator less its numerator); the
        # survey must narrow no hidden answer beyond that
        published, hidden, small, sums = _attacker_view(survey, metric_cells)
        known: dict = solve(published, hidden, sums)
        linked = survey.questions[0]
        for key, k in known.items():
            shown = metric_cells.get(key[1:3]) if key[0] == linked.id else None
            if shown is None:
                assert not weaknesses({key: k}, small & {key}), key
                continue
            counted = key[3] in linked.metric_counts
            metric_alone = shown[COUNTED] if counted else shown[N] - shown[COUNTED]
            assert k.low <= 0 + 1e-6 or key[3] in (N, COUNTED), (key, k)
            assert k.high >= min(metric_alone, 10) - 1e-6 or k.width >= 10, (key, k)


def test_free_text_only_after_review_and_never_with_its_author(
        client, login, make_user, make_survey, hoods):
    survey = make_survey()
    seed(survey, hoods, n=12)
    svc.close(survey)
    db.session.commit()
    page = client.get("/surveys/safety/results").get_data(as_text=True)
    assert "Idea number" not in page and "staff read each one first" in page
    staff = login(make_user(role="staff"))
    review = client.get("/staff/surveys/safety/review")
    assert review.status_code == 200 and "Idea number 0" in review.get_data(as_text=True)
    token = TOKEN.search(review.data).group(1).decode()
    answers = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.text.is_not(None))
                                 .order_by(SurveyAnswer.text)).all()
    for answer, decision in zip(answers, ("approved", "withheld", "approved")):
        done = client.post(f"/staff/surveys/answers/{answer.id}/review",
                           data={"csrf_token": token, "decision": decision})
        assert done.status_code == 303
    odd = client.post(f"/staff/surveys/answers/{answers[0].id}/review",
                      data={"csrf_token": token, "decision": "delete"})
    assert odd.status_code == 303
    assert db.session.get(SurveyAnswer, answers[0].id).review == "approved"
    page = main_of(client.get("/surveys/safety/results").data).decode()
    assert "Idea number 0" in page and "Idea number 2" in page
    assert "Idea number 1" not in page and "test:" not in page and staff.email not in page


def test_staff_build_a_bilingual_survey(client, login, make_user, safety_metric, fresh_limits):
    login(make_user(role="staff"))
    token = TOKEN.search(client.get("/staff/surveys/new").data).group(1).decode()
    base = {"csrf_token": token, "title": "Night walk", "title_es": "Paseo nocturno",
            "slug": "night", "intro": "Five minutes.", "intro_es": "Cinco minutos.",
            "mode": "link", "opens_at": "2020-01-01T09:00", "closes_at": "2099-01-01T09:00",
            "breakdowns": "y"}
    bad = client.post("/staff/surveys/new", data={**base, "closes_at": "2019-01-01T09:00"})
    assert bad.status_code == 400 and "close after it opens" in bad.get_data(as_text=True)
    assert client.post("/staff/surveys/new", data=base).status_code == 303
    taken = client.post("/staff/surveys/new", data=base)
    assert taken.status_code == 400 and "Another survey" in taken.get_data(as_text=True)
    question = {"csrf_token": token, "kind": "single", "text": "Do you feel safe?",
                "text_es": "¿Se siente seguro?", "options": "Yes\nNo", "options_es": "Sí\nNo",
                "metric": "perceived-safety", "counts": "1"}
    one = client.post("/staff/surveys/night/questions", data={**question, "options": "Yes"})
    assert one.status_code == 400 and "from 2 to 20 answers" in one.get_data(as_text=True)
    wrong = client.post("/staff/surveys/night/questions", data={**question, "counts": "3"})
    assert wrong.status_code == 400 and "by their numbers" in wrong.get_data(as_text=True)
    assert client.post("/staff/surveys/night/questions", data=question).status_code == 303
    assert client.post("/staff/surveys/night/questions", data={
        "csrf_token": token, "kind": "number", "text": "How many nights?"}).status_code == 303
    survey = db.session.scalar(select(Survey).where(Survey.slug == "night"))
    assert [q.kind for q in survey.questions] == ["single", "number"]
    assert survey.questions[0].metric_id == safety_metric.id
    assert survey.questions[0].metric_counts == [0]
    client.set_cookie("lang", "es")
    spanish = client.get("/surveys/night").get_data(as_text=True)
    assert "Paseo nocturno" in spanish and "¿Se siente seguro?" in spanish and "Sí" in spanish
