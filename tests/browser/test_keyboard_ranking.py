"""Ranking with the keyboard alone: Tab and Shift+Tab to move, Enter and Space to press.

After each edit the focus must stay on a control that makes sense for what was just done, not
fall back to the top of the page: the next proposal's Add after adding one, the moved choice's
own button after moving it, the choice that took the removed one's place after removing. With
JavaScript the edit swaps only the ballot area (htmx); without it the page reloads and the
browser puts the focus back where it belongs.
"""
import re

import pytest
from browser_helpers import AUTUMN_NAME, voting_code
from playwright.sync_api import expect

#: how many key presses may reach a control before we call the page unreachable by keyboard
MAX_PRESSES = 80
IS_FOCUSED = "e => e === document.activeElement"
#: +1 when the target comes after the focused element in the document, -1 when before
DIRECTION = """e => { const a = document.activeElement;
  if (!a || a === document.body) return 1;
  return a.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING ? 1 : -1; }"""


def tab_to(page, target) -> None:
    """Press Tab (or Shift+Tab, if the target lies behind) until ``target`` has the focus."""
    key = "Tab" if target.evaluate(DIRECTION) > 0 else "Shift+Tab"
    for _ in range(MAX_PRESSES):
        if target.evaluate(IS_FOCUSED):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {target}")


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def next_to_rank(listed: list[str], added: str, ranked: list[str]) -> str:
    """The proposal after ``added`` in the list not yet ranked (else the last one before it)."""
    i = listed.index(added)
    after = [t for t in listed[i + 1:] if t not in ranked]
    return after[0] if after else [t for t in listed[:i] if t not in ranked][-1]


def ranking(page) -> list[str]:
    """The ranking as shown at the top of the ballot: the chosen proposals' titles, in order."""
    return page.locator("#ranking .choice-title").all_inner_texts()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_rank_with_the_keyboard_only(site, new_page, shot, javascript):
    code = voting_code(site)
    page = new_page(java_script_enabled=javascript)
    page.goto("/vote/2026-autumn/code")
    tab_to(page, page.get_by_label("Voting code"))
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Ballot: {AUTUMN_NAME}")).to_be_visible()
    listed = page.locator("#ballot-area .proposal-card h3").all_inner_texts()
    status = page.locator("#ranking").get_by_role("status")
    focused = page.locator(":focus")

    # Add three proposals: one with Enter, one behind it (Shift+Tab), one with Space.
    first, second, third = listed[3], listed[1], listed[5]
    ranked = []
    for title, key, nth in ((first, "Enter", "1st"), (second, "Enter", "2nd"),
                            (third, "Space", "3rd")):
        tab_to(page, button(page, f"Add {title} to your ranking"))
        page.keyboard.press(key)
        ranked.append(title)
        expect(status).to_have_text(f"{title} added as your {nth} choice.")
        # the focus moves on to the next proposal in the list still to rank
        expect(focused).to_have_attribute(
            "aria-label", f"Add {next_to_rank(listed, title, ranked)} to your ranking")
        assert ranking(page) == ranked
    shot(page, "three-added")

    # Move the third choice to the top: the focus follows it.
    tab_to(page, button(page, "Move up: 3rd choice"))
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"{third} is now your 2nd choice.")
    expect(focused).to_have_attribute("aria-label", "Move up: 2nd choice")
    page.keyboard.press("Space")  # still on the same choice's button
    expect(status).to_have_text(f"{third} is now your 1st choice.")
    expect(focused).to_have_attribute("aria-label", "Move down: 1st choice")
    assert ranking(page) == [third, first, second]
    shot(page, "moved-up")

    # Remove the second choice: the focus goes to the choice that took its place.
    tab_to(page, button(page, "Remove your 2nd choice"))
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"{first} removed from your ranking.")
    expect(focused).to_have_attribute("aria-label", "Remove your 2nd choice")
    assert ranking(page) == [third, second]
    # and the removed proposal can be added again from the list
    expect(button(page, f"Add {first} to your ranking")).to_have_count(1)
    shot(page, "removed")

    tab_to(page, button(page, "Review my ballot"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your ballot")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_text([
        re.compile(rf"^Your 1st choice is {re.escape(third)} "),
        re.compile(rf"^Your 2nd choice is {re.escape(second)} ")])
    shot(page, "review")
