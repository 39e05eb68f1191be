"""Every public page leads somewhere (issue 23): results ↔ proposals ↔ projects, the open data
page from every footer, the API's index at /api/v1/, every cycle open for voting on the home
page; and the tracker says "Counted." only once a published count has counted the ballot."""
import re

import pytest
from sqlalchemy import select

from pbapp.auth.models import User
from pbapp.cycles.models import Cycle, Result
from pbapp.cycles.services import count_cycle, publish_result
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.voting.services import cast_ballot, voter_key

ES = {"Accept-Language": "es"}


@pytest.fixture()
def demo_city(runner):
    assert runner.invoke(args=["demo", "--ballots", "300"]).exit_code == 0


def hrefs(page: bytes) -> set[str]:
    return set(re.findall(r'href="([^"#]+)"', page.decode()))


def test_results_proposals_and_projects_lead_to_each_other(client, demo_city):
    result = db.session.scalar(select(Result).where(Result.published_at.is_not(None)))
    cycle = db.session.get(Cycle, result.cycle_id)
    results_url = f"/cycles/{cycle.slug}/results"
    links = hrefs(client.get(results_url).data)
    projects = db.session.scalars(select(Project).where(Project.cycle_id == cycle.id)).all()
    assert projects
    for project in projects:
        assert f"/projects/{project.id}" in links and f"/proposals/{project.proposal_id}" in links
        page = client.get(f"/projects/{project.id}").data
        assert {results_url, f"/proposals/{project.proposal_id}"} <= hrefs(page)
        assert b"The count that funded it, round by round" in page
        proposal = client.get(f"/proposals/{project.proposal_id}").data
        assert {results_url, f"/projects/{project.id}"} <= hrefs(proposal)
    counted = [p["id"] for p in result.data["projects"]]
    unfunded = [int(c) for c in counted if int(c) not in {p.proposal_id for p in projects}]
    assert unfunded and all(f"/proposals/{pid}" in links for pid in unfunded)
    page = client.get(f"/proposals/{unfunded[0]}").data
    assert results_url in hrefs(page) and not any(h.startswith("/projects/")
                                                  for h in hrefs(page) - {"/projects/"})
    spanish = client.get(results_url, headers=ES).data
    assert b"el proyecto" in spanish and f"/projects/{projects[0].id}".encode() in spanish


def test_home_lists_every_open_cycle_and_the_footer_leads_to_open_data(client, demo_city):
    home = client.get("/").data.decode()
    open_now = db.session.scalars(select(Cycle).where(Cycle.phase == "voting")).all()
    assert len(open_now) == 2  # the autumn budget and the youth fund
    for cycle in open_now:
        assert f"Now: {cycle.name}" in home and f'href="/vote/{cycle.slug}/code"' in home
    assert home.count("Voting is open until") == 2
    assert 'href="/vote/2026-autumn"' in home  # the youth fund takes letter codes only
    assert "Vote with the code from your letter" in home
    for url in ("/", "/cycles/", "/proposals/", "/projects/", "/open-data", "/auth/login"):
        assert 'href="/open-data"' in client.get(url).data.decode(), url


def test_open_data_page_lists_api_downloads_feeds_and_the_recount(client, demo_city):
    page = client.get("/open-data")
    assert page.status_code == 200
    links = hrefs(page.data)
    text = page.data.decode()
    assert {"/api/v1/", "/api/v1/openapi.json", "/feeds/project-updates.atom"} <= links
    for fmt in ("pb", "csv", "blt"):
        assert f"/cycles/2026-spring/results/ballots.{fmt}" in links
    assert {"/reports/cycles/2026-spring.csv", "/reports/cycles/2026-spring.json"} <= links
    assert "pbapp-tally 2026-spring-ballots.pb" in text
    for project in db.session.scalars(select(Project)):
        assert {f"/reports/projects/{project.id}.csv", f"/feeds/projects/{project.id}.atom"} <= links
    assert any(h.startswith("/api/v1/metrics/") and h.endswith("/measurements") for h in links)
    kinds = {}  # one link of each kind answers (all of them cost ~20 s of reports)
    for href in sorted(links):
        kinds.setdefault(re.sub(r"(?<=/)[^/.]+(?=(\.[a-z]+)?$)", "*", href), href)
    for href in kinds.values():
        if not href.startswith("/static/"):
            assert client.get(href).status_code == 200, href
    spanish = client.get("/open-data", headers=ES).data.decode()
    assert "<h1>Datos abiertos</h1>" in spanish and "Haz tú mismo el recuento" in spanish
    assert "Open data" not in spanish and "Recount it yourself" not in spanish


def test_api_index_links_each_collection_and_the_document(client, demo_city):
    index = client.get("/api/v1/")
    assert index.status_code == 200 and index.headers["ETag"]
    body = index.get_json()
    assert body["links"] == {"self": "/api/v1/", "openapi": "/api/v1/openapi.json",
                             "html": "/open-data"}
    assert {"cycles", "projects", "metrics"} <= {r["name"] for r in body["resources"]}
    for resource in body["resources"]:
        assert client.get(resource["href"]).status_code == 200
    refused = client.post("/api/v1/")
    assert refused.status_code == 405 and refused.get_json()["error"]["status"] == 405
    assert client.get("/api/v1/nothing").status_code == 404
    assert client.get("/api/v1").status_code in (301, 308)


def test_tracker_says_recorded_until_a_published_count_counts_it(client, make_user,
                                                                make_cycle, make_proposal):
    cycle = make_cycle(slug="autumn", phase="voting", method="irv")
    lights = make_proposal(cycle, "Street lights")
    code = cast_ballot(cycle, voter_key("test", "one"), "online", [lights.id])
    db.session.commit()

    def answer(lang=None):
        page = client.get("/vote/tracker", query_string={"cycle": "autumn", "code": code},
                          headers=ES if lang else {})
        return page.data.decode()

    voting = answer()
    assert "Recorded." in voting and "once voting closes" in voting and "Counted." not in voting
    assert "Registrada." in answer("es") and "cuando cierre la votación" in answer("es")
    cycle.phase = "counting"
    db.session.commit()
    counting = answer()
    assert "Recorded." in counting and "not published yet" in counting
    result = count_cycle(cycle, make_user("staff"))
    db.session.commit()
    assert "Counted." not in answer()  # counted, but not yet published
    publish_result(result, db.session.scalar(select(User).where(User.role == "staff")))
    db.session.commit()
    counted = answer()
    assert "Counted." in counted and 'href="/cycles/autumn/results"' in counted
    assert "Recorded." not in counted
