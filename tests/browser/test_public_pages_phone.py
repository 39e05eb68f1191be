"""Every public page on a 390-pixel phone, in Spanish, with and without JavaScript (issue 18):
nothing wider than the screen, no chart text under 12 px, and no English sentence of the
catalogue left untranslated. The list is the public rows of the route matrix (every GET route
is in it), walked with one browser page per pass. Also the staff pages the issue names, the
audit log and the review form, saved as screenshots at phone and desktop size."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from browser_helpers import PHONE, STAFF, STAFF_NAME, sign_in
from playwright.sync_api import expect

from tests.security.test_route_roles import EXPECTED, PUBLIC, city_extras

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

CATALOGUE = Path(__file__).resolve().parents[2] / "pbapp/translations/es/LC_MESSAGES/messages.po"
NOT_PAGES = (".csv", ".json", ".atom", "/healthz")
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PAGE_CHECKS_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1
                 && !e.closest('.table-wrap, figure, details:not([open])'))
    .map(e => e.tagName.toLowerCase() + ': ' + (e.textContent || '').trim().slice(0, 30));
  const small = [...document.querySelectorAll('svg text')]
    .filter(t => t.getClientRects().length && t.textContent.trim())
    .map(t => ({text: t.textContent.trim().slice(0, 30),
                px: parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a}))
    .filter(t => t.px < 12);
  return {extra: document.documentElement.scrollWidth - width, wide: wide.slice(0, 3),
          small: small.slice(0, 3), text: document.body.innerText};
}"""


def english_sentences() -> list[str]:
    """Catalogue texts a Spanish page must not show as they are: whole English sentences with
    no placeholders, whose Spanish differs."""
    with open(CATALOGUE, "rb") as f:
        catalogue = read_po(f)
    return [m.id for m in catalogue if isinstance(m.id, str) and m.string and m.string != m.id
            and "%" not in m.id and len(m.id.split()) >= 4 and m.id.endswith((".", "?"))]


@pytest.fixture(scope="module")
def ids(site) -> dict:
    """The matrix's ids and slugs on this module's demo city (made once: it adds cycles)."""
    with site.context():
        return city_extras()


@pytest.fixture(scope="module")
def public_pages(ids) -> list[str]:
    return [pattern.format(**ids) for endpoint, (pattern, expected) in EXPECTED.items()
            if expected is PUBLIC and not endpoint.startswith("api.")
            and endpoint != "images.show" and not pattern.format(**ids).endswith(NOT_PAGES)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_public_page_fits_a_phone_in_spanish(public_pages, new_page, javascript):
    assert len(public_pages) >= 25  # the matrix, not a handful
    sentences = english_sentences()
    page = new_page(**PHONE, locale="es-ES", java_script_enabled=javascript)
    problems = {}
    for url in public_pages:
        answer = page.goto(url + ("&" if "?" in url else "?") + "lang=es")
        assert answer.status == 200, url
        found = page.evaluate(PAGE_CHECKS_JS)
        english = [s for s in sentences if s in found["text"]]
        if found["extra"] > 0 or found["wide"] or found["small"] or english:
            problems[url] = {k: v for k, v in (("extra", found["extra"]), ("wide", found["wide"]),
                                               ("small", found["small"]), ("english", english[:3]))
                             if v}
    assert not problems, problems


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_audit_log_and_the_review_form_look_finished(ids, new_page, shot, size):
    page = new_page(**(PHONE if size == "phone" else DESKTOP))
    sign_in(page, STAFF, STAFF_NAME)
    for name, endpoint in (("audit-log", "audit.index"), ("review-form", "proposals.review")):
        page.goto(EXPECTED[endpoint][0].format(**ids))
        expect(page.locator("main h1")).to_be_visible()
        found = page.evaluate(PAGE_CHECKS_JS)
        assert found["extra"] <= 0 and not found["wide"], (name, found["wide"])
        assert not found["small"], (name, found["small"])
        assert not re.search(r"\{\s*\"", found["text"]), "raw JSON shown outside its disclosure"
        shot(page, f"{name}-{size}")
