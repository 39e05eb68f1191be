"""A member of the public follows every link on the demo city: each page works, none leaks.

Guards against a page that breaks on real data, and against private data (emails, who voted)
reaching a public page.
"""
import re
from urllib.parse import urljoin, urlsplit

from pbapp.auth.models import User
from pbapp.extensions import db

from test_no_raw_codes import raw_codes_in

HREF = re.compile(rb'href="([^"#]+)"')
EMAIL = re.compile(rb"[\w.+-]+@[\w-]+\.[\w.]+")
SKIP = ("/static/", "/auth/logout")
LIMIT = 400


def crawl(client, start="/"):
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        resp = client.get(url)
        pages[url] = resp
        if resp.status_code != 200 or "text/html" not in resp.content_type:
            continue
        for raw in HREF.findall(resp.data):
            link = urljoin(url, raw.decode().replace("&amp;", "&"))
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return pages


def test_every_public_page_renders_and_shows_no_email(client, runner):
    assert runner.invoke(args=["demo", "--ballots", "300"]).exit_code == 0
    emails = {e.encode() for e in db.session.scalars(db.select(User.email))}
    pages = crawl(client)
    assert len(pages) > 20, sorted(pages)
    for url, resp in pages.items():
        assert resp.status_code in (200, 302), (url, resp.status_code)
        if resp.status_code == 302:  # only pages that need an account redirect, to sign in
            assert "/auth/login" in resp.headers["Location"], url
            continue
        leaked = set(EMAIL.findall(resp.data)) & emails
        assert not leaked, (url, leaked)
        if "text/html" in resp.content_type:  # labels, not stored codes (issue 23)
            assert not raw_codes_in(resp.data.decode()), (url, raw_codes_in(resp.data.decode()))
    reached = " ".join(pages)
    for section in ("/cycles/2026-spring/results", "/boards/east-safety", "/proposals/"):
        assert section in reached


def test_home_page_says_how_to_take_part_now(client, runner):
    runner.invoke(args=["demo", "--ballots", "100"])
    page = client.get("/").data.decode()
    assert "Now: Autumn 2026 youth and wellbeing budget" in page
    assert "Vote now" in page and 'href="/vote/2026-autumn"' in page
