"""axe-core on every HTML page the app serves, as someone allowed to see it, on a phone, in the
light and the dark scheme (Pico follows the phone's).

Each page is loaded once: every rule runs in the light scheme, then the page is switched to the
dark one (``emulate_media``, no reload) and the rules colours decide run again. Only colours
change with the scheme (the site's dark rules are colours), and loading each page twice as each
role took a sixth of the suite's browser time.

The list is not written here: it is the route × role matrix of the security tests, which must
name every GET route of the app (``test_every_get_route_is_in_the_matrix``), so a page added
later is checked here too. Each page is visited as the first role that gets it (anonymous, then
the board chair, staff, admin, a resident); files (CSV, JSON, Atom, the API, the health check)
are not pages. Of the routes that only exist mid-journey, the paper batch and its entry round
are made here; the code ballot and receipt are checked step by step in test_accessibility.py.
"""
import pytest
from browser_helpers import (AXE_CONTEXT, CHAIR, CHAIR_NAME, PHONE, RESIDENT, RESIDENT_NAME,
                             STAFF, STAFF_NAME, axe_problems, describe, sign_in)
from playwright.sync_api import expect

from tests.security.test_route_roles import EXPECTED, JOURNEY_ONLY, city_extras

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ORDER = ("anonymous", "member", "staff", "admin", "resident")
ACCOUNTS = {"member": (CHAIR, CHAIR_NAME), "staff": (STAFF, STAFF_NAME),
            "admin": ("admin@example.org", "Alex Admin"), "resident": (RESIDENT, RESIDENT_NAME)}
NOT_PAGES = (".csv", ".json", ".atom", "/healthz")
#: made below, as staff, since they exist only once a paper batch does
PAPER_PAGES = ["/staff/paper/batch/{batch}", "/staff/paper/batch/{batch}/round/1"]


def pages_by_role(ids: dict) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {role: [] for role in ORDER}
    for endpoint, (pattern, expected) in EXPECTED.items():
        url = pattern.format(**ids)
        if endpoint.startswith("api.") or endpoint == "images.show" or url.endswith(NOT_PAGES):
            continue
        role = next((r for r in ORDER if expected[r] == 200), None)
        if role is None:
            continue  # a page no role sees on the demo (the address step: its own browser test)
        chosen[role].append(url)
    chosen["staff"] += [p.format(**ids) for p in PAPER_PAGES]
    return chosen


@pytest.fixture(scope="module")
def ids(site) -> dict:
    """The matrix's ids and slugs on this module's demo city, and a paper batch."""
    from sqlalchemy import select

    from pbapp.auth.models import User
    from pbapp.cycles.models import Cycle
    from pbapp.extensions import db
    from pbapp.paper.services import create_batch

    with site.context():
        found = city_extras()
        staff = db.session.scalar(select(User).where(User.email == STAFF))
        autumn = db.session.scalar(select(Cycle).where(Cycle.slug == "2026-autumn"))
        found["batch"] = create_batch(autumn, "Library box 1", staff).id
        db.session.commit()
        db.session.remove()
    return found


#: the axe rules whose outcome depends on colours
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
#: Pico eases colour changes over 0.2 s; the switch must land at once
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


def test_every_page_has_no_serious_accessibility_problems(ids, new_page):
    chosen = pages_by_role(ids)
    assert sum(map(len, chosen.values())) >= 50  # the matrix, not a handful
    assert not {"voting.code_ballot", "voting.code_receipt"} - JOURNEY_ONLY

    found: dict[str, list] = {}
    visited = []
    for role in ORDER:
        page = new_page(**AXE_CONTEXT, **PHONE, color_scheme="light")
        if role != "anonymous":
            sign_in(page, *ACCOUNTS[role])
        for url in chosen[role]:
            page.emulate_media(color_scheme="light")
            answer = page.goto(url)
            assert answer.status == 200, f"{url} as {role}: {answer.status}"
            expect(page.locator("main h1")).to_be_visible()
            problems = axe_problems(page)
            if problems:
                found[f"{url} as {role}"] = problems
            page.add_style_tag(content=NO_TRANSITIONS)  # else axe reads colours mid-change
            page.emulate_media(color_scheme="dark")
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            problems = axe_problems(page, COLOUR_RULES)
            if problems:
                found[f"{url} as {role}, dark"] = problems
            visited.append(url)
        page.context.close()
    assert len(visited) == len(set(visited))
    assert not found, "serious or critical accessibility problems:\n" + describe(found)
