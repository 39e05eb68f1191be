"""The proposing board may withdraw a proposal before voting; the reason is public."""
import pytest
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db


@pytest.fixture()
def board_and_member(make_board, make_member):
    board = make_board()
    return board, make_member(board, name="Keisha Grant")


def test_board_withdraws_accepted_proposal_and_it_stays_public(app, client, login, csrf,
                                                               board_and_member, make_cycle,
                                                               make_proposal, fresh):
    board, member = board_and_member
    proposal = make_proposal(board, make_cycle(phase="review"), status="accepted")
    login(member)
    url = f"/proposals/{proposal.id}"
    assert b"Withdraw this proposal" in client.get(url).data
    resp = client.post(f"{url}/withdraw", data={"reason": "Funded by the council instead.",
                                                "csrf_token": csrf(url)})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(url)
    proposal = fresh(proposal)
    assert proposal.status == "withdrawn"
    last = proposal.history[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.reason) == (
        "accepted", "withdrawn", member.id, "Funded by the council instead.")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.withdraw"))
    assert event.actor_id == member.id and event.detail["reason"] == last.reason

    anon = app.test_client()
    public = anon.get(url)
    assert public.status_code == 200 and b"Funded by the council instead." in public.data
    assert b"Keisha Grant" in public.data
    assert b"Violence interrupters" in anon.get("/proposals/?status=withdrawn").data


def test_withdrawn_draft_stays_private(app, client, login, csrf, board_and_member, make_cycle,
                                       make_proposal, fresh):
    board, member = board_and_member
    proposal = make_proposal(board, make_cycle(), status="draft")
    login(member)
    url = f"/proposals/{proposal.id}"
    client.post(f"{url}/withdraw", data={"csrf_token": csrf(url)})
    assert fresh(proposal).status == "withdrawn"
    anon = app.test_client()
    assert anon.get(url).status_code == 404
    assert b"Violence interrupters" not in anon.get("/proposals/").data


@pytest.mark.parametrize("phase", ["voting", "counting", "closed"])
def test_withdraw_refused_once_voting_starts(client, login, board_and_member, make_cycle,
                                             make_proposal, counts, fresh, session_csrf, phase):
    board, member = board_and_member
    proposal = make_proposal(board, make_cycle(phase=phase), status="accepted")
    login(member)
    assert b"Withdraw this proposal" not in client.get(f"/proposals/{proposal.id}").data
    before = counts()
    resp = client.post(f"/proposals/{proposal.id}/withdraw",
                       data={"reason": "Late", "csrf_token": session_csrf()},
                       follow_redirects=True)
    assert resp.history[0].status_code == 303 and b"Nothing was changed" in resp.data
    assert counts() == before
    assert fresh(proposal).status == "accepted"


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "funded"])
def test_finished_proposals_cannot_be_withdrawn(client, login, board_and_member, make_cycle,
                                                make_proposal, counts, fresh, session_csrf,
                                                status):
    board, member = board_and_member
    proposal = make_proposal(board, make_cycle(phase="review"), status=status)
    login(member)
    before = counts()
    resp = client.post(f"/proposals/{proposal.id}/withdraw",
                       data={"csrf_token": session_csrf()}, follow_redirects=True)
    assert resp.history[0].status_code == 303 and b"Nothing was changed" in resp.data
    assert counts() == before
    assert fresh(proposal).status == status


def test_only_the_proposing_board_withdraws(client, login, make_user, make_board, make_member,
                                            board_and_member, make_cycle, make_proposal, counts,
                                            fresh, session_csrf):
    board, _ = board_and_member
    proposal = make_proposal(board, make_cycle(phase="review"), status="accepted")
    before = counts()
    for user in (make_user(role="staff"), make_user(), make_member(make_board("north-health"))):
        login(user)
        resp = client.post(f"/proposals/{proposal.id}/withdraw",
                           data={"csrf_token": session_csrf()})
        assert resp.status_code == 403
    assert counts() == before
    assert fresh(proposal).status == "accepted"


def test_withdraw_without_csrf_or_with_overlong_reason_changes_nothing(
        client, login, csrf, board_and_member, make_cycle, make_proposal, counts, fresh):
    board, member = board_and_member
    proposal = make_proposal(board, make_cycle(phase="review"), status="submitted")
    login(member)
    url = f"/proposals/{proposal.id}"
    before = counts()
    assert client.post(f"{url}/withdraw", data={"reason": "x"}).status_code == 400
    resp = client.post(f"{url}/withdraw", data={"reason": "x" * 2001, "csrf_token": csrf(url)})
    assert resp.status_code == 200
    assert b"Field cannot be longer than 2000" in resp.data
    assert counts() == before
    assert fresh(proposal).status == "submitted"


def test_destructive_actions_ask_first_without_javascript(client, login, board_and_member,
                                                         make_cycle, make_proposal):
    """Issue 18: "Withdraw" looked like every other button and acted at once. It now opens a
    question (a native disclosure, no script), and only its second button, marked as
    destructive, posts."""
    board, member = board_and_member
    proposal = make_proposal(board, make_cycle(phase="review"), status="accepted")
    login(member)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    question = page.split('<details class="confirm"', 1)[1].split("</details>", 1)[0]
    assert '<summary role="button" class="danger outline">Withdraw…</summary>' in question
    assert f'action="/proposals/{proposal.id}/withdraw"' in question
    assert '<button type="submit" class="danger">Withdraw the proposal</button>' in question
    assert "cannot be undone" in question
