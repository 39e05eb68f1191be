"""Action plans on the web and in the API (issue 21, part 1): who may see and change what, the
public page's action states and protected figures, the report's downloads; on both databases."""
from __future__ import annotations

import csv
import io
import json

from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.models_base import site_today
from pbapp.plans.models import ActionPlan, PlanAction, ProgressNote


def _text(client, url, **kw) -> str:
    page = client.get(url, **kw)
    assert page.status_code == 200, url
    return page.get_data(as_text=True)


def test_public_page_shows_states_and_protected_figures(client, world):
    text = _text(client, f"/plans/{world.plan.id}")
    assert "Injuries <strong>rose</strong> in Riverside." in text
    for title, state in [("Open a youth hub", "On track"), ("Train door staff", "Late"),
                         ("Map hot spots", "Done")]:
        assert f'{title} <span class="badge state-' in text and f">{state}</span>" in text
    # the newest city total is 5: shown only as "<11"; Riverside's 23 is shown as it is
    assert "&lt;11" in text and ">5<" not in text and ">23<" in text
    assert "/projects/%d" % world.project.id in text
    spanish = _text(client, f"/plans/{world.plan.id}", headers={"Accept-Language": "es"})
    assert "Lesiones violentas" in spanish and "Con retraso" in spanish
    board = _text(client, "/boards/east-side")
    assert "Safety plan 2026" in board and "Draft plan" not in board


def test_drafts_are_not_public(client, login, world):
    draft = world.draft.id
    for url in [f"/plans/{draft}", f"/plans/{draft}/report", f"/plans/{draft}/report.csv",
                f"/plans/{draft}/report.json", f"/api/v1/plans/{draft}"]:
        assert client.get(url).status_code == 404, url
    assert "Draft plan" not in _text(client, "/plans")
    assert all(p["id"] != draft for p in client.get("/api/v1/plans").json["items"])
    login(world.other)  # another board's member sees no draft of this board
    assert client.get(f"/plans/{draft}").status_code == 404
    login(world.member)
    assert "Draft plan" in _text(client, f"/plans/{draft}")


def test_another_boards_member_cannot_edit(client, login, csrf, world):
    pid, aid = world.plan.id, world.hub.id
    urls = [f"/plans/{pid}/edit", f"/plans/{pid}/actions/new", f"/plans/{pid}/review",
            f"/plans/{pid}/actions/{aid}/edit", f"/plans/{pid}/actions/{aid}/note",
            f"/plans/{pid}/actions/{aid}/targets", "/plans/new?board=east-side"]
    assert client.get(urls[0]).status_code == 302  # signed out: to the sign-in page
    for user in (world.other, world.resident, world.past):
        login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    login(world.other)
    token = csrf("/plans/new?board=north-side")
    before = db.session.scalar(select(func.count(ProgressNote.id)))
    answer = client.post(f"/plans/{pid}/actions/{aid}/note", data={
        "csrf_token": token, "noted_on": site_today().isoformat(), "body": "Taken over"})
    assert answer.status_code == 403
    assert db.session.scalar(select(func.count(ProgressNote.id))) == before


def test_member_adds_a_note_and_the_public_reads_it(client, login, csrf, world):
    login(world.member)
    url = f"/plans/{world.plan.id}/actions/{world.training.id}/note"
    answer = client.post(url, data={"csrf_token": csrf(url), "noted_on": site_today().isoformat(),
                                    "body": "Booked the *first* session.",
                                    "body_es": "Reservada la primera sesión."})
    assert answer.status_code == 303
    client.get("/")  # a fresh page view
    with client.session_transaction() as session:
        session.clear()
    text = _text(client, f"/plans/{world.plan.id}")
    assert "Booked the <em>first</em> session." in text
    assert "Reservada la primera sesión." in _text(client, f"/plans/{world.plan.id}?lang=es")
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())
                             .limit(1)) == "plan.note"


def test_member_creates_publishes_and_reviews(client, login, csrf, world):
    login(world.member)
    token = csrf("/plans/new?board=east-side")
    answer = client.post("/plans/new?board=east-side", data={
        "csrf_token": token, "title": "Youth plan", "period_start": "2026-01-01",
        "period_end": "2026-12-31", "needs": "Young people <script>x</script> need places.",
        "neighbourhoods": [str(world.riverside.id)], "metrics": [str(world.injuries.id)],
        "title_es": "Plan juvenil"})
    assert answer.status_code == 303
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.title == "Youth plan"))
    assert plan.status == "draft" and plan.text("title", "es") == "Plan juvenil"
    assert "<script>" not in _text(client, f"/plans/{plan.id}")
    answer = client.post(f"/plans/{plan.id}/actions/new", data={
        "csrf_token": token, "title": "Open a youth hub", "lead_id": str(world.lead.id),
        "partner_ids": [str(world.lead.id)], "partners_text": "Streetwise",
        "due_on": "2026-09-30", "status": "under_way", "project_ids": [str(world.project.id)],
        "proposal_ids": [str(world.proposal.id)]})
    assert answer.status_code == 303
    action = db.session.scalar(select(PlanAction).where(PlanAction.plan_id == plan.id))
    assert action.lead_organisation == "City Public Health" and action.projects
    answer = client.post(f"/plans/{plan.id}/actions/{action.id}/targets", data={
        "csrf_token": token, "metric_id": str(world.injuries.id), "neighbourhood_id": "0",
        "baseline_on": "2025-12-31", "target_value": "30", "target_on": "2026-12-31"})
    assert answer.status_code == 303
    text = _text(client, f"/plans/{plan.id}/actions/{action.id}/targets")
    assert ">40<" in text and "&lt;11" in text  # baseline 2025, latest hidden
    assert client.post(f"/plans/{plan.id}/publish", data={"csrf_token": token}).status_code == 303
    review = {"csrf_token": token, "review": "Good year.", "next_title": "Youth plan 2027",
              "next_start": "2027-01-01", "next_end": "2027-12-31"}
    answer = client.post(f"/plans/{plan.id}/review", data=review)
    assert answer.status_code == 303
    again = client.post(f"/plans/{plan.id}/review", data={**review, "next_title": "Twice"})
    assert again.status_code == 409 and "already been reviewed" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ActionPlan.id)).where(
        ActionPlan.previous_id == plan.id)) == 1


def test_report_and_api_agree_and_protect_small_cells(client, world):
    pid = world.plan.id
    text = _text(client, f"/plans/{pid}/report")
    assert "Late" in text and "&lt;11" in text
    rows = list(csv.DictReader(io.StringIO(_text(client, f"/plans/{pid}/report.csv"))))
    latest = [r for r in rows if r["table"] == "figures" and r["column"] == "latest"]
    assert {(r["row"], r["value"], r["suppressed"]) for r in latest} == {
        ("Violent injuries: The whole city", "<11", "small"),
        ("Violent injuries: Riverside", "23", "")}
    states = {r["row"]: r["value"] for r in rows if r["column"] == "state"}
    assert states == {"Open a youth hub": "on_track", "Train door staff": "late",
                      "Map hot spots": "done"}
    report = json.loads(_text(client, f"/plans/{pid}/report.json"))
    assert report["report"] == "plan" and report["subject"]["id"] == pid
    listed = client.get("/api/v1/plans").json
    assert [p["id"] for p in listed["items"]] == [pid]
    detail = client.get(f"/api/v1/plans/{pid}").json
    city = next(f for f in detail["figures"] if f["neighbourhood"] is None)
    assert city["latest"]["value"] is None and city["latest"]["suppressed"] == "small"
    assert {a["title"]: a["state"] for a in detail["actions"]}["Train door staff"] == "late"
    for bad in ["999999", "0", "-1", "%C2%B2", "99999999999999999999", "x"]:
        answer = client.get(f"/api/v1/plans/{bad}")
        assert answer.status_code == 404 and answer.is_json, bad
