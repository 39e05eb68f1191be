"""A resident on the roll signs up on a phone, follows the link emailed to them, and votes.

The mail goes through a real SMTP server in the test process; the link is opened in the same
browser, as a resident would tap it in their mail app. Before the link is followed the account
cannot vote (one person, one ballot: nobody can vote as an address they do not own).
"""
import uuid

import pytest

from browser_helpers import AUTUMN, AUTUMN_NAME, PHONE
from playwright.sync_api import expect

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PASSWORD = "a long sign-up password"


def test_sign_up_confirm_by_email_and_vote(site, new_page, shot):
    from sqlalchemy import select

    from pbapp.cycles.models import Cycle, Neighbourhood
    from pbapp.extensions import db
    from pbapp.voting.models import VoterRollEntry

    email = f"new.{uuid.uuid4().hex[:8]}@example.org"
    with site.context():  # the council's roll already lists this resident
        cycle = db.session.scalar(select(Cycle).where(Cycle.slug == AUTUMN))
        cycle_id = cycle.id
        riverside = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug ==
                                                                  "riverside"))
        db.session.add(VoterRollEntry(cycle_id=cycle.id, reference=f"R-{email}",
                                      name="Noor New", email=email,
                                      neighbourhood_id=riverside.id))
        db.session.commit()
        db.session.remove()

    page = new_page(**PHONE)
    page.goto("/auth/register")
    page.get_by_label("Name").fill("Noor New")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Neighbourhood").select_option(label="Riverside")
    shot(page, "sign-up")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"We have sent a link to {email}")).to_be_visible()
    shot(page, "link-sent")

    page.goto(f"/vote/{AUTUMN}")
    expect(page.get_by_text("Confirm your email address first")).to_be_visible()
    shot(page, "not-yet")

    link = site.mailbox.last_link(email, "/auth/verify/")
    page.goto(link.replace("http://localhost", site.url))
    shot(page, "confirm")
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_text("your email address is confirmed")).to_be_visible()

    page.goto(f"/vote/{AUTUMN}")
    expect(page.get_by_role("heading", name=f"Ballot: {AUTUMN_NAME}")).to_be_visible()
    page.get_by_role("button", name="Add Summer youth jobs to your ranking").click()
    expect(page.locator("#ranking .choice-title")).to_have_text(["Summer youth jobs"])
    page.get_by_role("button", name="Review my ballot").click()
    expect(page.get_by_role("heading", name="Check your ballot")).to_be_visible()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", name="Thank you: your ballot is cast")).to_be_visible()
    shot(page, "receipt")
    with site.context():
        from pbapp.voting.models import Participation

        voted = db.session.scalar(select(Participation.roll_checked).where(
            Participation.cycle_id == cycle_id, Participation.channel == "online"))
        db.session.remove()
    assert voted is True
