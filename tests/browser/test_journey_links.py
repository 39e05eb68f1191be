"""Pages that lead somewhere (issue 23): a resident follows results → proposal → project →
results by links alone; the home page shows both cycles open for voting; the footer leads to
the open data page, which is axe-clean and leads to the API's index. Without JavaScript, as the
links must work for everyone."""
import re

import pytest

from browser_helpers import AUTUMN_NAME, AXE_CONTEXT, SPRING_NAME, axe_problems, describe
from playwright.sync_api import expect

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

YOUTH_NAME = "Youth fund 2026: vote with your letter code"


def test_results_proposal_project_and_back_by_links_alone(new_page, shot):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    # both cycles open for voting, each with its close and a way to vote
    for name in (AUTUMN_NAME, YOUTH_NAME):
        section = page.locator("section.current", has=page.get_by_role("heading",
                                                                        name=f"Now: {name}"))
        expect(section).to_contain_text("Voting is open until")
        expect(section.get_by_role("link", name=re.compile(r"^Vote"))).to_be_visible()
    shot(page, "home-two-open")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Budget cycles").click()
    page.get_by_role("link", name=SPRING_NAME).click()
    page.get_by_role("link", name="Results, round by round").click()
    expect(page.get_by_role("heading", level=1, name=f"Results: {SPRING_NAME}")).to_be_visible()
    expect(page.get_by_text("counted with Method of Equal Shares")).to_be_visible()
    # a winner that became a project (staff may take one off the list before publishing)
    winner = page.locator("h2:text-is('Funded') + ol > li").filter(
        has=page.get_by_role("link", name=re.compile(r"^the project"))).first
    title = winner.locator("strong").inner_text()

    winner.get_by_role("link", name=title, exact=True).click()  # results → proposal
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(title)))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Funded")
    shot(page, "proposal")
    page.get_by_role("link", name="The project it became: budget, spending and progress").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(title)))).to_be_visible()
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()  # the project page
    shot(page, "project")
    page.get_by_role("link", name="The count that funded it, round by round").click()
    expect(page.get_by_role("heading", level=1, name=f"Results: {SPRING_NAME}")).to_be_visible()

    # the funded project straight from the results page, and every proposal counted
    # its name, for a screen reader, says whose project it is (the table has the same link)
    page.get_by_role("link", name=re.compile(rf"^the project\W+{re.escape(title)}$")).first.click()
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()
    page.go_back()
    table = page.get_by_role("table", name=re.compile("The numbers in the chart"))
    rows = table.locator("tbody tr")
    assert rows.count() > 3 and rows.locator("th a").count() == rows.count()


def test_open_data_from_the_footer_is_axe_clean_and_leads_to_the_api(new_page, shot):
    page = new_page(**AXE_CONTEXT)
    page.goto("/projects/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    expect(page.get_by_role("heading", level=1, name="Open data")).to_be_visible()
    for section in ("The API", "Ballots and results", "Recount it yourself", "Reports",
                    "Metrics", "Feeds"):
        expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
    expect(page.get_by_text("pbapp-tally 2026-spring-ballots.pb", exact=False)).to_be_visible()
    problems = {"open data": axe_problems(page)}
    page.set_viewport_size({"width": 390, "height": 844})
    problems["open data, 390 px"] = axe_problems(page)
    shot(page, "open-data-phone")
    page.get_by_role("link", name="/api/v1/", exact=True).click()
    expect(page.locator("body")).to_contain_text('"openapi"')
    page.go_back()
    page.get_by_role("contentinfo").get_by_label("Language").select_option("es")
    page.get_by_role("contentinfo").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1, name="Datos abiertos")).to_be_visible()
    problems["datos abiertos"] = axe_problems(page)
    assert not any(problems.values()), describe(problems)
