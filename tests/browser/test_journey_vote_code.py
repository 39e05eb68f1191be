"""A resident with a voting code from a letter votes on a phone, with and without JavaScript.

With JavaScript the ranking buttons swap only the ballot area (htmx) and the page never
reloads; without it every button is a plain form post. Either way the resident ends with a
receipt code that the public tracker says is counted.
"""
import re

import pytest
from browser_helpers import AUTUMN_NAME, PHONE, voting_code
from playwright.sync_api import expect

CHOICES = ["Summer youth jobs", "Late-night youth centre", "Safe routes to school"]


def expect_chosen(page, nth: str, title: str) -> None:
    """The ranking on top lists ``title`` as the ``nth`` ("1st") choice, and its card says so."""
    n = int(nth[:-2])
    expect(page.locator("#ranking .choice-title").nth(n - 1)).to_have_text(title)
    card = page.locator(".proposal-card").filter(has=page.get_by_role("heading", name=title))
    expect(card.locator(".rank-mark")).to_have_text(f"{n} {nth} choice")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_resident_votes_with_a_code_on_a_phone(site, new_page, shot, javascript):
    code = voting_code(site)
    page = new_page(**PHONE, java_script_enabled=javascript)

    page.goto("/")
    expect(page.get_by_role("heading", name=f"Now: {AUTUMN_NAME}")).to_be_visible()
    page.get_by_role("link", name="vote with the code from your letter", exact=True).click()
    expect(page.get_by_role("heading", name=f"Vote with a code: {AUTUMN_NAME}")).to_be_visible()
    # typed as a person might: lower case, spaces instead of hyphens
    page.get_by_label("Voting code").fill(code.lower().replace("-", " "))
    shot(page, "code-entered")
    page.get_by_role("button", name="Continue to the ballot").click()
    expect(page.get_by_role("heading", name=f"Ballot: {AUTUMN_NAME}")).to_be_visible()
    shot(page, "ballot")
    if javascript:  # a marker that a full page load would wipe out
        page.evaluate("() => { window.stillThisPage = true; }")

    ranking = page.locator("#ranking")
    status = ranking.get_by_role("status")
    for n, title in enumerate(CHOICES, start=1):
        page.get_by_role("button", name=f"Add {title} to your ranking").click()
        nth = {1: "1st", 2: "2nd", 3: "3rd"}[n]
        expect(status).to_have_text(f"{title} added as your {nth} choice.")
        expect_chosen(page, nth, title)
    # the third choice becomes the first: move it up twice
    page.get_by_role("button", name="Move up: 3rd choice").click()
    expect(status).to_have_text("Safe routes to school is now your 2nd choice.")
    page.get_by_role("button", name="Move up: 2nd choice").click()
    expect(status).to_have_text("Safe routes to school is now your 1st choice.")
    expected = [CHOICES[2], CHOICES[0], CHOICES[1]]
    for nth, title in zip(("1st", "2nd", "3rd"), expected):
        expect_chosen(page, nth, title)
    for title in CHOICES:  # ranked proposals can no longer be added twice
        expect(page.get_by_role("button", name=f"Add {title} to your ranking")).to_have_count(0)
    if javascript:
        assert page.evaluate("() => window.stillThisPage === true"), "the page was reloaded"
    shot(page, "ranked")

    page.get_by_role("button", name="Review my ballot").click()
    expect(page.get_by_role("heading", name="Check your ballot")).to_be_visible()
    items = page.get_by_role("main").get_by_role("listitem")
    expect(items).to_have_text([re.compile(rf"^Your {nth} choice is {re.escape(title)} \(cost ")
                                for nth, title in zip(("1st", "2nd", "3rd"), expected)])
    shot(page, "review")
    page.get_by_role("button", name="Cast my ballot").click()

    expect(page.get_by_role("heading", name="Thank you: your ballot is cast")).to_be_visible()
    receipt = page.locator("#receipt-code")
    expect(receipt).to_have_text(re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4})+$"))
    receipt_code = receipt.inner_text()
    assert receipt_code != code
    shot(page, "receipt")

    page.get_by_role("main").get_by_role("link", name="ballot tracker").click()
    expect(page.get_by_role("heading", name="Ballot tracker")).to_be_visible()
    page.get_by_label("Budget cycle").select_option(label=AUTUMN_NAME)
    page.get_by_label("Receipt code").fill(receipt_code)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Recorded. A ballot with this receipt code is in the ballot box for {AUTUMN_NAME}.")
    shot(page, "tracker-counted")

    # the code is spent: a second ballot with it is refused
    page.goto("/vote/2026-autumn/code")
    page.get_by_label("Voting code").fill(code)
    page.get_by_role("button", name="Continue to the ballot").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Ballot: {AUTUMN_NAME}")).to_have_count(0)
