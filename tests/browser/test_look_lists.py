"""The look at 390 px: a one-line header whose menu opens from the keyboard without script, and
the proposal and project lists as cards with their counts and progress, nothing sideways."""
import re

import pytest
from browser_helpers import AXE_CONTEXT, PHONE, STAFF, STAFF_NAME, axe_problems, describe, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
LISTS = ["/proposals/", "/projects/"]
#: the header's height against one line of its tallest item, and how far the page reaches sideways
HEADER_JS = """() => {
  const header = document.querySelector('.site-header');
  const items = [...header.querySelectorAll('.brand, .site-menu > summary')];
  const boxes = items.map(e => e.getBoundingClientRect());
  const tallest = Math.max(...boxes.map(b => b.height));
  const line = Math.max(...boxes.map(b => b.bottom)) - Math.min(...boxes.map(b => b.top));
  return {height: header.getBoundingClientRect().height, tallest, line,
          extra: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_header_is_one_line_and_lists_fit(new_page, shot, javascript):
    page = new_page(**PHONE, java_script_enabled=javascript, **AXE_CONTEXT)
    for path in LISTS:
        page.goto(path)
        look = page.evaluate(HEADER_JS)
        assert look["line"] <= look["tallest"] + 1, f"brand and menu on two lines: {look}"
        assert look["height"] < look["tallest"] * 2, f"header taller than one line: {look}"
        assert look["extra"] <= 0, f"{path} is wider than the phone: {look}"
        expect(page.locator("main .cards > li").first).to_be_visible()
        if javascript:  # axe needs script; the markup is the same without it
            problems = axe_problems(page)
            assert not problems, describe({path: problems})
        shot(page, path.strip("/") + ("" if javascript else "-no-js"))
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Proposals")).to_be_hidden()
    page.locator(".site-menu > summary").focus()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="Proposals")).to_be_visible()
    assert page.evaluate(HEADER_JS)["extra"] <= 0
    if javascript:
        problems = axe_problems(page)
        assert not problems, describe({"menu open": problems})
    shot(page, "menu-open" + ("" if javascript else "-no-js"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cycles/$"))


def test_desktop_shows_every_link_and_no_menu_button(new_page, shot):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto("/projects/")
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Budget cycles", "Proposals", "Projects", "Sign in"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    expect(page.locator(".card-progress progress").first).to_be_visible()
    shot(page, "projects-desktop")
    page.goto("/proposals/")
    expect(page.locator(".tallies")).to_contain_text("By status:")
    shot(page, "proposals-desktop")


def test_signed_in_staff_on_a_phone_find_sign_out_in_the_menu(new_page):
    page = new_page(**PHONE, **AXE_CONTEXT)
    sign_in(page, STAFF, STAFF_NAME)
    page.goto("/projects/")
    page.locator(".site-menu > summary").click()
    expect(page.get_by_role("button", name=f"Sign out ({STAFF_NAME})")).to_be_visible()
    assert page.evaluate(HEADER_JS)["extra"] <= 0
    problems = axe_problems(page)
    assert not problems, describe({"staff menu": problems})
