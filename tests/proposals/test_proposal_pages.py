"""Who sees which proposal, the public list and its filters, and inert Markdown."""
import pytest

from pbapp.extensions import db

UNREVIEWED = ("draft", "submitted")
PUBLIC = ("accepted", "rejected", "funded")


@pytest.fixture()
def board(make_board):
    return make_board()


@pytest.mark.parametrize("status", UNREVIEWED)
def test_unreviewed_proposals_are_hidden_from_everyone_but_board_and_staff(
        client, login, make_user, make_member, make_board, board, make_cycle, make_proposal,
        status):
    proposal = make_proposal(board, make_cycle(), status=status)
    url = f"/proposals/{proposal.id}"
    assert client.get(url).status_code == 404
    assert b"Violence interrupters" not in client.get("/proposals/").data
    for outsider in (make_user(), make_member(make_board("north-health"))):
        login(outsider)
        assert client.get(url).status_code == 404
        assert b"Violence interrupters" not in client.get("/proposals/").data
    for insider in (make_member(board), make_user(role="staff"), make_user(role="admin")):
        login(insider)
        assert client.get(url).status_code == 200
        assert b"Violence interrupters" in client.get("/proposals/").data


@pytest.mark.parametrize("status", PUBLIC)
def test_reviewed_proposals_are_public(client, board, make_cycle, make_proposal, status):
    proposal = make_proposal(board, make_cycle(phase="voting"), status=status)
    page = client.get(f"/proposals/{proposal.id}")
    assert page.status_code == 200 and b"Violence interrupters" in page.data
    assert b"Violence interrupters" in client.get("/proposals/").data


def test_unknown_ids_are_404(client, login, make_user, session_csrf):
    login(make_user(role="staff"))
    assert client.get("/proposals/424242").status_code == 404
    assert client.get("/proposals/424242/edit").status_code == 404
    assert client.get("/proposals/424242/review").status_code == 404
    for action in ("submit", "withdraw", "review", "edit"):
        resp = client.post(f"/proposals/424242/{action}", data={"csrf_token": session_csrf()})
        assert resp.status_code == 404


def test_list_filters_by_listed_cycle_and_status(client, board, make_cycle, make_proposal):
    spring = make_cycle(phase="voting", slug="2027-spring")
    autumn = make_cycle(phase="review", slug="2027-autumn")
    make_proposal(board, spring, status="accepted", title="Spring lights")
    make_proposal(board, spring, status="rejected", title="Spring cameras")
    make_proposal(board, autumn, status="accepted", title="Autumn jobs")
    make_proposal(board, make_cycle(phase="draft", slug="hidden"), status="accepted",
                  title="Hidden cycle")

    everything = client.get("/proposals/")
    assert b"Spring lights" in everything.data and b"Autumn jobs" in everything.data
    assert b'value="hidden"' not in everything.data
    spring_only = client.get("/proposals/?cycle=2027-spring").data
    assert b"Spring lights" in spring_only and b"Spring cameras" in spring_only
    assert b"Autumn jobs" not in spring_only
    accepted = client.get("/proposals/?cycle=2027-spring&status=accepted").data
    assert b"Spring lights" in accepted and b"Spring cameras" not in accepted
    assert client.get("/proposals/?cycle=hidden").status_code == 404
    assert client.get("/proposals/?cycle=nope").status_code == 404
    assert client.get("/proposals/?status=bogus").status_code == 400
    assert client.get("/proposals/?status=draft").status_code == 200


def test_filtering_with_htmx_returns_just_the_list(client, board, make_cycle, make_proposal):
    make_proposal(board, make_cycle(phase="voting"), status="accepted")
    fragment = client.get("/proposals/?status=accepted", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.data.lstrip().startswith(b'<div id="proposal-list"')
    assert b"<html" not in fragment.data and b"Violence interrupters" in fragment.data
    assert "HX-Request" in fragment.headers["Vary"]
    boosted = client.get("/proposals/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert b"<html" in boosted.data


def test_markdown_is_rendered_and_script_is_inert(client, board, make_cycle, make_proposal):
    proposal = make_proposal(
        board, make_cycle(phase="voting"), status="accepted",
        description="**Bold plan**\n\n<script>alert('x')</script>\n\n"
                    "[click me](javascript:alert(1)) <img src=x onerror=alert(2)>",
        problem="<script>steal()</script> real problem",
        feasibility_note="[notes](javascript:alert(3))")
    page = client.get(f"/proposals/{proposal.id}").data
    assert b"<strong>Bold plan</strong>" in page
    assert b"<script>alert" not in page and b"<script>steal" not in page
    assert b"javascript:" not in page
    assert b"onerror" not in page
    assert b"real problem" in page


def test_idea_text_is_escaped(client, make_cycle, make_idea):
    idea = make_idea(make_cycle(), problem="<script>alert(1)</script> broken lights",
                     place="<b>Canal</b>")
    page = client.get(f"/proposals/ideas/{idea.id}").data
    assert b"<script>alert(1)" not in page and b"&lt;script&gt;" in page
    assert b"<b>Canal</b>" not in page


def test_proposal_page_shows_history_by_name_and_links_back_to_the_idea(
        client, login, make_user, board, make_cycle, make_proposal, make_idea):
    from pbapp.extensions import db

    cycle = make_cycle(phase="voting")
    reviewer = make_user(role="staff", name="Sam Staff", email="sam@example.org")
    proposal = make_proposal(board, cycle, status="accepted")
    proposal.history[-1].actor_id = reviewer.id
    proposal.history[-1].reason = "Feasible and costed."
    idea = make_idea(cycle, proposal_id=proposal.id)
    db.session.commit()
    page = client.get(f"/proposals/{proposal.id}").data
    assert b"Submitted \xe2\x86\x92 Accepted" in page
    assert b"Sam Staff" in page and b"sam@example.org" not in page
    assert b"Feasible and costed." in page
    assert f'/proposals/ideas/{idea.id}"'.encode() in page


def test_drafting_is_offered_only_when_a_cycle_takes_proposals(client, login, board,
                                                               make_member, make_cycle):
    """Issue 18: "Draft a proposal" was offered with no cycle taking proposals, and bounced."""
    login(make_member(board))
    cycle = make_cycle(phase="voting")
    page = client.get("/proposals/").get_data(as_text=True)
    assert "Draft a proposal" not in page and "No budget cycle is taking proposals" in page
    cycle.phase = "proposals"
    db.session.commit()
    page = client.get("/proposals/").get_data(as_text=True)
    assert '<a class="button" href="/proposals/new">Draft a proposal</a>' in page
