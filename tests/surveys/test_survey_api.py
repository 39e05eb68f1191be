"""The survey API: the list of surveys residents can see, and a survey's results only once
published, each count exactly what the results page shows ("<11" is ``suppressed: small``,
"—" is ``complementary``); every answer fits the OpenAPI document. Both databases."""
from __future__ import annotations

from datetime import timedelta

from pbapp.api.openapi import document
from pbapp.extensions import db
from pbapp.models_base import utcnow
from pbapp.surveys import services as svc
from pbapp.surveys.views import cell_text
from tests.api.conftest import validator
from tests.surveys.test_results import seed


def fits(client, template: str, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:300])
    body = response.get_json()
    errors = list(validator(document(), template, status).iter_errors(body))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return body


def as_page(count: dict) -> str:
    """What the results page prints for an API count."""
    if count["suppressed"]:
        return "<11" if count["suppressed"] == "small" else "—"
    return f"{count['value']:,}"


def test_list_and_results_only_once_published(client, make_survey, safety_metric, hoods):
    survey = make_survey(metric=safety_metric)
    make_survey(slug="later", open_now=False)
    listed = fits(client, "/surveys", "/api/v1/surveys")
    assert [s["slug"] for s in listed["items"]] == ["safety"]  # not one that has not opened
    item = listed["items"][0]
    assert (item["status"], item["who_may_answer"], item["title_es"]) == \
        ("open", "account", "Sentirse seguro")
    assert item["links"]["results"] is None
    for slug in ("safety", "later", "nothing", "Safety", "a--b", "x" * 81):
        response = client.get(f"/api/v1/surveys/{slug}/results")
        assert response.status_code == 404 and response.is_json
    assert "not published yet" in client.get("/api/v1/surveys/safety/results").get_json()[
        "error"]["message"]

    seed(survey, hoods, n=40)
    assert svc.close(survey, now=utcnow() + timedelta(days=1))
    db.session.commit()
    listed = fits(client, "/surveys", "/api/v1/surveys")["items"][0]
    assert listed["status"] == "published"
    assert listed["links"]["results"] == "/api/v1/surveys/safety/results"
    body = fits(client, "/surveys/{slug}/results", listed["links"]["results"])
    assert body["survey"]["slug"] == "safety" and body["links"]["html"] == "/surveys/safety/results"
    assert body["questions"][0]["metric"] == "perceived-safety"

    # every count is the page's: the same number, "<11" or "—"
    stored = survey.results
    assert as_page(body["responses"]) == cell_text(stored["responses"])
    page = client.get("/surveys/safety/results").get_data(as_text=True)
    small = 0
    for q, got in zip(survey.questions, body["questions"]):
        tables = stored["questions"][str(q.id)]["tables"]
        total = next(t for t in tables if not t["breakdown"])
        assert as_page(got["answered"]) == cell_text(total["n"])
        for choice in got["choices"]:
            assert as_page(choice["count"]) == cell_text(total["choices"][str(choice["value"])])
        for row in got["breakdowns"]:
            table = next(t for t in tables if (t["breakdown"], t["group"]) ==
                         (row["breakdown"], row["group"]))
            assert as_page(row["answered"]) == cell_text(table["n"])
            for choice in row["choices"]:
                shown = as_page(choice["count"])
                small += shown == "<11"
                assert shown == cell_text(table["choices"][str(choice["value"])])
                if choice["share"] is not None:
                    assert f"{shown} ({choice['share']:.1f}%)" in page
    assert small and "&lt;11" in page  # the seed's tiny neighbourhood is hidden on both
    # free text: none published before review, then the approved one, never its author
    assert body["questions"][4]["texts"] == []
    assert body["protection"]["passed"] is True


def test_approved_text_and_other_methods(client, make_survey, hoods):
    from sqlalchemy import select

    from pbapp.surveys.models import SurveyAnswer

    survey = make_survey()
    seed(survey, hoods, n=15)
    svc.close(survey, now=utcnow() + timedelta(days=1))
    answer = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.text.is_not(None))
                                .order_by(SurveyAnswer.id)).first()
    svc.review(answer, "approved", None)
    db.session.commit()
    body = fits(client, "/surveys/{slug}/results", "/api/v1/surveys/safety/results")
    assert body["questions"][4]["texts"] == [answer.text]
    for method in ("post", "put", "delete"):
        refused = getattr(client, method)("/api/v1/surveys/safety/results")
        assert refused.status_code == 405 and refused.is_json
