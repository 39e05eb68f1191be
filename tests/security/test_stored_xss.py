"""Stored XSS: hostile text in every user-written field stays inert on every page.

Every string column a person can write (names, titles, descriptions, minutes, updates, notes,
reasons...) in the demo city gets a payload appended — a script tag, an img onerror, an SVG
onload, a ``javascript:`` link (raw and as Markdown) — and then every page reachable by link is
read as the public and as an admin. No payload may come out as live markup. New models are
covered automatically, because the columns are found from the metadata.
"""
from __future__ import annotations

import re
from itertools import cycle as rotate

import pytest
from sqlalchemy import String, Text, select, update

from pbapp.auth.models import User
from pbapp.extensions import db
from tests.app.test_public_crawl import crawl

PAYLOADS = ("<script>alert('xss')</script>", "<img src=x onerror=alert('xss')>",
            "<svg onload=alert('xss')>", "[click](javascript:alert('xss'))",
            "javascript:alert('xss')")
#: codes, keys and machine values that people do not write (and that the site validates)
NOT_FREE_TEXT = re.compile(r"(^|_)(slug|email|password|hash|key|status|role|phase|channel|method|"
                           r"scoring|completion|kind|scope|better|source_kind|category|frequency|"
                           r"breakdown|locale|action|target|reference|voter|receipt|code|batch|"
                           r"ref|group_name|age_band|from_status|to_status|seat|lang|unit|"
                           r"prev|chain|digest|sha256|detail|data)($|_)")
LIVE = [re.compile(p, re.I) for p in (r"<script\b[^>]*>\s*alert", r"<img\b[^>]*\bonerror\s*=",
                                      r"<svg\b[^>]*\bonload\s*=",
                                      r"""href\s*=\s*["']?\s*javascript:""")]


def _free_text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.primary_key or column.foreign_keys or column.unique:
                continue
            if not isinstance(column.type, (String, Text)):
                continue
            length = getattr(column.type, "length", None)
            if length is not None and length < 60:
                continue
            if NOT_FREE_TEXT.search(column.name):
                continue
            yield table, column


def _poison() -> list[str]:
    payloads = rotate(PAYLOADS)
    touched = []
    for table, column in _free_text_columns():
        payload = next(payloads)
        length = getattr(column.type, "length", None)
        if length is not None:
            new = db.func.substr(db.func.coalesce(column, ""), 1, length - len(payload) - 1) \
                + " " + payload
        else:
            new = db.func.coalesce(column, "") + " " + payload
        db.session.execute(update(table).values({column.name: new}))
        touched.append(f"{table.name}.{column.name}")
    db.session.commit()
    return touched


@pytest.fixture()
def poisoned_city(runner):
    assert runner.invoke(args=["demo", "--ballots", "200"]).exit_code == 0
    touched = _poison()
    assert len(touched) >= 20, touched  # the check must reach the site's real text fields
    return touched


@pytest.mark.parametrize("role", [None, "admin"])
def test_payloads_in_every_text_field_are_inert_on_every_page(client, login, poisoned_city,
                                                              role):
    if role:
        login(db.session.scalar(select(User).where(User.role == role)))
    pages = crawl(client)
    assert len(pages) > 20
    seen_payload = 0
    for url, response in pages.items():
        assert response.status_code < 500, (url, response.status_code)
        body = response.get_data(as_text=True)
        if "alert(" in body:
            seen_payload += 1
        if not response.content_type.startswith(("text/html", "image/svg")):
            # downloads (CSV, BLT, .pb, JSON, Atom) carry the text as data: never rendered as
            # a page, because the type is not HTML and the browser may not sniff it
            assert response.headers["X-Content-Type-Options"] == "nosniff", url
            continue
        for pattern in LIVE:
            match = pattern.search(body)
            assert match is None, (url, body[max(0, match.start() - 80):match.end() + 40])
    assert seen_payload > 10, "the payloads should show (escaped) on many pages"
