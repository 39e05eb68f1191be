"""A staff member signs in on a phone with the city's identity provider (issue 21, part 4).

The provider is a small OpenID Connect server in the test process (``tests/auth/oidc_provider``)
whose sign-in page has one button; the site's server is pointed at it through ``site_settings``.
Every page of the site on the way is checked by axe.
"""
import pytest
from browser_helpers import AXE_CONTEXT, PHONE, axe_problems, describe
from playwright.sync_api import expect

from tests.auth.oidc_provider import Provider

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

EMAIL = "olu.officer@example.org"


@pytest.fixture(scope="module")
def provider():
    running = Provider().start()
    running.interactive = True
    running.person = {"sub": "city-4711", "email": EMAIL, "email_verified": True,
                      "name": "Olu Officer"}
    yield running
    running.stop()


@pytest.fixture(scope="module")
def site_settings(provider):
    return provider.settings()


def test_staff_sign_in_with_the_city_provider_on_a_phone(site, provider, new_page, shot):
    from werkzeug.security import generate_password_hash

    from pbapp.auth.models import User
    from pbapp.extensions import db
    from pbapp.models_base import utcnow

    with site.context():
        db.session.add(User(email=EMAIL, name="Olu Officer", role="staff",
                            email_verified_at=utcnow(), password_hash=generate_password_hash(
                                "a password never used here", method="pbkdf2:sha256:1000")))
        db.session.commit()
        db.session.remove()

    page = new_page(**PHONE, **AXE_CONTEXT)
    problems = {}
    page.goto("/auth/login")
    expect(page.get_by_role("heading", name="Staff and board members")).to_be_visible()
    problems["sign-in"] = axe_problems(page)
    shot(page, "sign-in")
    page.get_by_role("link", name="Sign in with Test City ID").click()

    expect(page.get_by_role("heading", name="Test City ID")).to_be_visible()
    page.get_by_role("button", name="Continue as Olu Officer").click()

    expect(page.get_by_text("Signed in as Olu Officer.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out (Olu Officer)", include_hidden=True)
           ).to_be_attached()
    problems["signed-in"] = axe_problems(page)
    shot(page, "signed-in")
    page.goto("/staff/audit/")  # the staff role is this site's, and works at once
    expect(page.locator("p").filter(has_text="linked the account to its identity")
           ).to_contain_text("Olu Officer")
    assert not any(problems.values()), describe(problems)
