"""One timeline from idea to impact (issue 19): the proposal and project pages and
/api/v1/{proposals,projects}/<id>/timeline show the same dated entries, built by one function
(pbapp.timeline), with only what the public may see: no draft's timeline, no hidden metric cell."""
from pbapp.extensions import db
from pbapp.metrics.tables import public_rows
from pbapp.proposals.models import Idea
from pbapp.timeline import KINDS


def test_a_funded_proposal_and_its_project_share_one_timeline(api, client, world):
    from datetime import datetime, timezone
    garden = world.project.proposal
    world.spring.voting_opens = datetime(2026, 4, 1, tzinfo=timezone.utc)
    world.spring.voting_closes = datetime(2026, 4, 15, tzinfo=timezone.utc)
    db.session.add(Idea(cycle_id=world.spring.id, problem="Nowhere green to sit.",
                        place="Canal Walk", suggestion="A garden", proposal_id=garden.id))
    db.session.commit()
    by_proposal = api.json(f"/api/v1/proposals/{garden.id}/timeline")
    by_project = api.json(f"/api/v1/projects/{world.project.id}/timeline")
    assert by_proposal == by_project
    assert (by_proposal["proposal"], by_proposal["project"]) == (garden.id, world.project.id)
    items = by_proposal["items"]
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    kinds = {i["kind"] for i in items}
    assert {"idea", "ballot", "count", "project", "status", "milestone", "spending", "update",
            "baseline"} <= kinds <= set(KINDS)
    titles = [i["title"] for i in items]
    assert "Milestone reached: Lease signed" in titles and "Milestone due: Doors open" in titles
    assert any(t.startswith("Elected in round") or t.startswith("Funded") for t in titles)
    assert {"Lease signed", "Lamps are up"} <= set(titles)
    assert any(i["kind"] == "status" and i["detail"] == "Work began." for i in items)
    assert "Canal Walk" in next(i["detail"] for i in items if i["kind"] == "idea")
    # both pages show the same entries, in English and Spanish
    for url in (f"/proposals/{garden.id}", f"/projects/{world.project.id}"):
        page = client.get(url).text
        assert "Timeline: from idea to impact" in page and "Milestone due: Doors open" in page
        assert "/timeline" in page
    es = client.get(f"/projects/{world.project.id}", headers={"Accept-Language": "es"}).text
    assert "Cronología: de la idea al impacto" in es
    # metric entries are published, protected totals only
    measured = [i for i in items if i["kind"] == "measurement"]
    shown = {}
    for metric in (world.injuries, world.safe):
        for row in public_rows(metric):
            if row["breakdown"] == "" and row["group"] == "":
                shown.setdefault(row["period_end"], []).append(row)
    for item in measured:
        rows = shown[item["date"]]
        assert any(r["suppressed"] is None and r["display"] in item["title"] for r in rows)
        assert "<11" not in item["title"] and "—" not in item["title"]


def test_no_public_timeline_for_what_the_public_may_not_see(api, client, world, login,
                                                            make_user, make_proposal):
    for p in (*world.hidden.values(), world.rejected, world.in_draft_cycle):
        if p.is_public and p.cycle.phase != "draft":
            continue
        api.get(f"/api/v1/proposals/{p.id}/timeline", 404)
    for bad in ("0", "01", "²", "99999999999", "-1", "1.0"):
        api.get(f"/api/v1/proposals/{bad}/timeline", 404)
        api.get(f"/api/v1/projects/{bad}/timeline", 404)
    assert client.get("/api/v1/proposals/1%00/timeline").status_code == 400
    # a draft's page shows its timeline to its board only; the page links no JSON for it
    draft = world.hidden["draft"]
    assert client.get(f"/proposals/{draft.id}").status_code in (302, 404)
    login(make_user("staff"))
    page = client.get(f"/proposals/{world.hidden['submitted'].id}").text
    assert "Timeline: from idea to impact" in page
    assert f"/api/v1/proposals/{world.hidden['submitted'].id}/timeline" not in page
    # in a cycle counted but not published, no count entry and no votes
    summer_prop = make_proposal(world.summer, "Summer shade")
    items = api.json(f"/api/v1/proposals/{summer_prop.id}/timeline")["items"]
    assert not [i for i in items if i["kind"] == "count"]
    assert api.json(f"/api/v1/proposals/{summer_prop.id}")["votes"] is None
