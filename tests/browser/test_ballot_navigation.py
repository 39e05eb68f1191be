"""Issue 23: the ballot without JavaScript keeps its ranking across navigation, and charts follow
the dark colour scheme.

Every ballot POST answers 303 to a GET page, so the history holds no POST page: a resident who
opens a proposal from the ballot and comes back with Back gets no "Confirm form resubmission"
and finds the ranking still there; from the review step, Back and Forward do the same.
"""
import re

import pytest
from browser_helpers import AUTUMN, AXE_CONTEXT, PHONE, SPRING, axe_problems, describe, voting_code
from playwright.sync_api import expect

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def ranked(page) -> list[str]:
    return page.locator("#ranking .choice-title").all_inner_texts()


def test_no_js_ballot_survives_opening_a_proposal_and_coming_back(site, new_page):
    page = new_page(**PHONE, java_script_enabled=False)
    page.goto(f"/vote/{AUTUMN}/code")
    page.locator("#code").fill(voting_code(site))
    page.locator("main form button[type=submit]").click()
    ballot_url = re.compile(re.escape(f"/vote/{AUTUMN}/code/ballot") + "$")
    expect(page).to_have_url(ballot_url)
    cards = page.locator(".proposal-card")
    first, second = (cards.nth(i).locator("h3 a").inner_text() for i in (1, 0))
    cards.nth(1).get_by_role("button", name="Add").click()
    page.locator(".proposal-card").nth(0).get_by_role("button", name="Add").click()
    expect(page).to_have_url(ballot_url)  # the edit's 303 led back to the ballot's GET
    assert ranked(page) == [first, second]

    page.get_by_role("link", name=second, exact=True).first.click()
    expect(page.locator("main h1")).to_contain_text(second)
    response = page.go_back()
    assert response is not None and response.status == 200 and response.request.method == "GET"
    expect(page).to_have_url(ballot_url)
    assert ranked(page) == [first, second]

    page.get_by_role("button", name="Review my ballot").click()
    expect(page).to_have_url(re.compile(re.escape(f"/vote/{AUTUMN}/code/review") + "$"))
    expect(page.locator(".review-list li")).to_have_count(2)
    assert page.go_back().request.method == "GET"
    assert ranked(page) == [first, second]
    assert page.go_forward().request.method == "GET"
    expect(page.locator(".review-list li")).to_have_count(2)
    # nothing was cast on the way
    expect(page.get_by_role("button", name="Cast my ballot")).to_be_visible()


def test_charts_follow_the_dark_scheme(site, new_page):
    page = new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark", **AXE_CONTEXT)
    problems = {}
    for path in (f"/cycles/{SPRING}/results", f"/reports/cycles/{SPRING}"):
        page.goto(path)
        chart = page.locator("svg.pygal-chart").first
        expect(chart).to_be_visible()
        colours = chart.evaluate("""svg => ({
            ground: getComputedStyle(svg.querySelector('.graph > .background')).fill,
            text: getComputedStyle(svg.querySelector('.title, .axis text')).fill,
            page: getComputedStyle(document.body).backgroundColor})""")
        assert colours["ground"] != "rgb(255, 255, 255)", (path, colours)
        assert _contrast(colours["text"], colours["ground"]) >= 7, (path, colours)
        if path.endswith("/results"):  # axe on one page: the long report takes it 15 s more
            problems[path] = axe_problems(page)
    assert not any(problems.values()), describe(problems)


def _contrast(one: str, two: str) -> float:
    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
