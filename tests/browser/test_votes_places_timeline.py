"""Issue 19 in the browser, with JavaScript off (everything works without it): the results'
polling places, the cycle page sorted by the votes through its links (and axe on it: the sorted
page is not in the route matrix, whose pages the every-page axe test checks), a proposal's votes
and timeline, a project's timeline, and staff's list of polling places."""
import re

import pytest
from browser_helpers import (AXE_CONTEXT, PHONE, STAFF, STAFF_NAME, axe_problems, describe,
                             sign_in)
from playwright.sync_api import expect

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_votes_places_and_timelines_without_javascript(new_page, shot, site):
    from sqlalchemy import select

    from pbapp.extensions import db
    from pbapp.projects.models import Project

    with site.context():
        project = db.session.scalar(select(Project).order_by(Project.id).limit(1))
        project_id, proposal_id = project.id, project.proposal_id
        db.session.remove()
    page = new_page(**PHONE, java_script_enabled=False)
    checked = new_page(**PHONE, **AXE_CONTEXT)  # axe needs a script: the same pages, read by it
    problems = {}

    def axe(name: str) -> None:
        checked.goto(page.url)
        problems[name] = axe_problems(checked)

    page.goto("/cycles/2026-spring/results")
    places = page.locator("#polling-places + .table-wrap table")
    expect(places).to_contain_text("Riverside Library")
    expect(places).to_contain_text("Eastfield Community Centre")

    page.goto("/cycles/2026-spring")
    page.get_by_role("link", name="Funded first, by round").click()
    assert page.url.endswith("sort=outcome")
    expect(page.get_by_role("link", name="Funded first, by round")).to_have_attribute(
        "aria-current", "true")
    first_row = page.locator("main table tbody tr").first
    expect(first_row).to_contain_text("Funded in round 1")
    axe("cycle sorted")
    shot(page, "cycle-sorted")

    page.goto(f"/proposals/{proposal_id}")
    expect(page.locator("#the-vote + dl")).to_contain_text("First preferences")
    expect(page.locator("section.timeline li").first).to_be_visible()

    page.goto(f"/projects/{project_id}")
    timeline = page.locator("section.timeline")
    expect(timeline).to_contain_text("Became a funded project")
    expect(timeline.locator("time").first).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\d$"))
    shot(page, "project-timeline")

    staff = new_page(**AXE_CONTEXT)
    sign_in(staff, STAFF, STAFF_NAME)
    staff.goto("/staff/paper/2026-spring/places")
    expect(staff.locator("main table")).to_contain_text("Riverside Library")
    assert not any(problems.values()), describe(problems)
