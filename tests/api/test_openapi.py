"""The OpenAPI document is valid 3.1, is what /api/v1/openapi.json serves, and matches the API:
every documented path and status is requested here and each answer fits its schema."""
import pytest
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from pbapp.api.openapi import document


def test_document_is_valid_openapi_3_1():
    doc = document()
    assert doc["openapi"] == "3.1.0"
    validate(doc, cls=OpenAPIV31SpecValidator)


def test_document_is_served_with_an_etag(api):
    response = api.get("/api/v1/openapi.json")
    assert response.get_json() == document()
    api.get("/api/v1/openapi.json", 304, headers={"If-None-Match": response.headers["ETag"]})


def test_every_object_schema_is_closed():
    """Undocumented fields must fail validation, so the document cannot silently drift."""
    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")
    walk(document()["components"]["schemas"], "#/components/schemas")


def test_an_undocumented_field_fails_the_check(world, client, schema_check):
    check = schema_check("/cycles/{slug}", 200)
    body = client.get("/api/v1/cycles/spring").get_json()
    check.validate(body)
    with pytest.raises(ValidationError):
        check.validate({**body, "secret": "x"})
    with pytest.raises(ValidationError):
        check.validate({k: v for k, v in body.items() if k != "phase"})


def _an_agreement(world) -> None:
    """A data-sharing agreement with a consent text, over the metric the API is asked for."""
    from datetime import date

    from pbapp.agreements.models import Agreement, ConsentText
    from pbapp.extensions import db
    from pbapp.metrics.models import Metric
    from sqlalchemy import select

    metric = db.session.scalar(select(Metric).where(Metric.key == "injuries"))
    db.session.add(Agreement(slug="police-data", title="Police data", starts_on=date(2025, 1, 1),
                             expires_on=date(2030, 1, 1), metrics=[metric],
                             consents=[ConsentText(body="I agree.", adopted_on=date(2025, 1, 1))]))
    db.session.commit()


def _a_closed_survey() -> None:
    """A survey that opened a week ago and closed with no answers (its results all zeros)."""
    from datetime import timedelta

    from pbapp.extensions import db
    from pbapp.models_base import utcnow
    from pbapp.surveys.models import Survey, SurveyQuestion
    from pbapp.surveys.services import close

    survey = Survey(slug="feeling-safe", title="Feeling safe", opens_at=utcnow() - timedelta(
        days=7), closes_at=utcnow() + timedelta(days=7), questions=[SurveyQuestion(
            kind="single", wording="Safe?", options=[{"en": "Yes"}, {"en": "No"}])])
    db.session.add(survey)
    db.session.flush()
    close(survey)
    db.session.commit()


def test_every_documented_path_and_status_is_exercised_and_fits(api, world):
    """One real request per documented (path, status); the set must equal the document's."""
    project, proposal = world.project.id, world.props["Garden"].id
    _an_agreement(world)
    _a_closed_survey()
    urls = {
        "/": "/api/v1/",
        "/cycles": "/api/v1/cycles",
        "/cycles/{slug}": "/api/v1/cycles/spring",
        "/cycles/{slug}/proposals": "/api/v1/cycles/spring/proposals",
        "/cycles/{slug}/results": "/api/v1/cycles/spring/results",
        "/proposals/{id}": f"/api/v1/proposals/{proposal}",
        "/proposals/{id}/timeline": f"/api/v1/proposals/{proposal}/timeline",
        "/projects/{id}/timeline": f"/api/v1/projects/{project}/timeline",
        "/proposals/{id}/comments": f"/api/v1/proposals/{proposal}/comments",
        "/projects/{id}/comments": f"/api/v1/projects/{project}/comments",
        "/projects": "/api/v1/projects",
        "/projects/{id}": f"/api/v1/projects/{project}",
        "/neighbourhoods": "/api/v1/neighbourhoods",
        "/metrics": "/api/v1/metrics",
        "/metrics/{key}": "/api/v1/metrics/injuries",
        "/metrics/{key}/measurements": "/api/v1/metrics/feel-safe/measurements",
        "/openapi.json": "/api/v1/openapi.json",
        "/plans": "/api/v1/plans",
        "/plans/{id}": f"/api/v1/plans/{world.plan.id}",
        "/stories": "/api/v1/stories",
        "/agreements": "/api/v1/agreements",
        "/agreements/{slug}": "/api/v1/agreements/police-data",
        "/surveys": "/api/v1/surveys",
        "/surveys/{slug}/results": "/api/v1/surveys/feeling-safe/results",
    }
    missing = {
        "/cycles/{slug}": "/api/v1/cycles/autumn",
        "/cycles/{slug}/proposals": "/api/v1/cycles/nowhere/proposals",
        "/cycles/{slug}/results": "/api/v1/cycles/summer/results",
        "/proposals/{id}": f"/api/v1/proposals/{world.hidden['draft'].id}",
        "/proposals/{id}/timeline": f"/api/v1/proposals/{world.hidden['draft'].id}/timeline",
        "/projects/{id}/timeline": f"/api/v1/projects/{project + 1}/timeline",
        "/proposals/{id}/comments": f"/api/v1/proposals/{world.hidden['draft'].id}/comments",
        "/projects/{id}/comments": f"/api/v1/projects/{project + 1}/comments",
        "/projects/{id}": f"/api/v1/projects/{project + 1}",
        "/metrics/{key}": "/api/v1/metrics/nothing",
        "/metrics/{key}/measurements": "/api/v1/metrics/nothing/measurements",
        "/plans/{id}": f"/api/v1/plans/{world.draft_plan.id}",
        "/agreements/{slug}": "/api/v1/agreements/nothing",
        "/surveys/{slug}/results": "/api/v1/surveys/nothing/results",
    }
    assert set(urls) == set(api.doc["paths"])
    for template, url in urls.items():
        etag = api.get(url).headers["ETag"]
        api.get(url, 304, headers={"If-None-Match": etag})
        if "page" in {p["$ref"].rsplit("/", 1)[1]
                      for p in api.doc["paths"][template]["get"]["parameters"]}:
            api.get(url + "?page=0", 400)
    for url in missing.values():
        api.get(url, 404)
    documented = {(path, int(status)) for path, item in api.doc["paths"].items()
                  for status in item["get"]["responses"] if status != "default"}
    assert api.exercised == documented
