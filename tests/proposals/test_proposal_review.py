"""Staff accept proposals onto the ballot or reject them with a public reason, audit-logged."""
import pytest
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.audit.services import verify_chain
from pbapp.extensions import db


@pytest.fixture()
def submitted(make_cycle, make_board, make_member, make_proposal):
    board = make_board()
    member = make_member(board, name="Keisha Grant")
    proposal = make_proposal(board, make_cycle(phase="review"), status="submitted")
    return proposal, member


@pytest.fixture()
def staff(make_user):
    return make_user(role="staff", name="Sam Staff", email="sam.staff@example.org")


def test_staff_accept_onto_the_ballot(app, client, login, csrf, submitted, staff, fresh):
    proposal, _ = submitted
    login(staff)
    url = f"/proposals/{proposal.id}/review"
    assert b"Review</a>" in client.get(f"/proposals/{proposal.id}").data
    assert client.get(url).status_code == 200
    resp = client.post(url, data={"decision": "accept", "reason": "Feasible and costed.",
                                  "feasibility_note": "Delivered by Street Outreach Collective.",
                                  "cost_note": "Salaries checked against 2026 rates.",
                                  "csrf_token": csrf(url)})
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith(f"/proposals/{proposal.id}")
    proposal = fresh(proposal)
    assert proposal.status == "accepted"
    assert proposal.feasibility_note == "Delivered by Street Outreach Collective."
    last = proposal.history[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.reason) == (
        "submitted", "accepted", staff.id, "Feasible and costed.")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.accept"))
    assert event.actor_id == staff.id and event.target == f"proposal:{proposal.id}"
    assert event.detail["cost_note"] == "Salaries checked against 2026 rates."
    assert verify_chain() == (True, None)

    public = app.test_client().get(f"/proposals/{proposal.id}")
    assert public.status_code == 200
    for text in (b"Sam Staff", b"Feasible and costed.", b"Delivered by Street Outreach",
                 b"Salaries checked"):
        assert text in public.data
    assert b"sam.staff@example.org" not in public.data
    assert b"Violence interrupters" in app.test_client().get("/proposals/").data


def test_staff_reject_with_public_reason(app, client, login, csrf, submitted, staff, fresh):
    proposal, _ = submitted
    login(staff)
    url = f"/proposals/{proposal.id}/review"
    resp = client.post(url, data={"decision": "reject",
                                  "reason": "Duplicates the city's own scheme.",
                                  "csrf_token": csrf(url)})
    assert resp.status_code == 303
    assert fresh(proposal).status == "rejected"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.reject"))
    assert event.detail["reason"] == "Duplicates the city's own scheme."
    public = app.test_client().get(f"/proposals/{proposal.id}")
    assert public.status_code == 200 and b"Duplicates the city&#39;s own scheme." in public.data


def test_review_is_allowed_while_proposals_are_still_open(client, login, csrf, submitted, staff,
                                                         fresh):
    proposal, _ = submitted
    proposal.cycle.phase = "proposals"
    db.session.commit()
    login(staff)
    url = f"/proposals/{proposal.id}/review"
    client.post(url, data={"decision": "accept", "csrf_token": csrf(url)})
    assert fresh(proposal).status == "accepted"


@pytest.mark.parametrize("data, message", [
    ({"decision": "reject", "reason": "  "}, b"Give the reason for rejecting"),
    ({"reason": "No decision"}, b"Choose accept, send back or reject"),
    ({"decision": "send_back", "reason": " "}, b"Say what the board should change"),
    ({"decision": "fund-it", "reason": "x"}, b"Not a valid choice"),
    ({"decision": "accept", "reason": "x" * 2001}, b"Field cannot be longer than 2000"),
])
def test_invalid_review_shows_errors_and_changes_nothing(client, login, csrf, submitted, staff,
                                                         counts, fresh, data, message):
    proposal, _ = submitted
    login(staff)
    url = f"/proposals/{proposal.id}/review"
    before = counts()
    resp = client.post(url, data={**data, "csrf_token": csrf(url)})
    assert resp.status_code == 200
    assert b"Please correct the errors" in resp.data and message in resp.data
    assert counts() == before
    assert fresh(proposal).status == "submitted"


def test_board_members_and_residents_cannot_review(client, login, make_user, submitted, counts,
                                                   session_csrf, fresh):
    proposal, member = submitted
    url = f"/proposals/{proposal.id}/review"
    before = counts()
    login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"decision": "accept",
                                  "csrf_token": session_csrf()}).status_code == 403
    login(make_user())  # a resident cannot even see an unreviewed proposal
    assert client.get(url).status_code == 404
    assert client.post(url, data={"decision": "accept",
                                  "csrf_token": session_csrf()}).status_code == 404
    assert counts() == before
    assert fresh(proposal).status == "submitted"


@pytest.mark.parametrize("phase", ["draft", "voting", "counting", "implementation"])
def test_review_refused_out_of_phase(client, login, submitted, staff, counts, fresh,
                                     session_csrf, phase):
    proposal, _ = submitted
    proposal.cycle.phase = phase
    db.session.commit()
    login(staff)
    url = f"/proposals/{proposal.id}/review"
    assert b"Review</a>" not in client.get(f"/proposals/{proposal.id}").data
    assert client.get(url).status_code == 303
    before = counts()
    resp = client.post(url, data={"decision": "reject", "reason": "Too late",
                                  "csrf_token": session_csrf()}, follow_redirects=True)
    assert resp.history[0].status_code == 303
    assert b"Nothing was changed" in resp.data and phase.encode() in resp.data
    assert counts() == before
    assert fresh(proposal).status == "submitted"


@pytest.mark.parametrize("status", ["draft", "accepted", "rejected", "withdrawn"])
def test_only_submitted_proposals_are_reviewed(client, login, make_cycle, make_board,
                                               make_proposal, staff, counts, fresh,
                                               session_csrf, status):
    proposal = make_proposal(make_board(), make_cycle(phase="review"), status=status)
    login(staff)
    before = counts()
    resp = client.post(f"/proposals/{proposal.id}/review",
                       data={"decision": "accept", "csrf_token": session_csrf()},
                       follow_redirects=True)
    assert resp.history[0].status_code == 303 and b"Nothing was changed" in resp.data
    assert counts() == before
    assert fresh(proposal).status == status


def test_review_without_csrf_is_400(client, login, submitted, staff, counts, fresh):
    proposal, _ = submitted
    login(staff)
    before = counts()
    resp = client.post(f"/proposals/{proposal.id}/review", data={"decision": "accept"})
    assert resp.status_code == 400
    assert counts() == before
    assert fresh(proposal).status == "submitted"


def test_the_review_form_shows_what_is_reviewed(client, login, submitted, staff):
    """Issue 18: the form showed only the title, so staff reviewed what they could not see."""
    proposal, _ = submitted
    login(staff)
    page = client.get(f"/proposals/{proposal.id}/review").get_data(as_text=True)
    assert "What is being reviewed" in page
    assert proposal.summary in page
    for part in (proposal.problem, proposal.description):
        if part:
            assert part.split()[0] in page


def test_staff_send_a_proposal_back_for_changes_while_proposals_are_open(
        app, client, login, csrf, submitted, staff, fresh):
    proposal, member = submitted
    proposal.cycle.phase = "proposals"
    db.session.commit()
    login(staff)
    url = f"/proposals/{proposal.id}/review"
    assert b'value="send_back"' in client.get(url).data
    resp = client.post(url, data={"decision": "send_back", "csrf_token": csrf(url),
                                  "reason": "Give a delivery partner and a start date."})
    assert resp.status_code == 303
    proposal = fresh(proposal)
    assert proposal.status == "draft"
    last = proposal.history[-1]
    assert (last.from_status, last.to_status, last.reason) == (
        "submitted", "draft", "Give a delivery partner and a start date.")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.send_back"))
    assert event.target == f"proposal:{proposal.id}"
    assert verify_chain() == (True, None)
    # the board can edit it again and resubmit
    board = app.test_client()
    with board.session_transaction() as s:
        s["_user_id"] = member.get_id()
        s["_fresh"] = True
    assert board.get(f"/proposals/{proposal.id}/edit").status_code == 200


def test_staff_send_back_in_the_review_phase_and_the_board_resubmits(
        app, client, login, csrf, submitted, staff, counts, fresh, make_proposal):
    """Issue 18: in the review phase the form offered only Accept and Reject. Sending back is
    offered whenever staff review; the board may then edit and resubmit that proposal (only
    it) during review, with the reason in Spanish for Spanish readers."""
    proposal, member = submitted  # the cycle is in its review phase
    other_draft = make_proposal(proposal.board, proposal.cycle, title="Never submitted")
    login(staff)
    url = f"/proposals/{proposal.id}/review"
    form = client.get(url).get_data(as_text=True)
    assert 'value="send_back"' in form and "Send back to the board for changes" in form
    assert 'name="reason_es"' in form
    spanish = client.get(url, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Devolver" in spanish and "Motivo en español (opcional)" in spanish
    before = counts()
    refused = client.post(url, data={"decision": "send_back", "reason": " ",
                                     "csrf_token": csrf(url)})
    assert refused.status_code == 200 and b"Say what the board should change" in refused.data
    assert counts() == before and fresh(proposal).status == "submitted"
    resp = client.post(url, data={"decision": "send_back", "csrf_token": csrf(url),
                                  "reason": "Name the delivery partner.",
                                  "reason_es": "Indica la entidad que lo llevará a cabo."})
    assert resp.status_code == 303
    assert fresh(proposal).status == "draft"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.send_back"))
    assert event.detail["reason_es"] == "Indica la entidad que lo llevará a cabo."

    board = app.test_client()
    with board.session_transaction() as s:
        s["_user_id"] = member.get_id()
        s["_fresh"] = True
    page = board.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "es"})
    assert "Indica la entidad que lo llevará a cabo." in page.get_data(as_text=True)
    assert "Name the delivery partner." not in page.get_data(as_text=True)
    assert "Name the delivery partner." in board.get(f"/proposals/{proposal.id}").get_data(
        as_text=True)
    assert board.get(f"/proposals/{proposal.id}/edit").status_code == 200
    # a draft that was never submitted waits for the next cycle: no edits nor submission now
    refused = board.get(f"/proposals/{other_draft.id}/edit", headers={"Accept-Language": "es"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Editar una propuesta solo es posible mientras el ciclo está en la fase" in refused
    page_url = f"/proposals/{proposal.id}"
    token = board.get(page_url).get_data(as_text=True).split('name="csrf_token" value="')[1]
    token = token.split('"')[0]
    resp = board.post(f"/proposals/{proposal.id}/submit", data={"csrf_token": token})
    assert resp.status_code == 303 and fresh(proposal).status == "submitted"
    resp = board.post(f"/proposals/{other_draft.id}/submit", data={"csrf_token": token})
    assert resp.status_code == 303 and fresh(other_draft).status == "draft"
    # once voting opens, a proposal sent back can no longer be resubmitted
    resp = client.post(url, data={"decision": "send_back", "csrf_token": csrf(url),
                                  "reason": "One more change."})
    assert resp.status_code == 303
    proposal = fresh(proposal)
    proposal.cycle.phase = "voting"
    db.session.commit()
    resp = board.post(f"/proposals/{proposal.id}/submit", data={"csrf_token": token},
                      follow_redirects=True)
    assert b"Submitting a proposal is possible only while" in resp.data
    assert fresh(proposal).status == "draft"
