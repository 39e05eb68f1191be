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


#: each map's smallest text in CSS pixels (SVG text scaled with its box), the legend's and the
#: table's, the map's ground, and how far the page reaches sideways
MAP_JS = """() => [...document.querySelectorAll('.nmap-panel')].map(panel => {
  const svg = panel.querySelector('svg.nmap');
  const scale = svg.getScreenCTM().a;
  const drawn = [...svg.querySelectorAll('text')].map(t =>
    parseFloat(t.getAttribute('font-size')) * scale);
  const html = [...panel.querySelectorAll('.nmap-legend li, table th, table td, h2')]
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  const halo = [...svg.querySelectorAll('text')].every(t =>
    t.getAttribute('fill') === '#111111' && t.getAttribute('stroke') === '#ffffff');
  return {smallest: Math.min(...drawn, ...html), drawn: drawn.length, halo,
          ground: svg.querySelector('rect').getAttribute('fill'),
          wide: svg.getBoundingClientRect().right - document.documentElement.clientWidth,
          extra: document.documentElement.scrollWidth - document.documentElement.clientWidth};
})"""


def test_maps_read_on_a_phone_in_the_dark_and_the_address_step_is_clean(site, new_page, shot):
    """At 390 px in the dark colour scheme the cycle page, project list and metric page draw
    their maps with no text under 12 px, nothing sideways, dark labels haloed on the maps'
    white ground, and axe finds nothing; then the resident passes the address step of a
    cycle that requires one (axe clean before and after a refusal)."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import select

    from pbapp.addresses.register import import_register
    from pbapp.cycles.models import Cycle, Neighbourhood
    from pbapp.extensions import db

    from browser_helpers import RESIDENT, RESIDENT_NAME

    page = new_page(**PHONE, color_scheme="dark", **AXE_CONTEXT)
    found = {}
    for path in ("/cycles/2026-autumn", "/projects/", "/metrics/violent-incidents"):
        page.goto(path)
        expect(page.locator(".nmap-panel svg.nmap").first).to_be_visible()
        maps = page.evaluate(MAP_JS)
        assert maps, path
        for look in maps:
            assert look["smallest"] >= 12, (path, look)
            assert look["extra"] <= 0 and look["wide"] <= 0, (path, look)
            assert look["halo"] and look["ground"] == "#ffffff", (path, look)
        if path != "/metrics/violent-incidents":
            assert all(look["drawn"] == 6 for look in maps), (path, maps)
        if problems := axe_problems(page):
            found[path] = problems
        shot(page, "map-dark" + path.replace("/", "-").rstrip("-"))
    assert not found, describe(found)

    with site.context():
        riverside = db.session.scalar(select(Neighbourhood).where(
            Neighbourhood.slug == "riverside"))
        now = datetime.now(timezone.utc)
        cycle = Cycle(slug="2027-addresses", name="Riverside street budget", phase="voting",
                      budget_cents=10_000_00, require_address=True, vote_by_code=False,
                      voting_opens=now - timedelta(days=1),
                      voting_closes=now + timedelta(days=30), neighbourhoods=[riverside])
        db.session.add(cycle)
        db.session.flush()
        import_register(cycle, b"address,postcode,neighbourhood\n"
                               b"12 High Street,AB1 2CD,riverside\n"
                               b"14 High Street,AB1 2CD,riverside\n", None)
        db.session.commit()
        db.session.remove()
    page = new_page(**PHONE, **AXE_CONTEXT)
    sign_in(page, RESIDENT, RESIDENT_NAME)
    page.goto("/vote/2027-addresses")
    expect(page).to_have_url(re.compile(r"/vote/2027-addresses/address$"))
    expect(page.locator("main h1")).to_contain_text("Your address")
    if problems := axe_problems(page):
        found["address step"] = problems
    page.get_by_label("Street address").fill("12 Hihg St")
    page.get_by_label("Postcode").fill("ab1 2cd")
    page.get_by_role("button", name="Continue to the ballot").click()
    expect(page.get_by_role("alert")).to_contain_text("12 High Street, AB1 2CD")
    assert page.evaluate("() => document.documentElement.scrollWidth"
                         " - document.documentElement.clientWidth") <= 0
    if problems := axe_problems(page):
        found["address refused"] = problems
    shot(page, "address-refused")
    page.get_by_label("Street address").fill("12 high st.")
    page.get_by_role("button", name="Continue to the ballot").click()
    expect(page).to_have_url(re.compile(r"/vote/2027-addresses$"))
    assert not found, describe(found)


def test_the_directory_is_searched_on_a_phone(new_page, shot):
    """Help near you at 390 px: without JavaScript the plain GET form searches and filters
    (the choices stay in the address), a result opens its page with a phone link, and a map's
    table leads to its neighbourhood's services; with JavaScript htmx swaps the results and keeps
    the address; nothing sideways, axe clean on the list and a service's page."""
    wide = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    page = new_page(**PHONE, java_script_enabled=False)
    page.goto("/projects/")
    page.locator(".nmap-panel a.nmap-help").first.click()
    assert "/directory?neighbourhood=" in page.url
    expect(page.locator("#directory-results li").first).to_be_visible()
    page.get_by_label("Search").fill("shelter")
    page.get_by_label("Language spoken").select_option("es")
    page.get_by_label("Neighbourhood").select_option("")
    page.get_by_role("button", name="Search").click()
    assert "q=shelter" in page.url and "language=es" in page.url
    results = page.locator("#directory-results li h3")
    expect(results).to_have_text(["Riverside Night Shelter"])
    assert page.evaluate(wide) <= 0
    shot(page, "directory-phone-search")
    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Night Shelter")
    assert page.locator("a[href^='tel:']").count() == 1 and page.evaluate(wide) <= 0
    page.goto("/directory?category=nonsense")
    expect(page.get_by_role("alert")).to_contain_text("nonsense")

    found = {}
    page = new_page(**PHONE, **AXE_CONTEXT)
    page.goto("/directory")
    page.get_by_label("What it helps with").select_option("mental_health")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#directory-results li h3")).to_have_count(2)
    assert "category=mental_health" in page.url and page.evaluate(wide) <= 0
    if problems := axe_problems(page):
        found["list"] = problems
    page.locator("#directory-results li h3 a").first.click()
    expect(page.locator("a[href^='tel:']")).to_have_count(1)
    if problems := axe_problems(page):
        found["service"] = problems
    assert not found, describe(found)
