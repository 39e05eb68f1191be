"""A resident follows a proposal, staff decide on it, the email arrives (a real SMTP server in
the test process) with its one-click unsubscribe, and the resident stops following from it."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from browser_helpers import (AXE_CONTEXT, CHAIR, CHAIR_NAME, STAFF, STAFF_NAME, axe_problems,
                             describe, sign_in)
from playwright.sync_api import expect
from sqlalchemy import select

from pbapp.extensions import db

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TITLE = "Benches by the bus station"


def _submitted_proposal(site) -> int:
    """A proposal of the East board waiting for review, in a cycle of its own."""
    from pbapp.auth.models import User
    from pbapp.boards.models import Board
    from pbapp.cycles.models import Cycle
    from pbapp.proposals.models import Proposal

    with site.context():
        board = db.session.scalar(select(Board).where(Board.slug == "east-safety"))
        chair = db.session.scalar(select(User).where(User.email == CHAIR))
        cycle = Cycle(slug="2027-follow", name="Follow journey cycle", phase="review",
                      budget_cents=10_000_00)
        db.session.add(cycle)
        db.session.flush()
        proposal = Proposal(cycle_id=cycle.id, board_id=board.id, author_id=chair.id,
                            title=TITLE, summary="Somewhere to wait", cost_cents=5_000_00,
                            status="submitted")
        db.session.add(proposal)
        db.session.commit()
        ident = proposal.id
        db.session.remove()
    return ident


def _mail_to(site, address: str, wait: float = 15.0):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = [m for m in site.mailbox.messages if address in m["To"]]
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"no email to {address}")


def test_follow_be_told_and_unsubscribe_in_one_click(site, new_page, shot):
    proposal_id = _submitted_proposal(site)
    follower = new_page(**AXE_CONTEXT)
    sign_in(follower, CHAIR, CHAIR_NAME)
    follower.goto(f"/proposals/{proposal_id}")
    follower.get_by_role("button", name="Follow", exact=True).click()
    expect(follower.get_by_text(f"You follow “{TITLE}”")).to_be_visible()
    expect(follower.get_by_role("button", name="Stop following")).to_be_visible()
    shot(follower, "following")

    staff = new_page()
    sign_in(staff, STAFF, STAFF_NAME)
    staff.goto(f"/proposals/{proposal_id}/review")
    staff.get_by_label("Accept onto the ballot").check()
    staff.get_by_role("button", name="Record decision").click()
    expect(staff.get_by_role("heading", name=f"{TITLE} Accepted")).to_be_visible()

    message = _mail_to(site, CHAIR)
    body = message.get_body(("plain",)).get_content()
    assert f"“{TITLE}” is now: Accepted." in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip()[1:-1]
    assert link in body
    assert not [m for m in site.mailbox.messages if STAFF in m["To"]]

    follower.goto(urlsplit(link).path)
    expect(follower.get_by_text(f"Stop following “{TITLE}”?")).to_be_visible()
    assert not axe_problems(follower), describe({"unsubscribe": axe_problems(follower)})
    follower.get_by_role("button", name="Yes, stop these emails").click()
    expect(follower.get_by_text(f"Done: you no longer follow “{TITLE}”")).to_be_visible()
    shot(follower, "unsubscribed")
    follower.goto(f"/proposals/{proposal_id}")
    expect(follower.get_by_role("button", name="Follow", exact=True)).to_be_visible()
