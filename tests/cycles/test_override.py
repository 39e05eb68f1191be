"""Winner overrides with a public reason (issue 19): staff fund or unfund a proposal after the
count and before publishing; pages, report downloads and the API show both lists; the ballot
files still recount to the computed list. Runs on SQLite and PostgreSQL (the ``app`` fixture)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.cycles.models import Result
from pbapp.cycles.overrides import (OverrideRefused, ResultOverride, final_list,
                                    override_winner)
from pbapp.extensions import db
from pbapp.projects.models import Project
from pbapp.tally.cli import main as tally_main

from test_count import run_count, voted  # noqa: F401  (the shared fixture)


def _override_url(cycle, result):
    return f"/cycles/manage/{cycle.slug}/results/{result.id}/override"


def _post(client, csrf, cycle, result, proposal, action, reason):
    page = f"/cycles/manage/{cycle.slug}/results/{result.id}"
    return client.post(_override_url(cycle, result), data={
        "csrf_token": csrf(page), "proposal": proposal, "action": action, "reason": reason})


def _overrides() -> int:
    return db.session.scalar(select(func.count()).select_from(ResultOverride))


def test_override_shown_everywhere_and_published(client, csrf, staff, voted, tmp_path,
                                                 capsys):  # noqa: F811
    cycle, props = voted  # greedy, budget 1000: youth (300) and lights (600) funded
    assert run_count(client, csrf).status_code == 303
    result = db.session.scalar(select(Result))
    lights, garden = str(props["lights"].id), str(props["garden"].id)
    page = client.get(f"/cycles/manage/{cycle.slug}/results/{result.id}")
    assert b"Change the winners" in page.data and b"Staff made no changes" in page.data

    resp = _post(client, csrf, cycle, result, lights, "unfund", "A NUL\x00 is refused")
    assert resp.status_code == 400 and _overrides() == 0  # refused before any view
    resp = _post(client, csrf, cycle, result, lights, "unfund",
                 "The site is <b>not available</b>\n\n until   2028.")
    assert resp.status_code == 303
    resp = _post(client, csrf, cycle, result, garden, "fund", "Ranked third; fits once lights "
                 "are out.")
    assert resp.status_code == 303
    found = final_list(result)
    assert found.computed == [str(props["youth"].id), lights]
    assert found.final == [str(props["youth"].id), garden]
    stored = db.session.scalars(select(ResultOverride).order_by(ResultOverride.id)).all()
    assert stored[0].reason == "The site is <b>not available</b> until 2028."  # one line
    events = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("result.%")).order_by(AuditEvent.id)).all()
    assert events == ["result.unfund", "result.fund"]

    page = client.get(f"/cycles/manage/{cycle.slug}/results/{result.id}").get_data(as_text=True)
    assert "Computed by the count" in page and "Sam Staff" in page
    assert "&lt;b&gt;not available&lt;/b&gt;" in page  # escaped, never markup

    publish = f"/cycles/manage/{cycle.slug}/results/{result.id}/publish"
    assert client.post(publish, data={"csrf_token": csrf(page_url := publish.rsplit("/", 1)[0])}
                       ).status_code == 303, page_url
    funded = {p.proposal_id for p in db.session.scalars(select(Project))}
    assert funded == {props["youth"].id, props["garden"].id}  # the final list only
    db.session.refresh(props["lights"])
    assert props["lights"].status == "not_funded"

    public = client.get(f"/cycles/{cycle.slug}/results").get_data(as_text=True)
    assert "Computed and final" in public and "Ranked third" in public
    assert "Sam Staff" in public and "staff" in public

    report = client.get(f"/reports/cycles/{cycle.slug}.json")
    if report.status_code == 200:  # the report covers published cycles
        tables = {t["id"]: t for s in report.get_json()["sections"] for t in s["tables"]}
        assert [r["cells"]["reason"]["value"] for r in tables["overrides"]["rows"]][1] == \
            "Ranked third; fits once lights are out."
        rows = list(csv.reader(io.StringIO(client.get(
            f"/reports/cycles/{cycle.slug}.csv").get_data(as_text=True))))
        assert any(r[1] == "overrides" and r[3] == "reason" for r in rows)
        assert any(r[1] == "computed-final" for r in rows)

    api = client.get(f"/api/v1/cycles/{cycle.slug}/results").get_json()
    assert api["computed_winners"] == found.computed == api["winners"]
    assert api["final_winners"] == found.final
    assert [o["action"] for o in api["overrides"]] == ["unfund", "fund"]
    assert api["overrides"][0]["by"] == "Sam Staff" and api["overrides"][0]["role"] == "staff"

    # the ballots download still recounts to the computed list, not the final one
    path = tmp_path / "ballots.pb"
    path.write_bytes(client.get(f"/cycles/{cycle.slug}/results/ballots.pb").data)
    assert tally_main([str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == found.computed

    # after publication: refused, nothing written
    before = _overrides()
    resp = _post(client, csrf, cycle, result, lights, "fund", "Too late")
    assert resp.status_code == 303 and _overrides() == before
    follow = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Not changed" in follow


BAD = [
    ("{garden}", "fund", "", "Give the reason"),
    ("{garden}", "fund", "  \r\n\t  ", "Give the reason"),
    ("{rejected}", "fund", "Not on the ballot", "on this count"),
    ("{other}", "fund", "Another cycle's proposal", "on this count"),
    ("²", "fund", "Superscript", "on this count"),
    ("9" * 40, "fund", "Huge", "on this count"),
    ("{youth}", "fund", "Already funded", "already in the final list"),
    ("{garden}", "unfund", "Not funded anyway", "not in the final list"),
    ("{garden}", "promote", "Unknown action", ""),
    ("{garden}", "fund", "Would overspend", "over the budget"),
]


def test_bad_overrides_change_nothing(client, csrf, staff, voted, make_cycle,
                                      make_proposal):  # noqa: F811
    """One count, then every bad change in turn (a count per case cost a second each)."""
    from pbapp.proposals.models import Proposal

    cycle, props = voted
    other = make_cycle(slug="other", phase="counting")
    ids = {"garden": props["garden"].id, "youth": props["youth"].id,
           "other": make_proposal(other, "Elsewhere", cost=10).id,
           "rejected": db.session.scalar(select(Proposal.id).where(
               Proposal.status == "rejected"))}
    assert run_count(client, csrf).status_code == 303
    result = db.session.scalar(select(Result))
    for proposal, action, reason, why in BAD:
        resp = _post(client, csrf, cycle, result, proposal.format(**ids), action, reason)
        assert resp.status_code == 303, proposal
        assert _overrides() == 0
        shown = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Not changed" in shown and why in shown, (proposal, action, reason)


def test_phase_and_role_are_checked_on_the_server(client, csrf, voted, make_user, login):
    # noqa: F811
    cycle, props = voted
    staff = make_user("staff", name="Sam Staff")
    login(staff)
    assert run_count(client, csrf).status_code == 303
    result = db.session.scalar(select(Result))
    garden = props["garden"].id
    cycle.phase = "implementation"  # as if published elsewhere
    db.session.commit()
    with pytest.raises(OverrideRefused, match="before publishing"):
        override_winner(result, garden, "unfund", "x", staff)
    cycle.phase = "counting"
    db.session.commit()
    login(make_user("resident", email="r@example.org"))
    resp = _post(client, csrf, cycle, result, str(props["lights"].id), "unfund", "Mine")
    assert resp.status_code in (302, 303, 403) and _overrides() == 0
    # another cycle's slug with this result's id: 404, nothing written
    login(staff)
    from pbapp.cycles.models import Cycle
    other = Cycle(slug="elsewhere", name="Elsewhere", budget_cents=100, phase="counting")
    db.session.add(other)
    db.session.commit()
    resp = client.post(f"/cycles/manage/elsewhere/results/{result.id}/override", data={
        "csrf_token": csrf(f"/cycles/manage/{cycle.slug}"), "proposal": str(props["lights"].id),
        "action": "unfund", "reason": "Wrong cycle"})
    assert resp.status_code == 404 and _overrides() == 0
