"""Residents share ideas while proposals are open; boards develop them into linked proposals."""
from sqlalchemy import select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db
from pbapp.proposals.models import Idea, Proposal

IDEA = {"problem": "Fights outside the chip shop after midnight.", "place": "High Street",
        "suggestion": "Street pastors on Friday and Saturday nights."}


def test_resident_shares_an_idea_listed_without_name_or_email(app, client, make_user, login, csrf,
                                                              make_cycle, make_hood):
    hood = make_hood()
    cycle = make_cycle(neighbourhoods=[hood])
    login(make_user(email="rosa@example.org", name="Rosa Resident"))
    url = f"/proposals/cycles/{cycle.slug}/ideas/new"
    assert client.get(url).status_code == 200
    resp = client.post(url, data={**IDEA, "neighbourhood": hood.id, "csrf_token": csrf(url)})
    assert resp.status_code == 303
    idea = db.session.scalar(select(Idea))
    assert resp.headers["Location"].endswith(f"/proposals/ideas/{idea.id}")
    assert (idea.place, idea.neighbourhood_id, idea.proposal_id) == ("High Street", hood.id, None)

    anon = app.test_client()
    listing = anon.get(f"/proposals/cycles/{cycle.slug}/ideas")
    assert listing.status_code == 200
    assert b"Fights outside the chip shop" in listing.data and b"Riverside" in listing.data
    page = anon.get(f"/proposals/ideas/{idea.id}")
    assert b"Street pastors" in page.data
    for private in (b"rosa@example.org", b"Rosa Resident"):
        assert private not in listing.data and private not in page.data


def test_idea_needs_sign_in(client, make_cycle, counts):
    cycle = make_cycle()
    url = f"/proposals/cycles/{cycle.slug}/ideas/new"
    assert client.get(url).status_code == 302
    assert "/auth/login" in client.get(url).headers["Location"]
    before = counts()
    assert client.post(url, data=IDEA).status_code in (302, 400)
    assert counts() == before


def test_idea_refused_outside_proposals_phase(client, make_user, login, make_cycle, counts,
                                              session_csrf):
    cycle = make_cycle(phase="review")
    login(make_user())
    url = f"/proposals/cycles/{cycle.slug}/ideas/new"
    assert client.get(url).status_code == 303
    before = counts()
    resp = client.post(url, data={**IDEA, "csrf_token": session_csrf()}, follow_redirects=True)
    assert resp.history[0].status_code == 303
    assert b"Nothing was changed" in resp.data and b"review" in resp.data
    assert counts() == before
    assert b"Share an idea</a>" not in client.get(f"/proposals/cycles/{cycle.slug}/ideas").data


def test_idea_without_csrf_is_400(client, make_user, login, make_cycle, counts):
    cycle = make_cycle()
    login(make_user())
    before = counts()
    assert client.post(f"/proposals/cycles/{cycle.slug}/ideas/new", data=IDEA).status_code == 400
    assert counts() == before


def test_incomplete_idea_shows_errors_and_saves_nothing(client, make_user, login, csrf,
                                                        make_cycle, make_hood, counts):
    cycle = make_cycle(neighbourhoods=[make_hood()])
    other = make_hood("elsewhere")
    login(make_user())
    url = f"/proposals/cycles/{cycle.slug}/ideas/new"
    before = counts()
    resp = client.post(url, data={**IDEA, "place": "", "csrf_token": csrf(url)})
    assert resp.status_code == 200
    assert b"Please correct the errors" in resp.data and b"Fights outside" in resp.data
    resp = client.post(url, data={**IDEA, "neighbourhood": other.id, "csrf_token": csrf(url)})
    assert resp.status_code == 200 and b"Not a valid choice" in resp.data
    assert counts() == before


def test_unknown_or_unpublished_cycles_and_ideas_are_404(client, make_cycle, make_idea):
    hidden = make_cycle(phase="draft", slug="secret")
    idea = make_idea(hidden)
    assert client.get("/proposals/cycles/nope/ideas").status_code == 404
    assert client.get("/proposals/cycles/secret/ideas").status_code == 404
    assert client.get(f"/proposals/ideas/{idea.id}").status_code == 404
    assert client.get("/proposals/ideas/999999").status_code == 404
    assert client.get("/proposals/new?idea=999999").status_code in (302, 404)


def test_board_develops_idea_into_linked_proposal(app, client, make_user, login, csrf, make_cycle,
                                                  make_board, make_member, make_idea,
                                                  make_hood, fresh):
    hood = make_hood()
    cycle = make_cycle(neighbourhoods=[hood])
    board = make_board()
    member = make_member(board, name="Keisha Grant")
    idea = make_idea(cycle, neighbourhood_id=hood.id)

    assert b"Develop into a proposal" not in client.get(f"/proposals/ideas/{idea.id}").data
    login(member)
    page = client.get(f"/proposals/ideas/{idea.id}")
    assert b"Develop into a proposal" in page.data and b"Rosa Resident" in page.data
    url = f"/proposals/new?idea={idea.id}"
    form = client.get(url)
    assert form.status_code == 200
    assert b"Dark underpass" in form.data and b"Lights and a mural" in form.data
    resp = client.post(url, data={
        "board": board.id, "cycle": cycle.id, "title": "Light the underpass",
        "summary": "LED lighting and a youth mural.", "problem": "Muggings in the dark.",
        "neighbourhoods": [hood.id], "cost": "40000", "csrf_token": csrf(url)})
    assert resp.status_code == 303
    proposal = db.session.scalar(select(Proposal))
    assert fresh(idea).proposal_id == proposal.id
    assert proposal.history[0].reason == f"Developed from resident idea #{idea.id}."
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.create"))
    assert audit.detail["idea_id"] == idea.id

    shown = client.get(f"/proposals/{proposal.id}")
    assert f"/proposals/ideas/{idea.id}".encode() in shown.data
    assert b"Light the underpass" in client.get(f"/proposals/ideas/{idea.id}").data

    again = client.post(url, data={
        "board": board.id, "cycle": cycle.id, "title": "Twice", "summary": "s", "problem": "p",
        "cost": "5", "csrf_token": csrf(f"/proposals/{proposal.id}")}, follow_redirects=True)
    assert b"already been developed" in again.data
    assert len(db.session.scalars(select(Proposal)).all()) == 1

    anon = app.test_client()
    public = anon.get(f"/proposals/ideas/{idea.id}")
    assert b"A board is developing this idea" in public.data
    assert b"Light the underpass" not in public.data
    proposal.status = "accepted"
    db.session.commit()
    assert b"Light the underpass" in anon.get(f"/proposals/ideas/{idea.id}").data
    assert b"Light the underpass" in anon.get(f"/proposals/cycles/{cycle.slug}/ideas").data


def test_only_board_members_develop_ideas(client, make_user, login, make_cycle, make_idea,
                                          counts, session_csrf):
    cycle = make_cycle()
    idea = make_idea(cycle)
    login(make_user(role="staff"))
    assert client.get(f"/proposals/new?idea={idea.id}").status_code == 403
    before = counts()
    resp = client.post(f"/proposals/new?idea={idea.id}",
                       data={"title": "x", "cost": "5", "csrf_token": session_csrf()})
    assert resp.status_code == 403
    assert counts() == before
