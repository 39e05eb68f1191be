"""Board members draft, edit and submit; everyone else, and every wrong moment, is refused."""
from datetime import date

import pytest
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.proposals.models import Proposal


def draft_data(**kw) -> dict:
    data = {"title": "Summer youth jobs", "summary": "Paid placements for 120 young people.",
            "description": "**Why:** idle summers.", "problem": "Violence peaks in August.",
            "root_cause": "No income, nowhere to go.", "cost": "150000",
            "metrics": "Assault injuries, ages 14-18\nSchool attendance in September"}
    data.update(kw)
    return data


@pytest.fixture()
def world(make_cycle, make_board, make_member, make_hood):
    hood = make_hood()
    cycle = make_cycle(neighbourhoods=[hood])
    board = make_board()
    return {"hood": hood, "cycle": cycle, "board": board,
            "member": make_member(board, name="Keisha Grant")}


def test_member_drafts_then_submits(client, login, csrf, world, fresh):
    login(world["member"])
    form = client.get("/proposals/new")
    assert form.status_code == 200 and world["board"].name.encode() in form.data
    resp = client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id, neighbourhoods=[world["hood"].id],
        csrf_token=csrf("/proposals/new")))
    assert resp.status_code == 303
    proposal = db.session.scalar(select(Proposal))
    assert resp.headers["Location"].endswith(f"/proposals/{proposal.id}")
    assert (proposal.status, proposal.cost_cents, proposal.author_id) == (
        "draft", 150_000_00, world["member"].id)
    assert proposal.root_cause == "No income, nowhere to go."
    assert proposal.metric_list == ["Assault injuries, ages 14-18",
                                    "School attendance in September"]
    assert [n.id for n in proposal.neighbourhoods] == [world["hood"].id]
    assert [(h.from_status, h.to_status) for h in proposal.history] == [(None, "draft")]

    url = f"/proposals/{proposal.id}"
    page = client.get(url)
    assert b"Submit for review" in page.data and b"Edit draft" in page.data
    resp = client.post(f"{url}/submit", data={"csrf_token": csrf(url)})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url)
    proposal = fresh(proposal)
    assert proposal.status == "submitted"
    last = proposal.history[-1]
    assert (last.from_status, last.to_status, last.actor_id) == ("draft", "submitted",
                                                                 world["member"].id)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["proposal.create", "proposal.submit"]
    assert b"Edit draft" not in client.get(url).data


def test_member_edits_draft(client, login, csrf, world, make_proposal, fresh):
    proposal = make_proposal(world["board"], world["cycle"])
    login(world["member"])
    url = f"/proposals/{proposal.id}/edit"
    form = client.get(url)
    assert form.status_code == 200 and b"Violence interrupters" in form.data
    assert b'value="150000"' in form.data
    resp = client.post(url, data=draft_data(title="Youth jobs, revised", cost="99",
                                            csrf_token=csrf(url)))
    assert resp.status_code == 303
    proposal = fresh(proposal)
    assert (proposal.title, proposal.cost_cents, proposal.status) == ("Youth jobs, revised",
                                                                      9900, "draft")


@pytest.mark.parametrize("bad, message", [
    ({"cost": "0"}, b"The cost must be between 1"),
    ({"cost": "-5"}, b"The cost must be between 1"),
    ({"cost": "12.50"}, "“12.50” is not a whole number".encode()),
    ({"cost": "١٢"}, "“١٢” is not a whole number written with the digits 0 to 9".encode()),
    ({"cost": ""}, b"Give the cost in whole currency units"),
    ({"cost": "999999999999"}, b"The cost must be between 1"),
    ({"title": ""}, b"This field is required"),
    ({"problem": "  "}, b"This field is required"),
])
def test_invalid_draft_shows_errors_and_saves_nothing(client, login, csrf, world, counts, bad,
                                                      message):
    login(world["member"])
    before = counts()
    resp = client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id, csrf_token=csrf("/proposals/new"),
        **bad))
    assert resp.status_code == 200
    assert b"Please correct the errors" in resp.data and message in resp.data
    assert b"Paid placements for 120 young people." in resp.data
    assert counts() == before


def test_invalid_edit_changes_nothing(client, login, csrf, world, make_proposal, fresh):
    proposal = make_proposal(world["board"], world["cycle"])
    login(world["member"])
    url = f"/proposals/{proposal.id}/edit"
    resp = client.post(url, data=draft_data(title="", cost="-1", csrf_token=csrf(url)))
    assert resp.status_code == 200 and b"Please correct the errors" in resp.data
    proposal = fresh(proposal)
    assert (proposal.title, proposal.cost_cents) == ("Violence interrupters", 150_000_00)


def test_neighbourhood_outside_the_cycle_is_refused(client, login, csrf, world, make_hood,
                                                    counts):
    other = make_hood("far-away")
    login(world["member"])
    before = counts()
    resp = client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id, neighbourhoods=[other.id],
        csrf_token=csrf("/proposals/new")))
    assert resp.status_code == 200
    assert b"neighbourhoods that take part in this cycle" in resp.data
    assert counts() == before


@pytest.mark.parametrize("who", ["resident", "staff", "other_board", "lapsed"])
def test_only_current_board_members_draft(client, login, make_user, make_board, make_member,
                                          world, counts, session_csrf, who):
    user = {"resident": lambda: make_user(), "staff": lambda: make_user(role="staff"),
            "other_board": lambda: make_member(make_board("north-health")),
            "lapsed": lambda: make_member(world["board"], term_start=date(2024, 1, 1),
                                          term_end=date(2025, 12, 31))}[who]()
    login(user)
    assert client.get("/proposals/new").status_code == (200 if who == "other_board" else 403)
    before = counts()
    resp = client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id, csrf_token=session_csrf()))
    assert resp.status_code == 403
    assert counts() == before


def test_drafting_needs_sign_in(client, world, counts):
    resp = client.get("/proposals/new")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    before = counts()
    client.post("/proposals/new", data=draft_data(board=world["board"].id,
                                                  cycle=world["cycle"].id))
    assert counts() == before


def test_drafting_refused_when_no_cycle_takes_proposals(client, login, world, counts,
                                                        session_csrf):
    world["cycle"].phase = "voting"
    db.session.commit()
    login(world["member"])
    resp = client.get("/proposals/new", follow_redirects=True)
    assert resp.history[0].status_code == 303 and b"No budget cycle is open" in resp.data
    before = counts()
    resp = client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id, csrf_token=session_csrf()),
        follow_redirects=True)
    assert resp.history[0].status_code == 303 and b"Nothing was changed" in resp.data
    assert counts() == before


@pytest.mark.parametrize("phase", ["review", "voting", "closed"])
def test_edit_and_submit_refused_out_of_phase(client, login, world, make_proposal, counts, fresh,
                                              session_csrf, phase):
    proposal = make_proposal(world["board"], world["cycle"])
    world["cycle"].phase = phase
    db.session.commit()
    login(world["member"])
    url = f"/proposals/{proposal.id}"
    page = client.get(url)
    assert b"Submit for review" not in page.data and b"Edit draft" not in page.data
    before = counts()
    resp = client.post(f"{url}/submit", data={"csrf_token": session_csrf()},
                       follow_redirects=True)
    assert resp.history[0].status_code == 303
    assert b"Nothing was changed" in resp.data and f"{phase}".encode() in resp.data
    resp = client.post(f"{url}/edit", data=draft_data(csrf_token=session_csrf()),
                       follow_redirects=True)
    assert resp.history[0].status_code == 303 and b"Nothing was changed" in resp.data
    assert counts() == before
    proposal = fresh(proposal)
    assert (proposal.status, proposal.title) == ("draft", "Violence interrupters")


def test_submitted_proposal_can_no_longer_be_edited_or_resubmitted(client, login, world,
                                                                   make_proposal, counts, fresh,
                                                                   session_csrf):
    proposal = make_proposal(world["board"], world["cycle"], status="submitted")
    login(world["member"])
    before = counts()
    for path in ("edit", "submit"):
        resp = client.post(f"/proposals/{proposal.id}/{path}",
                           data=draft_data(csrf_token=session_csrf()), follow_redirects=True)
        assert resp.history[0].status_code == 303 and b"Nothing was changed" in resp.data
    assert counts() == before
    assert fresh(proposal).title == "Violence interrupters"


def test_staff_cannot_submit_or_edit_a_boards_draft(client, login, make_user, world,
                                                    make_proposal, counts, session_csrf):
    proposal = make_proposal(world["board"], world["cycle"])
    login(make_user(role="staff"))
    assert client.get(f"/proposals/{proposal.id}").status_code == 200
    assert client.get(f"/proposals/{proposal.id}/edit").status_code == 403
    before = counts()
    for path in ("edit", "submit"):
        resp = client.post(f"/proposals/{proposal.id}/{path}",
                           data=draft_data(csrf_token=session_csrf()))
        assert resp.status_code == 403
    assert counts() == before


def test_submit_without_csrf_is_400(client, login, world, make_proposal, counts, fresh):
    proposal = make_proposal(world["board"], world["cycle"])
    login(world["member"])
    before = counts()
    assert client.post(f"/proposals/{proposal.id}/submit").status_code == 400
    assert client.post(f"/proposals/{proposal.id}/edit", data=draft_data()).status_code == 400
    assert client.post("/proposals/new", data=draft_data(
        board=world["board"].id, cycle=world["cycle"].id)).status_code == 400
    assert counts() == before
    assert fresh(proposal).status == "draft"


def test_the_form_offers_neighbourhoods_as_checkboxes_and_reads_in_spanish(client, login, world):
    """Issue 18: neighbourhoods were a multi-select that needs Ctrl-click, and the form's labels
    (Title, Summary, ...) stayed English on a Spanish page."""
    login(world["member"])
    page = client.get("/proposals/new").get_data(as_text=True)
    assert (f'<input id="neighbourhoods-0" name="neighbourhoods" type="checkbox" '
            f'value="{world["hood"].id}">') in page
    assert "<select multiple" not in page
    es = client.get("/proposals/new", headers={"Accept-Language": "es"}).get_data(as_text=True)
    for label in ("Título", "Resumen", "Problema que aborda", "Barrios", "Costo"):
        assert f">{label}</label>" in es, label
