"""The API holds to its own OpenAPI document under schemathesis with every check, on the demo
city and on both databases: what ``schemathesis run --checks all`` does for every GET operation
(coverage, fuzzing and stateful phases, valid and invalid input: NUL bytes, huge numbers, odd
slugs, other methods), in process through WSGI. Each thing it found is pinned by a test below.

schemathesis' pytest loader (``schemathesis.pytest.from_fixture``) fails on pytest 9.2 (it reads
``Node._nodeid``), so the test drives its engine, as its command line does.
"""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.engine import Status, events, from_schema

from pbapp.api.http import KEY, MAX_INT, SLUG
from pbapp.api.openapi import document
from tests.conftest import statements_run

EXAMPLES = 25  # per operation and phase: the run takes seconds, not minutes
ALLOW = "GET, HEAD, OPTIONS"


@pytest.fixture()
def demo_city(runner):
    out = runner.invoke(args=["demo", "--ballots", "100"])
    assert out.exit_code == 0, out.output


def api_schema(app):
    """The document the app serves, with every check, both generation modes, and repeatable
    examples (no example database), so a failure here is one anyone can rerun. Loaded as a
    dict, since schemathesis leaves out the operation it loaded the document from."""
    served = app.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    schema = schemathesis.openapi.from_dict(served.get_json())
    schema.app = app
    schema.config.checks.update(included_check_names=["all"])
    schema.config.generation.update(modes=list(GenerationMode), max_examples=EXAMPLES,
                                    deterministic=True, database="none")
    schema.config.phases.stateful.max_steps = 5
    return schema


def findings(schema) -> tuple[list[str], dict[str, set[int]]]:
    """Every failed check (its title and a curl line to repeat it) and every error; and the
    statuses each operation answered."""
    found, answered = [], {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            label = event.recorder.label
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    answered.setdefault(label, set()).add(interaction.response.status_code)
            for checks in event.recorder.checks.values():
                found += [f"{label}: {check.name}: {check.failure_info.failure.title}\n"
                          f"  {check.failure_info.code_sample}"
                          for check in checks
                          if check.status == Status.FAILURE and check.failure_info]
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            found.append(f"{type(event).__name__}: "
                         f"{getattr(event, 'value', None) or getattr(event, 'exception', None)!r}")
        elif isinstance(event, events.EngineFinished):
            found += [f"after the run: {failure.title}" for failure in event.failures]
    return list(dict.fromkeys(found)), answered


def test_every_get_operation_holds_to_the_document_with_every_check(app, demo_city):
    found, answered = findings(api_schema(app))
    assert not found, f"{len(found)} schemathesis finding(s):\n" + "\n".join(found[:20])
    for path in document()["paths"]:
        assert 200 in answered.get(f"GET {path}", ()), f"GET {path} never answered 200"


def test_options_and_other_methods_name_only_the_documented_methods(client):
    for url in ("/api/v1/cycles", "/api/v1/cycles/spring", "/api/v1/metrics/injuries",
                "/api/v1/projects/1", "/api/v1/nothing"):
        options = client.options(url)
        assert options.status_code == 200 and options.headers["Allow"] == ALLOW, url
        for method in ("POST", "PUT", "PATCH", "DELETE", "TRACE", "QUERY"):
            refused = client.open(url, method=method)
            assert refused.status_code == 405 and refused.is_json, (method, url)
            assert refused.headers["Allow"] == ALLOW
            assert refused.get_json()["error"]["status"] == 405


def test_every_page_the_document_allows_is_answered_and_no_other(api, make_cycle):
    make_cycle(phase="voting")
    last = api.json(f"/api/v1/cycles?page={MAX_INT}")
    assert last["page"] == MAX_INT and last["items"] == [] and last["total"] == 1
    for beyond in (MAX_INT + 1, 9_999_999_999, 10 ** 30):
        api.json(f"/api/v1/cycles?page={beyond}", 400)
    page = document()["components"]["parameters"]["page"]["schema"]
    assert (page["minimum"], page["maximum"]) == (1, MAX_INT)


def refused_without_a_query(client, urls, status: int) -> None:
    for url in urls:
        with statements_run() as sql:
            response = client.get(url)
        assert response.status_code == status and response.is_json, (url, response.data[:200])
        assert response.get_json()["error"]["status"] == status
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert sql == [], url


def test_ids_outside_the_documented_form_name_nothing(client):
    """Unicode digits, leading zeros and ids past the database's integer (an OverflowError on
    SQLite) never reach a query: 404, as for any id that names nothing."""
    odd = ["0", "007", "-1", str(MAX_INT + 1), "9" * 20, "\u0665", "1e3", "x" * 5000]
    refused_without_a_query(client, [f"/api/v1/{kind}/{raw}" for raw in odd
                                     for kind in ("proposals", "projects")], 404)


def test_slugs_and_keys_outside_the_documented_form_name_nothing(client):
    odd = ["Spring", "spring-", "a--b", "\u200fspring", "%E2%81%A5", "spring.csv", "x" * 5000]
    refused_without_a_query(client, [
        *(f"/api/v1/cycles/{raw}{rest}" for raw in [*odd, "a_b", "s" * 81]
          for rest in ("", "/proposals", "/results")),
        *(f"/api/v1/metrics/{raw}{rest}" for raw in [*odd, "k" * 61]
          for rest in ("", "/measurements"))], 404)


def test_control_characters_are_refused_before_any_query(client):
    """PostgreSQL raises DataError for a NUL in a query; no value gets that far."""
    refused_without_a_query(client, [
        "/api/v1/cycles/ab%00cd", "/api/v1/cycles/ab%00cd/proposals", "/api/v1/metrics/a%00b",
        "/api/v1/metrics/a%00b/measurements", "/api/v1/proposals/1%00", "/api/v1/projects/%001",
        "/api/v1/cycles?page=1%00", "/api/v1/cycles?page%00=1", "/api/v1/metrics?q=%1b[31m",
        "/api/v1/cycles/spring%7f", "/api/v1/cycles/spring%C2%85", "/api/v1/nothing/%00"], 400)


def test_the_documented_forms_are_the_ones_the_app_keeps():
    """The document's slug and key forms are those the services require, and their lengths the
    columns' (so no stored cycle or metric falls outside what the document promises)."""
    from pbapp.cycles.models import Cycle
    from pbapp.cycles.services import SLUG_PATTERN
    from pbapp.metrics.models import Metric
    from pbapp.metrics.services import KEY_PATTERN

    assert SLUG == (SLUG_PATTERN.pattern, Cycle.__table__.c.slug.type.length)
    assert KEY == (KEY_PATTERN.pattern, Metric.__table__.c.key.type.length)
    params = document()["components"]["parameters"]
    assert params["slug"]["schema"]["pattern"] == SLUG[0]
    assert params["key"]["schema"]["maxLength"] == KEY[1]
