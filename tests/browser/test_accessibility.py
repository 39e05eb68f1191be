"""axe-core on every public page, and on each step of voting with a code.

axe (vendored in static/vendor, injected by the test only) checks WCAG 2.0/2.1 A and AA and its
best practices; any violation of serious or critical impact fails, listed with its rule, its
help text and the selectors of the elements at fault.

The markup does not depend on the database, so axe runs once per page, on SQLite only; the
journeys run on both databases.
"""
import pytest
from browser_helpers import (AUTUMN, AUTUMN_NAME, AXE_CONTEXT, CHAIR, CHAIR_NAME, PHONE,
                             RESIDENT, RESIDENT_NAME, SPRING, STAFF, STAFF_NAME, axe_problems,
                             describe, sign_in, voting_code)
from playwright.sync_api import expect

PUBLIC_PAGES = [
    "/", "/boards/", "/boards/east-safety", "/cycles/", f"/cycles/{SPRING}",
    f"/cycles/{SPRING}/results", f"/cycles/{AUTUMN}", "/proposals/", "/projects/",
    "/vote/tracker", "/auth/login", "/auth/register", f"/vote/{AUTUMN}/code", "/metrics/",
    f"/reports/cycles/{SPRING}", "/no-such-page",
]
#: pages reached through a link on another page: (where the link is, a CSS selector for it)
LINKED_PAGES = [
    ("/proposals/", "main .cards a[href^='/proposals/']"),
    ("/projects/", "main .cards a[href^='/projects/']"),
    ("/metrics/", "main a[href^='/metrics/']"),
]


pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
#: a desktop window, and a phone, where wide tables scroll sideways inside their wrapper; and the
#: phone asking for the dark scheme, which Pico follows, so contrast is checked in both
SCREENS = pytest.mark.parametrize(
    "screen", [{"viewport": {"width": 1280, "height": 800}}, PHONE, {**PHONE, "color_scheme": "dark"}],
    ids=["desktop", "phone", "phone-dark"])


def check(page, where: str, found: dict) -> None:
    problems = axe_problems(page)
    if problems:
        found[where] = problems


def test_public_pages_have_no_serious_accessibility_problems(new_page):
    """On a desktop: test_accessibility_every_page checks every page (these included) on a phone
    in the light and the dark scheme, so the phone passes here would repeat it."""
    page = new_page(**AXE_CONTEXT, viewport={"width": 1280, "height": 800})
    found: dict[str, list] = {}
    for path in PUBLIC_PAGES:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        check(page, path, found)
    for index, link in LINKED_PAGES:
        page.goto(index)
        href = page.locator(link).first.get_attribute("href")
        page.goto(href)
        expect(page.locator("main h1")).to_be_visible()
        check(page, href, found)
    # and one page in Spanish: the language is declared, and nothing breaks in translation
    page.goto(f"/cycles/{SPRING}/results?lang=es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check(page, f"/cycles/{SPRING}/results?lang=es", found)
    assert not found, "serious or critical accessibility problems:\n" + describe(found)


@SCREENS
def test_voting_steps_have_no_serious_accessibility_problems(site, new_page, screen):
    page = new_page(**AXE_CONTEXT, **screen)
    found: dict[str, list] = {}
    page.goto(f"/vote/{AUTUMN}/code")
    page.get_by_label("Voting code").fill("NOT-A-CODE")
    page.get_by_role("button", name="Continue to the ballot").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "code page, code refused", found)

    page.get_by_label("Voting code").fill(voting_code(site))
    page.get_by_role("button", name="Continue to the ballot").click()
    expect(page.get_by_role("heading", name=f"Ballot: {AUTUMN_NAME}")).to_be_visible()
    check(page, "ballot, empty", found)
    status = page.locator("#ranking").get_by_role("status")
    for nth in ("1st", "2nd", "3rd"):
        page.get_by_role("button", name="Add").first.click()
        expect(status).to_contain_text(f"added as your {nth} choice")
    check(page, "ballot, three ranked", found)

    page.get_by_role("button", name="Review my ballot").click()
    expect(page.get_by_role("heading", name="Check your ballot")).to_be_visible()
    check(page, "review", found)
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.locator("#receipt-code")).to_be_visible()
    check(page, "receipt", found)
    receipt = page.locator("#receipt-code").inner_text()

    page.goto(f"/vote/tracker?cycle={AUTUMN}&code={receipt}")
    expect(page.get_by_role("status")).to_contain_text("Recorded.")  # counted once published
    check(page, "tracker, recorded", found)
    page.goto(f"/vote/tracker?cycle={AUTUMN}&code=")
    check(page, "tracker, empty code", found)
    assert not found, "serious or critical accessibility problems:\n" + describe(found)


#: the forms people fill in once signed in: (who, page); project pages are found by link
FORM_PAGES = [
    ("resident", "/auth/account"),
    ("chair", "/proposals/new"),
    ("chair", "/boards/east-safety/meetings/new"),
    ("staff", "/cycles/manage/new"),
    ("staff", f"/cycles/manage/{AUTUMN}/codes"),
    ("staff", "/metrics/new"),
    ("staff", "/metrics/import"),
    ("staff", "/metrics/violent-incidents/measurements/new"),
    ("staff", "{project}/updates/new"),
    ("staff", "{project}/spending/new"),
    ("staff", "{project}/targets/new"),
    ("staff", "{project}/milestones/new"),
]
WHO = {"resident": (RESIDENT, RESIDENT_NAME), "chair": (CHAIR, CHAIR_NAME),
       "staff": (STAFF, STAFF_NAME)}


def test_forms_have_no_serious_accessibility_problems(site, new_page):
    from pbapp.cycles.models import Cycle
    from pbapp.extensions import db

    with site.context():  # a cycle taking proposals, so the proposal form opens
        db.session.add(Cycle(slug="2027-open", name="Open for proposals", phase="proposals",
                             budget_cents=50_000_00))
        db.session.commit()
        db.session.remove()
    found: dict[str, list] = {}
    reached = []
    for who in WHO:
        page = new_page(**AXE_CONTEXT, viewport={"width": 1280, "height": 800})
        sign_in(page, *WHO[who])
        page.goto("/projects/")
        project = page.locator("main .cards a[href^='/projects/']").first.get_attribute("href")
        for role, path in FORM_PAGES:
            if role != who:
                continue
            url = path.format(project=project)
            page.goto(url)
            expect(page.locator("main h1")).to_be_visible()
            reached.append((url, page.url.split("//", 1)[1].split("/", 1)[1]))
            check(page, f"{url} as {who}", found)
        page.context.close()
    assert [("/" + landed) for _, landed in reached] == [url for url, _ in reached]  # no redirect
    assert not found, "serious or critical accessibility problems:\n" + describe(found)
