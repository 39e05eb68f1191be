"""A board member adds a progress note to a late action of the demo's action plan on a phone,
with JavaScript off (issue 21, part 1); a resident then reads the note and the action's state on
the public plan page. Every page on the way is checked by axe."""
import pytest

from browser_helpers import AXE_CONTEXT, CHAIR, CHAIR_NAME, PHONE, axe_problems, describe, sign_in
from playwright.sync_api import expect

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

LATE = "Place a youth worker in the emergency department"
NOTE = "The hospital has appointed the youth worker; she starts on Monday."


def test_member_notes_progress_and_the_public_reads_it(site, new_page, shot):
    problems = {}
    member = new_page(**PHONE, **AXE_CONTEXT, java_script_enabled=False)
    sign_in(member, CHAIR, CHAIR_NAME)
    member.goto("/boards/east-safety")
    member.get_by_role("link", name="Eastside community safety action plan").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text("action plan")
    action = member.locator("section.plan-action", has_text=LATE)
    expect(action.locator("h3 .badge")).to_have_text("Late")
    action.get_by_role("link", name="Add a progress note").click()
    expect(member.get_by_role("heading", name="Add a progress note")).to_be_visible()
    form_url = member.url.replace(site.url, "")
    member.get_by_label("Progress note", exact=True).fill(NOTE)
    shot(member, "note")
    member.get_by_role("button", name="Add the note").click()
    expect(member.get_by_text("The progress note was added.")).to_be_visible()

    public = new_page(**PHONE, **AXE_CONTEXT)
    public.goto(member.url.split("#")[0].replace(site.url, ""))
    action = public.locator("section.plan-action", has_text=LATE)
    expect(action).to_contain_text(NOTE)
    expect(action.locator("h3 .badge")).to_have_text("Late")
    expect(public.get_by_role("link", name="Add a progress note")).to_have_count(0)
    problems["plan page"] = axe_problems(public)  # axe needs script; the markup is the same
    checker = new_page(**PHONE, **AXE_CONTEXT)
    sign_in(checker, CHAIR, CHAIR_NAME)
    checker.goto(form_url)
    problems["note form"] = axe_problems(checker)
    shot(public, "public plan")
    width = public.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the plan page scrolls sideways on a phone ({width} px)"
    assert not any(problems.values()), describe(problems)
