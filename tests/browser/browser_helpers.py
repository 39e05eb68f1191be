"""What the browser journeys share: the demo accounts, signing in, a fresh voting code, axe."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-password"
STAFF, RESIDENT = "staff@example.org", "resident@example.org"
CHAIR = "public-health.east-safety@example.org"
STAFF_NAME, RESIDENT_NAME = "Sam Staff", "Rosa Resident"
CHAIR_NAME = "Dr. Priya Raman"
SPRING, AUTUMN = "2026-spring", "2026-autumn"
SPRING_NAME = "Spring 2026 community safety budget"
SPRING_NAME_ES = "Presupuesto de seguridad comunitaria, primavera de 2026"
AUTUMN_NAME = "Autumn 2026 youth and wellbeing budget"
#: an iPhone-sized screen, touch only
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@dataclass
class Site:
    url: str
    data_app: object  # the test side's app; the server has its own
    mailbox: object = None  # what the server's mail reached (tests.conftest.Mailbox)

    def context(self):
        """An app context for arranging or checking data, with a session of its own."""
        return self.data_app.app_context()


def sign_in(page, email: str, name: str) -> None:
    """Sign in through the form, as a person would, and wait until the header says so."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # attached, not visible: on a phone the header's links are folded into the menu
    expect(page.get_by_role("button", name=f"Sign out ({name})", include_hidden=True)
           ).to_be_attached()


def voting_code(site: Site, slug: str = AUTUMN) -> str:
    """A fresh one-time voting code for the cycle, made as staff's CLI makes them: in a cycle
    with a voter roll, the personal code of a new person on the roll."""
    import uuid

    from sqlalchemy import select

    from pbapp.cycles.models import Cycle
    from pbapp.extensions import db
    from pbapp.voting.codes import generate_codes, generate_roll_codes
    from pbapp.voting.models import VoterRollEntry

    with site.context():
        cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
        if cycle.use_roll:
            entry = VoterRollEntry(cycle_id=cycle.id, reference=f"browser-{uuid.uuid4().hex}",
                                   name="Browser Tester")
            db.session.add(entry)
            db.session.flush()
            code = dict(generate_roll_codes(cycle, batch="browser-tests"))[entry]
        else:
            [code] = generate_codes(cycle, 1, batch="browser-tests")
        db.session.commit()
        db.session.remove()
    return code


# --- accessibility: axe-core, vendored, injected only by the tests -----------------------------
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
#: the context options axe needs: the site's CSP forbids inline scripts, and the injected axe is one
AXE_CONTEXT = {"bypass_csp": True}


def axe_problems(page, rules: list[str] | None = None) -> list[dict]:
    """The serious and critical axe violations on the page as it is now: of every rule of
    ``AXE_TAGS``, or only of ``rules`` (such as ``["color-contrast"]``)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("only => axe.run(document, {runOnly: only})", only)
    assert result["passes"], f"axe checked nothing on {page.url}"
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(problems_by_page: dict[str, list[dict]]) -> str:
    """One line per violation and page: rule, impact, help, and the elements' selectors."""
    lines = []
    for where, problems in problems_by_page.items():
        for v in problems:
            targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
            lines.append(f"{where}: {v['id']} [{v['impact']}] {v['help']} -> "
                         f"{json.dumps(targets)} ({v['helpUrl']})")
    return "\n".join(lines)
