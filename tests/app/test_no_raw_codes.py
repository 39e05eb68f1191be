"""No page shows a stored code where people read words: "Counting method: equal-shares",
"irv", a badge saying "accepted", "no (not affordable)". Every method, status and reason goes
through ``pbapp.labels``; this checks the pages themselves, in English, where the codes and the
words are easiest to confuse. The public crawl (test_public_crawl) runs ``raw_codes_in`` on
every public page of the demo city; the staff pages are checked here.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from pbapp.auth.models import User
from pbapp.cycles.models import Cycle, Result
from pbapp.extensions import db
from pbapp.labels import RAW_CODES

#: codes no English word or label contains: found anywhere in a text
_MARKED = [c for c in RAW_CODES if "-" in c or "_" in c] + ["irv", "stv"]
_ANYWHERE = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, _MARKED)) + r")(?![\w-])")
#: any code where a label goes: alone, after "label: ", "(", "→ " or "with ", before the end
_AS_LABEL = re.compile(r"(?:^|: |\(|→ |\bwith )(?:" + "|".join(map(re.escape, RAW_CODES))
                       + r")(?=$|[.,;:)]| →| ·)")


class _Text(HTMLParser):
    """The page's text nodes, as a reader meets them (no scripts, styles or attributes)."""

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style", "code", "pre")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style", "code", "pre") and self.skip > 0

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(" ".join(data.split()))


def raw_codes_in(html: str) -> list[str]:
    """The texts of ``html`` that show a stored code instead of its label."""
    parser = _Text()
    parser.feed(html)
    return [t for t in parser.texts if _ANYWHERE.search(t) or _AS_LABEL.search(t)]


@pytest.mark.parametrize("html, found", [
    ("<p>Phase: voting · Budget: 1 · Counting method: equal-shares</p>", True),
    ("<td>irv</td>", True), ("<span class=badge>accepted</span>", True),
    ("<p>Not funded: not affordable.</p>", True), ("<td>no (did not fit)</td>", True),
    ("<td>submitted → accepted</td>", True), ("<p>counted with <strong>greedy</strong> on 1 May</p>", True),
    ("<span class=badge>Accepted</span>", False),
    ("<p>The ones accepted go on the ballot.</p>", False),
    ("<td>no (its supporters could not pay for it)</td>", False),
    ("<p>Counting method: Method of Equal Shares</p>", False),
    ("<code>pbapp-tally --method equal-shares</code>", False),
    ("<p>Staff review what was submitted.</p>", False),
])
def test_the_check_tells_codes_from_words(html, found):
    assert bool(raw_codes_in(html)) is found, raw_codes_in(html)


@pytest.fixture()
def demo_city(runner):
    assert runner.invoke(args=["demo", "--ballots", "300"]).exit_code == 0


def test_staff_pages_show_labels_not_codes(client, demo_city, login):
    login(db.session.scalar(select(User).where(User.email == "staff@example.org")))
    cycles = db.session.scalars(select(Cycle)).all()
    urls = ["/cycles/manage/"] + [f"/cycles/manage/{c.slug}" for c in cycles]
    urls += [f"/cycles/manage/{c.slug}/edit" for c in cycles]
    urls += [f"/cycles/manage/{r.cycle.slug}/results/{r.id}"
             for r in db.session.scalars(select(Result))]
    urls += ["/staff/audit/", "/staff/paper/", "/staff/paper/2026-autumn", "/proposals/",
             "/projects/", "/auth/account"]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert not raw_codes_in(page.data.decode()), (url, raw_codes_in(page.data.decode()))
