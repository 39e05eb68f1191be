"""The look: one vendored stylesheet on every page, and pages a phone can read without zooming out.

Guards against a page that forgets the stylesheet (an unstyled form on a phone is unusable) and
against content wider than the screen, which makes a phone shrink the whole page to fit.
"""
import pytest
from browser_helpers import PHONE
from playwright.sync_api import expect
from test_accessibility import LINKED_PAGES, PUBLIC_PAGES

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

SHEETS_JS = "() => [...document.styleSheets].map(s => s.href && new URL(s.href).pathname)"
#: how far the page reaches beyond the screen, and what reaches that far
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap'))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  return {extra: document.documentElement.scrollWidth - width, wide};
}"""


HEADING_SIZES_JS = """() => {
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  return {h1: size(document.querySelector('main h1')),
          h2: [...document.querySelectorAll('main h2')].map(size)};
}"""


def test_every_public_page_is_styled_alike_and_fits_a_phone(new_page):
    page = new_page(**PHONE)
    paths = list(PUBLIC_PAGES)
    for index, link in LINKED_PAGES:
        page.goto(index)
        paths.append(page.locator(link).first.get_attribute("href"))
    wide, small = {}, {}
    for path in paths:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        sheets = [s for s in page.evaluate(SHEETS_JS) if s]
        assert sheets[:2] == ["/static/vendor/pico-2.1.1/pico.min.css", "/static/css/site.css"], path
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow["extra"] > 0:
            wide[path] = overflow
        sizes = page.evaluate(HEADING_SIZES_JS)
        if sizes["h2"] and sizes["h1"] <= max(sizes["h2"]):
            small[path] = sizes
    assert not wide, f"pages wider than a 390-pixel phone: {wide}"
    assert not small, f"h1 not larger than every h2 at 390 px (issue 23): {small}"


def test_the_stylesheet_applies_and_follows_the_dark_scheme(new_page):
    def colours(scheme):
        page = new_page(**PHONE, color_scheme=scheme)
        page.goto("/vote/2026-autumn/code")
        button = page.get_by_role("button", name="Continue to the ballot")
        return page.evaluate("""b => ({
            body: getComputedStyle(document.documentElement).backgroundColor,
            button: getComputedStyle(b).backgroundColor,
            width: b.getBoundingClientRect().width, screen: document.documentElement.clientWidth,
            font: getComputedStyle(document.body).fontFamily})""", button.element_handle())

    light, dark = colours("light"), colours("dark")
    assert light["body"] == "rgb(255, 255, 255)"
    assert dark["body"] != light["body"]  # Pico's dark scheme, not white
    assert light["button"] == "rgb(1, 114, 173)"  # Pico's primary, not the browser's grey
    assert "serif" not in light["font"].replace("sans-serif", "")  # not the browser's Times
    # a phone-sized submit button spans the column, an easy target for a thumb
    assert light["width"] > light["screen"] * 0.8
