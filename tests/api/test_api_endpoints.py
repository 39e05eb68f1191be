"""The public JSON API through real HTTP: what it shows, what it hides, and its errors.

Every response here also passes through ``ApiChecker``, which validates it against the
OpenAPI document (see conftest)."""
import json
import re

from pbapp.cycles.models import Result
from pbapp.extensions import db
from pbapp.projects.models import Project


def test_cycles_lists_only_cycles_past_draft_as_the_public_index_does(api, world, client):
    body = api.json("/api/v1/cycles")
    slugs = [c["slug"] for c in body["items"]]
    assert sorted(slugs) == ["spring", "summer"]  # autumn is a draft
    page = client.get("/cycles/").data.decode()
    for slug in slugs:
        assert f'/cycles/{slug}"' in page
    assert "/cycles/autumn" not in page
    assert body["total"] == 2 and body["page"] == 1 and body["pages"] == 1
    spring = next(c for c in body["items"] if c["slug"] == "spring")
    assert spring["result_published"] is True and spring["phase"] == "implementation"
    assert spring["links"]["results"] == "/api/v1/cycles/spring/results"
    assert [n["slug"] for n in spring["neighbourhoods"]] == ["hillside", "riverside"]
    summer = next(c for c in body["items"] if c["slug"] == "summer")
    assert summer["result_published"] is False and summer["links"]["results"] is None


def test_one_cycle_and_draft_cycle_404(api, world):
    assert api.json("/api/v1/cycles/spring")["budget_cents"] == 100_000
    for url in ("/api/v1/cycles/autumn", "/api/v1/cycles/autumn/proposals",
                "/api/v1/cycles/autumn/results", "/api/v1/cycles/nowhere"):
        error = api.json(url, 404)["error"]
        assert error["status"] == 404 and error["message"]


def test_proposals_of_a_cycle_are_only_the_public_ones(api, world):
    body = api.json("/api/v1/cycles/spring/proposals")
    titles = {p["title"] for p in body["items"]}
    assert titles == {"Street lights", "Youth centre", "Garden", "Dog park", "Rejected one",
                      "Pulled after acceptance"}
    youth = next(p for p in body["items"] if p["title"] == "Youth centre")
    assert youth["status"] == "funded" and youth["cost_cents"] == 10_000
    assert youth["board"] == {"slug": "east", "name": "East board"}
    assert youth["history"][-1]["to_status"] == "funded"
    assert youth["history"][-1]["reason"] == "Result of the count."


def test_hidden_proposals_404_by_id_and_are_absent_by_slug(api, world, client):
    listed = api.get("/api/v1/cycles/spring/proposals").data.decode()
    for proposal in [*world.hidden.values(), world.in_draft_cycle]:
        assert f'"title":"{proposal.title}"' not in listed
        error = api.json(f"/api/v1/proposals/{proposal.id}", 404)["error"]
        assert error == {"status": 404, "message": f"No public proposal {proposal.id}."}
    for proposal in world.hidden.values():  # the public page 404s for the same ones
        assert client.get(f"/proposals/{proposal.id}").status_code == 404
    pulled = api.json(f"/api/v1/proposals/{world.pulled.id}")
    assert pulled["status"] == "withdrawn"
    assert pulled["history"][-1]["reason"] == "The board found other funding."
    assert api.json(f"/api/v1/proposals/{world.rejected.id}")["status"] == "rejected"


def test_signed_in_staff_see_no_more_than_the_public(api, world, login):
    login(world.staff)
    api.json(f"/api/v1/proposals/{world.hidden['draft'].id}", 404)
    titles = {p["title"] for p in api.json("/api/v1/cycles/spring/proposals")["items"]}
    assert "A draft one" not in titles


def test_results_have_every_round_with_transfers_exhausted_and_tie_break(api, world):
    body = api.json("/api/v1/cycles/spring/results")
    ids = {t: str(p.id) for t, p in world.props.items()}
    assert body["method"] == "irv" and body["ballots"] == 9
    assert body["cvr_sha256"] == world.result.cvr_sha256
    assert body["winners"] == [ids["Youth centre"]]
    assert {c["title"] for c in body["candidates"]} == set(ids)
    first, second, third = body["rounds"]
    assert first["tallies"][ids["Garden"]] == 2 and first["eliminated"] == [ids["Dog park"]]
    assert first["transfers"][ids["Garden"]] == 1 and first["transfers"][ids["Dog park"]] == -1
    assert second["tie_break"]["chosen"] == ids["Garden"]
    assert sum(third["exhausted"].values()) == 2
    assert third["elected"] == [ids["Youth centre"]]
    assert body["projects"] is None and body["budget"] is None
    assert body["ballot_files"]["blt"] == "/cycles/spring/results/ballots.blt"


def test_results_404_until_published(api, world):
    error = api.json("/api/v1/cycles/summer/results", 404)["error"]
    assert "not published" in error["message"]
    assert api.json("/api/v1/cycles/summer")["result_published"] is False
    result = db.session.scalar(db.select(Result).where(Result.cycle_id == world.summer.id))
    result.published_at = result.counted_at
    db.session.commit()
    assert api.json("/api/v1/cycles/summer/results")["cvr_sha256"] == "0" * 64


def test_budget_method_result_lists_each_proposal(api, make_cycle, make_proposal, make_user):
    from pbapp.cycles.services import count_cycle, publish_result
    from pbapp.voting.services import cast_ballot, voter_key

    staff = make_user("staff")
    cycle = make_cycle(slug="pb", phase="voting", method="greedy", budget=250)
    props = [make_proposal(cycle, t, cost=c) for t, c in (("Benches", 100), ("Murals", 200))]
    for i in range(3):
        cast_ballot(cycle, voter_key("t", i), "online", [props[i % 2].id])
    cycle.phase = "counting"
    publish_result(count_cycle(cycle, staff), staff)
    db.session.commit()
    body = api.json("/api/v1/cycles/pb/results")
    assert body["budget"] == 250
    assert {(p["title"], p["funded"]) for p in body["projects"]} == {("Benches", True),
                                                                     ("Murals", False)}


def test_projects_list_and_detail_with_spending_milestones_updates_targets(api, world):
    listed = api.json("/api/v1/projects")["items"]
    assert [p["title"] for p in listed] == ["Youth centre"]
    assert listed[0]["spent_cents"] == 15_050 and listed[0]["budget_cents"] == 10_000
    body = api.json(f"/api/v1/projects/{world.project.id}")
    assert body["status"] == "in_progress" and body["spent_cents"] == 15_050
    assert [h["to_status"] for h in body["history"]] == ["planned", "in_progress"]
    assert body["history"][-1]["reason"] == "Work began."
    assert [m["title"] for m in body["milestones"]] == ["Lease signed", "Doors open"]
    assert body["milestones"][0]["done_on"] == "2026-04-28"
    assert body["milestones"][1]["done_on"] is None
    assert [u["title"] for u in body["updates"]] == ["Lamps are up", "Lease signed"]
    lamps = body["updates"][0]
    assert "<strong>Mill Lane</strong>" in lamps["body_html"]
    assert "<script" not in lamps["body_html"]
    injuries, safe = body["targets"]
    assert injuries["metric"] == "injuries" and injuries["status"] == "achieved"
    assert injuries["latest"]["value"] == 15 and injuries["latest"]["scope"] == "project"
    assert injuries["baseline"] == {"value": 40, "period": "2025", "on": "2025-12-31"}
    assert safe["neighbourhood"] == "riverside"
    assert safe["status"] == "no_data" and safe["latest"] is None


def test_no_person_is_named_in_any_response(api, world):
    texts = [api.get(url).data.decode() for url in (
        "/api/v1/cycles", "/api/v1/cycles/spring/proposals", f"/api/v1/projects/{world.project.id}",
        "/api/v1/cycles/spring/results", "/api/v1/metrics")]
    for text in texts:
        assert "Sam Staff" not in text and "@" not in text


def test_metric_catalogue_with_data_sharing_agreement(api, world):
    keys = [m["key"] for m in api.json("/api/v1/metrics")["items"]]
    assert keys == ["feel-safe", "injuries"]  # by name: Residents… before Violent…
    body = api.json("/api/v1/metrics/injuries")
    assert body["data_sharing"] == {"what": "Counts by age band, never names.",
                                    "consent": "Aggregate data under the partnership's agreement.",
                                    "retention": "Kept five years."}
    assert body["links"]["measurements"] == "/api/v1/metrics/injuries/measurements"
    assert body["links"]["html"] == "/metrics/injuries"
    api.json("/api/v1/metrics/unknown", 404)
    api.json("/api/v1/metrics/unknown/measurements", 404)


def _cell(rows, **match):
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_measurements_hide_small_cells_as_null_with_a_reason(api, world):
    response = api.get("/api/v1/metrics/injuries/measurements")
    rows = response.get_json()["items"]
    small = _cell(rows, scope="city", breakdown="age_band", group="0-17")
    assert small["value"] is None and small["suppressed"] == "small"
    hidden = [r for r in rows if r["breakdown"] == "age_band" and r["value"] is None]
    assert len(hidden) >= 2  # one more hidden so the small one cannot be subtracted out
    assert _cell(rows, scope="city", breakdown="", period_start="2025-01-01")["value"] == 40
    assert _cell(rows, scope="neighbourhood", scope_ref="riverside")["value"] is None
    for row in rows:
        assert row["value"] is None or not 1 <= row["value"] <= 10, row
    text = response.data.decode()
    assert not re.search(r'"value":\s*([1-9]|10)(\.0)?[,}]', text)
    assert "display" not in text  # words in the reader's language stay on the pages

    rates = api.json("/api/v1/metrics/feel-safe/measurements")["items"]
    women = _cell(rates, breakdown="gender", group="women")
    assert women["value"] is None and women["suppressed"] == "small-denominator"
    # 26 of 42 men beside 30 of 50 in all would give the women's 4 of 8 away (issue 15)
    men = _cell(rates, breakdown="gender", group="men")
    assert men["value"] is None and men["suppressed"] == "complementary"
    assert _cell(rates, breakdown="")["value"] == 60


def test_measurements_match_the_protected_public_rows_exactly(api, world):
    from pbapp.metrics.tables import public_rows

    rows = api.json("/api/v1/metrics/injuries/measurements")["items"]
    expected = [{k: v for k, v in r.items() if k != "display"} for r in public_rows(world.injuries)]
    assert json.loads(json.dumps(expected)) == rows


def test_pages_are_validated_and_a_page_past_the_end_is_empty(api, world, monkeypatch):
    from pbapp.api import http

    for bad in ("0", "-1", "two", "", "1.5", "9" * 20):
        error = api.json(f"/api/v1/cycles?page={bad}", 400)["error"]
        assert error["message"] == "page must be a positive whole number, such as ?page=2."
    api.json("/api/v1/metrics/injuries/measurements?page=x", 400)
    monkeypatch.setattr(http, "PER_PAGE", 1)
    first = api.json("/api/v1/cycles?page=1&sort=ignored")
    second = api.json("/api/v1/cycles?page=2")
    assert first["pages"] == 2 and len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["slug"] != second["items"][0]["slug"]
    assert api.json("/api/v1/cycles?page=3")["items"] == []


def test_unknown_paths_and_other_methods_answer_json(api, world, client):
    api.json(f"/api/v1/projects/{world.project.id + 1000}", 404)
    api.json("/api/v1/proposals/not-a-number", 404)
    for url in ("/api/v1/nothing", "/api/v1/nothing/", "/api/v1/cycles/spring/extra"):
        response = client.get(url)
        assert response.status_code == 404 and response.is_json
        assert response.get_json()["error"]["status"] == 404
    # /api/v1/ itself is the index (issue 23), JSON too
    index = client.get("/api/v1/")
    assert index.status_code == 200 and index.is_json
    response = client.post("/api/v1/cycles", data={"x": "1"})
    assert response.status_code == 405 and response.is_json
    assert response.get_json()["error"]["message"] == "The API is read-only: only GET is allowed."
    assert "GET" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 1


def test_site_pages_keep_their_html_error_pages(client, world):
    response = client.get("/cycles/autumn")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_target_whose_newest_total_is_small_shows_no_number(api, world):
    from datetime import date

    from pbapp.metrics.models import Measurement

    db.session.add(Measurement(metric=world.injuries, scope="project",
                               scope_ref=str(world.project.id), project_id=world.project.id,
                               period_start=date(2026, 7, 1), period_end=date(2026, 9, 30),
                               value=4))
    db.session.commit()
    response = api.get(f"/api/v1/projects/{world.project.id}")
    injuries = response.get_json()["targets"][0]
    assert injuries["latest"]["value"] is None and injuries["latest"]["suppressed"] == "small"
    assert injuries["latest"]["period_end"] == "2026-09-30"
    assert not re.search(r'"value":\s*4(\.0)?[,}]', response.data.decode())


def test_a_server_error_is_json_too(app, client, world, monkeypatch):
    from pbapp.api import queries

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(queries, "metrics", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/api/v1/metrics")
    assert response.status_code == 500 and response.is_json
    assert response.get_json()["error"]["status"] == 500
    assert "database went away" not in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
