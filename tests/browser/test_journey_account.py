"""A resident who forgot their password resets it from the emailed link on a phone, then
changes it from their account page (issue 23).

The mail goes through a real SMTP server in the test process; the link is opened in the same
browser, as a resident would tap it in their mail app. Every page on the way is checked by axe.
"""
import uuid

import pytest

from browser_helpers import AXE_CONTEXT, PHONE, axe_problems, describe
from playwright.sync_api import expect

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

FIRST, SECOND = "a reset password for the phone", "and a changed one after that"


def test_reset_a_forgotten_password_from_the_email_then_change_it(site, new_page, shot):
    from werkzeug.security import generate_password_hash

    from pbapp.auth.models import User
    from pbapp.extensions import db
    from pbapp.models_base import utcnow

    email = f"forgetful.{uuid.uuid4().hex[:8]}@example.org"
    with site.context():
        user = User(email=email, name="Fran Forgetful", email_verified_at=utcnow(),
                    password_hash=generate_password_hash("long forgotten password",
                                                         method="pbkdf2:sha256:1000"))
        db.session.add(user)
        db.session.commit()
        db.session.remove()

    page = new_page(**PHONE, **AXE_CONTEXT)
    problems = {}
    page.goto("/auth/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    problems["forgot"] = axe_problems(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_text(f"We have sent an email to {email}")).to_be_visible()
    problems["sent"] = axe_problems(page)
    shot(page, "link-sent")

    link = site.mailbox.last_link(email, "/auth/password/reset/")
    page.goto(link.replace("http://localhost", site.url))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    problems["reset"] = axe_problems(page)
    page.get_by_label("New password").fill(FIRST)
    page.get_by_label("Repeat the password").fill(FIRST)
    shot(page, "choose")
    page.get_by_role("button", name="Save my password").click()
    expect(page.get_by_text("Your new password is saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    problems["account"] = axe_problems(page)

    page.goto(link.replace("http://localhost", site.url))  # the link worked once
    expect(page.get_by_text("This link has already been used")).to_be_visible()

    page.goto("/auth/account")
    page.get_by_role("link", name="Change your password").click()
    problems["change"] = axe_problems(page)
    page.get_by_label("Current password").fill("not the right one at all")
    page.get_by_label("New password").fill(SECOND)
    page.get_by_label("Repeat the password").fill(SECOND)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your current password is not right")).to_be_visible()
    problems["change-refused"] = axe_problems(page)
    page.get_by_label("Current password").fill(FIRST)
    page.get_by_label("New password").fill(SECOND)
    page.get_by_label("Repeat the password").fill(SECOND)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    shot(page, "changed")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the account page scrolls sideways on a phone ({width} px)"
    assert not any(problems.values()), describe(problems)
    with site.context():
        from sqlalchemy import select

        stored = db.session.scalar(select(User).where(User.email == email))
        assert stored.check_password(SECOND)
        db.session.remove()
