"""A resident shares a story about a project on a phone with JavaScript off, keeps the private
withdrawal link; staff approve it; it then shows on the project's page (issue 21, part 3). Every
page on the way is checked by axe."""
import pytest

from browser_helpers import AXE_CONTEXT, PHONE, axe_problems, describe, sign_in
from playwright.sync_api import expect

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

STORY = "The night bus now waits at the hospital stop, so I get home safe after my shift."


def test_resident_shares_a_story_and_staff_publish_it(site, new_page, shot):
    from sqlalchemy import select

    from pbapp.extensions import db
    from pbapp.projects.models import Project

    with site.context():
        project_id = db.session.scalar(select(Project.id).order_by(Project.id).limit(1))
        db.session.remove()
    problems = {}
    resident = new_page(**PHONE, **AXE_CONTEXT, java_script_enabled=False)
    sign_in(resident, "resident@example.org", "Rosa Resident")
    resident.goto(f"/projects/{project_id}")
    resident.locator("#stories").get_by_role("link", name="Share your story").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Share your story")
    form_url = resident.url.replace(site.url, "")
    resident.get_by_label("Your story").fill(STORY)
    resident.get_by_label("Anonymous").check()
    resident.get_by_label("I agree to publication").check()
    shot(resident, "story form")
    resident.get_by_role("button", name="Send my story").click()
    expect(resident.get_by_role("heading", name="Thank you for your story")).to_be_visible()
    link = resident.locator(".withdraw-link a").get_attribute("href")
    assert "/stories/withdraw/" in link

    staff = new_page(**PHONE, **AXE_CONTEXT, java_script_enabled=False)
    sign_in(staff, "staff@example.org", "Sam Staff")
    staff.goto("/staff/stories")
    story = staff.locator("article.story", has_text=STORY).first
    story.get_by_role("button", name="Approve and publish").click()
    expect(staff.get_by_text("The story is published.")).to_be_visible()

    public = new_page(**PHONE, **AXE_CONTEXT)
    public.goto(f"/projects/{project_id}")
    expect(public.locator("#stories")).to_contain_text(STORY)
    shot(public, "project with the story")
    problems["project page"] = axe_problems(public)
    width = public.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the project page scrolls sideways on a phone ({width} px)"
    checker = new_page(**PHONE, **AXE_CONTEXT)
    sign_in(checker, "resident@example.org", "Rosa Resident")
    checker.goto(form_url)
    problems["story form"] = axe_problems(checker)
    checker.goto(link.replace(site.url, ""))
    problems["withdrawal page"] = axe_problems(checker)
    reviewer = new_page(**PHONE, **AXE_CONTEXT)
    sign_in(reviewer, "staff@example.org", "Sam Staff")
    reviewer.goto("/staff/stories")
    problems["moderation queue"] = axe_problems(reviewer)
    reviewer.goto("/stories")
    problems["stories"] = axe_problems(reviewer)
    assert not any(problems.values()), describe(problems)
