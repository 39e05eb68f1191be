"""A resident on a phone opens a metric, follows its link to the data-sharing agreement behind
it and reads it: who shares what, the consent text, how to object (issue 21, part 2). Both
pages are checked by axe and must not scroll sideways."""
import pytest

from browser_helpers import AXE_CONTEXT, PHONE, axe_problems, describe
from playwright.sync_api import expect

#: the server side of this journey is tested on both databases through the test client; in the
#: browser it runs on SQLite (the cycle's own journeys, test_journey_vote_code and
#: test_journey_board_and_staff, run on PostgreSQL too)
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_resident_reads_the_agreement_behind_a_metric(site, new_page, shot):
    problems = {}
    page = new_page(**PHONE, **AXE_CONTEXT)
    page.goto("/metrics/feel-safe")
    problems["metric page"] = axe_problems(page)
    page.get_by_role("link", name="Resident safety survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resident safety survey")
    expect(page.get_by_role("heading", name="What residents are asked to agree to")).to_be_visible()
    expect(page.get_by_text("Your answers are anonymous.")).to_be_visible()
    expect(page.get_by_role("link", name="How we protect small numbers")).to_be_visible()
    expect(page.get_by_role("link", name="data-protection@example.org")).to_be_visible()
    problems["agreement page"] = axe_problems(page)
    shot(page, "agreement")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the agreement page scrolls sideways on a phone ({width} px)"
    assert not any(problems.values()), describe(problems)
