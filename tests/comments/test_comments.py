"""Comments on proposals and projects: who may comment, one level of replies, sanitised
Markdown, edits shown, flags once per person, staff hiding with a public reason (off every page
and the API, audited), rate limits per account and the email to the proposal's people.
Both databases."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.boards.models import Membership
from pbapp.comments import services as svc
from pbapp.comments.models import Comment, CommentFlag
from pbapp.extensions import db
from pbapp.projects.models import Project
from tests.api.conftest import template_of, validator
from pbapp.api.openapi import document

#: live markup, as tests/security/test_stored_xss.py looks for it
LIVE = [re.compile(p, re.I) for p in (r"<script\b[^>]*>\s*alert", r"<img\b[^>]*\bonerror\s*=",
                                      r"<svg\b[^>]*\bonload\s*=",
                                      r"""href\s*=\s*["']?\s*javascript:""")]
XSS = ("Hello **there**\n\n<script>alert('xss')</script> <img src=x onerror=alert('xss')> "
       "[click](javascript:alert('xss')) <a href=\"javascript:alert('xss')\">x</a>")


@pytest.fixture()
def world(app, make_cycle, make_proposal, make_user):
    cycle = make_cycle(phase="voting")
    author = make_user(role="resident", name="Ana Author")
    proposal = make_proposal(cycle, "Street lights")
    proposal.author_id = author.id
    member = make_user(name="Mo Member")
    db.session.add(Membership(board_id=proposal.board_id, user_id=member.id, seat="police",
                              organisation="Riverside Police", term_start=date(2020, 1, 1)))
    project = Project(proposal_id=proposal.id, cycle_id=cycle.id, board_id=proposal.board_id,
                      title="Street lights project", budget_cents=100_00)
    db.session.add(project)
    db.session.commit()
    return type("World", (), dict(proposal=proposal, project=project, author=author,
                                  member=member, resident=make_user(name="Rita Resident"),
                                  staff=make_user(role="staff", name="Sam Staff")))


def _post(client, csrf, url_page, action, **data):
    return client.post(action, data={"csrf_token": csrf(url_page), **data})


def test_who_may_comment_replies_sanitising_edits_and_seats(client, login, csrf, world,
                                                            make_user, fresh_limits):
    page = f"/proposals/{world.proposal.id}"
    action = f"/comments/proposals/{world.proposal.id}"
    # signed out: sent to sign in, nothing stored
    anon = _post(client, csrf, page, action, body="hi")
    assert anon.status_code == 302 and "/auth/login" in anon.headers["Location"]
    assert "Sign in to comment." in client.get(page).get_data(as_text=True)
    # an account whose email is not confirmed is refused in words
    login(make_user(verified=False))
    assert "Confirm your email address first" in client.get(page).get_data(as_text=True)
    refused = _post(client, csrf, page, action, body="Hi")
    assert refused.status_code == 400 and "Confirm your email" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Comment.id))) == 0

    login(world.resident)
    posted = _post(client, csrf, page, action, body=XSS)
    assert posted.status_code == 303 and "#comment-" in posted.headers["Location"]
    html = client.get(page).get_data(as_text=True)
    assert "<strong>there</strong>" in html
    assert "alert(" in html  # shown as text, never as markup
    for pattern in LIVE:
        assert pattern.search(html) is None, pattern
    first = db.session.scalar(select(Comment))
    # a reply, then a reply to the reply (refused: one level), odd input refused whole
    assert _post(client, csrf, page, action, body="Agreed", parent_id=first.id).status_code == 303
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == first.id))
    deep = _post(client, csrf, page, action, body="Deeper", parent_id=reply.id)
    assert deep.status_code == 400 and "one level deep" in deep.get_data(as_text=True)
    assert "Deeper" in deep.get_data(as_text=True)  # what was typed is kept to try again
    nul = _post(client, csrf, page, action, body="bad\x00text")
    assert nul.status_code == 400 and "null byte" in nul.get_data(as_text=True)
    long = _post(client, csrf, page, action, body="x" * 5001)
    assert long.status_code == 400
    assert "5,000" in long.get_data(as_text=True)
    with pytest.raises(svc.Refused, match="control character"):
        svc.post(world.resident, world.proposal, "bell\x07")
    with pytest.raises(svc.Refused, match="another page"):
        svc.post(world.resident, world.project, "x", first)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Comment.id))) == 2

    # edits: the author's only, shown as edited with the time
    login(world.member)
    assert _post(client, csrf, page, f"/comments/{first.id}/edit",
                 body="Not mine").status_code == 400
    _post(client, csrf, page, action, body="From the board")
    html = client.get(page).get_data(as_text=True)
    assert "Police seat, Riverside Police" in html  # seat and organisation
    login(world.resident)
    assert _post(client, csrf, page, f"/comments/{first.id}/edit",
                 body="Changed *words*").status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "<em>words</em>" in html and "edited <time" in html and "Not mine" not in html
    # Spanish
    spanish = client.get(page + "?lang=es").get_data(as_text=True)
    assert "Comentarios" in spanish and "editado" in spanish and "Responder" in spanish


def test_flag_once_hide_everywhere_and_audit(client, login, csrf, world, fresh_limits):
    first = svc.post(world.resident, world.proposal, "Rude words here")
    on_project = svc.post(world.resident, world.project, "Rude on project")
    db.session.commit()
    page, project_page = f"/proposals/{world.proposal.id}", f"/projects/{world.project.id}"
    login(world.author)
    flag = f"/comments/{first.id}/flag"
    assert _post(client, csrf, page, flag, reason="Insulting").status_code == 303
    again = _post(client, csrf, page, flag, reason="Again")
    assert again.status_code == 400 and "already flagged" in again.get_data(as_text=True)
    login(world.resident)
    own = _post(client, csrf, page, flag, reason="Mine")
    assert own.status_code == 400
    assert db.session.scalar(select(func.count(CommentFlag.id))) == 1
    # the queue: staff only
    assert client.get("/staff/comments").status_code == 403
    login(world.staff)
    queue = client.get("/staff/comments").get_data(as_text=True)
    assert "Insulting" in queue and "Rude words here" in queue
    empty = _post(client, csrf, "/staff/comments", f"/staff/comments/{first.id}/hide",
                  reason="")
    assert empty.status_code == 303
    db.session.expire_all()
    assert db.session.get(Comment, first.id).hidden_at is None
    for c in (first, on_project):
        assert _post(client, csrf, "/staff/comments", f"/staff/comments/{c.id}/hide",
                     reason="Insults a neighbour").status_code == 303
    assert "Insulting" not in client.get("/staff/comments").get_data(as_text=True)
    client.get("/auth/logout")
    for url in (page, project_page):
        html = client.get(url).get_data(as_text=True)
        assert "Hidden by a moderator: Insults a neighbour" in html
        assert "Rude" not in html
    doc = document()
    for url in (f"/api/v1/proposals/{world.proposal.id}/comments",
                f"/api/v1/projects/{world.project.id}/comments"):
        response = client.get(url)
        body = response.get_json()
        validator(doc, template_of(doc, url), 200).validate(body)
        assert "Rude" not in response.get_data(as_text=True)
        assert body["items"][0]["hidden"] and body["items"][0]["body"] is None
        assert body["items"][0]["hidden_reason"] == "Insults a neighbour"
        assert client.get(url + "?page=0").status_code == 400
    assert client.get("/api/v1/proposals/999/comments").status_code == 404
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "comment.hide"))
    assert [e.detail["reason"] for e in events] == ["Insults a neighbour"] * 2
    login(world.staff)
    log = client.get("/staff/audit/").get_data(as_text=True)
    assert "hid a comment" in log and f"comment {first.id} by Rita Resident" in log


def test_rate_limit_per_account(app, client, login, csrf, world, fresh_limits):
    app.config.update(COMMENTS_PER_ACCOUNT="3 per 10 minutes",
                      FLAGS_PER_ACCOUNT="1 per 10 minutes")
    page, action = f"/proposals/{world.proposal.id}", f"/comments/proposals/{world.proposal.id}"
    login(world.resident)
    assert _post(client, csrf, page, action, body="").status_code == 400  # costs nothing
    for n in range(3):
        assert _post(client, csrf, page, action, body=f"Comment {n}").status_code == 303
    assert _post(client, csrf, page, action, body="One more").status_code == 429
    login(world.member)  # another account has its own allowance
    assert _post(client, csrf, page, action, body="Mine").status_code == 303
    ids = db.session.scalars(select(Comment.id).order_by(Comment.id)).all()
    assert _post(client, csrf, page, f"/comments/{ids[0]}/flag", reason="a").status_code == 303
    assert _post(client, csrf, page, f"/comments/{ids[1]}/flag", reason="b").status_code == 429
    assert db.session.scalar(select(func.count(Comment.id))) == 4


def test_authors_and_board_members_are_told_not_the_commenter(client, login, csrf, world,
                                                              mailbox, runner, fresh_limits):
    page = f"/projects/{world.project.id}"
    login(world.member)
    assert _post(client, csrf, page, f"/comments/projects/{world.project.id}",
                 body="Progress?").status_code == 303
    comment = db.session.scalar(select(Comment))
    assert not mailbox.messages  # queued with the comment, sent by the mail worker
    assert "sent 1," in runner.invoke(args=["mail", "send"]).output
    assert mailbox.bodies_to(world.author.email)
    assert not mailbox.bodies_to(world.member.email)
    link = mailbox.last_link(world.author.email, f"/projects/{world.project.id}")
    assert link.endswith(f"#comment-{comment.id}")
    assert "Progress?" not in mailbox.bodies_to(world.author.email)[0]
    assert mailbox.messages[0]["Subject"].strip() == \
        "New comment on the project “Street lights project”"
