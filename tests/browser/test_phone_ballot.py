"""The ballot on a phone (issue 18), with and without JavaScript, in English and Spanish.

One way to rank (Add, Move, Remove buttons, no selects); the ranking on top and each chosen
card showing its rank number; the budget used so far; the ranking still there after reading a
proposal and coming back; on the review page a cast button unlike "change" and unlike the
language switch's button; a receipt that can be copied, printed and downloaded. Nothing on the
ballot, review or receipt page is wider than a 390-pixel screen, and axe finds nothing serious.
Screenshots of the three pages at phone and desktop size are saved for a person to look at.
"""
import re
from pathlib import Path

import pytest
from browser_helpers import AUTUMN, AXE_CONTEXT, PHONE, axe_problems, describe, voting_code
from playwright.sync_api import expect
from test_look import OVERFLOW_JS

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WORDS = {
    "en": {"locale": "en-GB", "nth": ["1st choice", "2nd choice", "3rd choice"],
           "budget": "Budget used", "copied": "Copied"},
    "es": {"locale": "es-ES", "nth": ["Opción 1", "Opción 2", "Opción 3"],
           "budget": "Presupuesto usado", "copied": "Copiado"},
}
CASES = [(True, "en", PHONE), (False, "en", PHONE), (True, "es", PHONE), (False, "es", PHONE),
         (True, "en", DESKTOP)]


def fits(page, problems: dict, where: str) -> None:
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["extra"] > 0:
        problems[where] = overflow


def style(locator, prop: str) -> str:
    return locator.evaluate(f"(e, p) => getComputedStyle(e).getPropertyValue(p)", prop)


@pytest.mark.parametrize("javascript, language, screen", CASES,
                         ids=["phone-js", "phone-no-js", "phone-js-es", "phone-no-js-es",
                              "desktop-js"])
def test_rank_keep_review_cast_and_keep_the_receipt(site, new_page, shot, javascript, language,
                                                   screen):
    words = WORDS[language]
    code = voting_code(site)
    page = new_page(**screen, **AXE_CONTEXT, java_script_enabled=javascript,
                    locale=words["locale"], accept_downloads=True,
                    permissions=["clipboard-read", "clipboard-write"])
    wide, axe = {}, {}
    page.goto(f"/vote/{AUTUMN}/code")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#code").fill(code)
    page.locator("main form button[type=submit]").click()
    ballot_url = f"/vote/{AUTUMN}/code/ballot"
    expect(page).to_have_url(re.compile(re.escape(ballot_url) + "$"))

    # one way to rank: buttons, no selects
    expect(page.locator("main select")).to_have_count(0)
    cards = page.locator(".proposal-card")
    titles = cards.locator("h3").all_inner_texts()
    chosen = [titles[4], titles[0], titles[2]]
    for n, title in enumerate(chosen, start=1):
        cards.filter(has=page.get_by_role("heading", name=title, exact=True)) \
            .locator("button[value^='add:']").click()
        expect(page.locator("#ranking .choice-title")).to_have_count(n)
    ranked = page.locator("#ranking .choice-title")

    def check_ranks() -> None:
        expect(ranked).to_have_text(chosen)
        for n, title in enumerate(chosen, start=1):
            card = cards.filter(has=page.get_by_role("heading", name=title, exact=True))
            expect(card.locator(".rank-mark")).to_have_text(f"{n} {words['nth'][n - 1]}")
        expect(cards.locator(".rank-mark")).to_have_count(len(chosen))
        # the cycle's rule (equal shares) spends a budget: the cost so far is shown
        expect(page.locator("#ballot-summary")).to_contain_text(words["budget"])

    check_ranks()
    fits(page, wide, "ballot")
    axe["ballot"] = axe_problems(page) if javascript else []  # axe runs only with JavaScript
    shot(page, "ballot")

    # read a proposal, come back: the ranking is still there
    cards.first.locator("h3 a").click()
    expect(page.locator(".proposal-card")).to_have_count(0)
    page.goto(ballot_url)
    check_ranks()

    page.locator("#op-review").click()
    cast, change = page.locator("#cast-ballot"), page.locator("#change-ballot")
    expect(cast).to_be_visible()
    language_switch = page.locator("footer .language button")
    assert cast.inner_text() not in (change.inner_text(), language_switch.inner_text())
    for other in (change, language_switch):  # it looks unlike both
        assert (style(cast, "background-color"), style(cast, "font-weight")) != \
            (style(other, "background-color"), style(other, "font-weight"))
    # changing reads as a link; casting is the one filled, full-width button in its own box
    assert "underline" in style(change, "text-decoration-line")
    assert "underline" not in style(cast, "text-decoration-line")
    box = page.locator(".cast-box").bounding_box()
    assert cast.bounding_box()["width"] > 0.8 * box["width"]
    assert not change.evaluate("e => !!e.closest('.cast-box')")
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_count(3)
    fits(page, wide, "review")
    axe["review"] = axe_problems(page) if javascript else []  # axe runs only with JavaScript
    shot(page, "review")

    cast.click()
    receipt = page.locator("#receipt-code")
    expect(receipt).to_have_text(re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4})+$"))
    receipt_code = receipt.inner_text()
    assert style(receipt, "user-select") == "all"  # one tap selects it, JavaScript or not
    copy = page.locator("[data-receipt-action=copy]")
    printing = page.locator("[data-receipt-action=print]")
    if javascript:
        expect(copy).to_be_visible()
        expect(printing).to_be_visible()
        copy.click()
        expect(page.locator("#receipt-status")).to_contain_text(words["copied"])
        assert page.evaluate("() => navigator.clipboard.readText()") == receipt_code
    else:  # no button that would do nothing; the browser's own print is named instead
        expect(copy).to_be_hidden()
        expect(printing).to_be_hidden()
        expect(page.locator("main noscript")).to_have_count(1)
    with page.expect_download() as download:
        page.locator("#receipt-download").click()
    assert download.value.suggested_filename == f"receipt-{AUTUMN}.txt"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert receipt_code in text and "/vote/tracker" in text
    fits(page, wide, "receipt")
    axe["receipt"] = axe_problems(page) if javascript else []  # axe runs only with JavaScript
    shot(page, "receipt")

    assert not wide, f"wider than the screen: {wide}"
    assert not any(axe.values()), describe(axe)
