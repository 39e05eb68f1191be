"""Which count a results page shows, remembered so the page is served from memory.

A published count never changes, so its page is kept (``page_memory``). Which count is the
published one for a slug is looked up again at most every ``RESULTS_RECHECK_SECONDS`` (default
2) in each worker; a commit in this process that writes a cycle, a result or a result's
override forgets at once.
"""
from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from sqlalchemy import select

from .. import page_memory
from ..extensions import db
from .models import Cycle, Result
from .overrides import ResultOverride

RECHECK_SECONDS = 2.0
page_memory.watch(Cycle, Result, ResultOverride)


class Published(NamedTuple):
    """What identifies a published count's page: any change makes a new key."""
    result_id: int
    cvr_sha256: str
    published_at: str
    cycle_name: str


def published(slug: str) -> Published | None:
    """The published count a results page for ``slug`` shows, or None (the page is a 404)."""
    max_age = current_app.config.get("RESULTS_RECHECK_SECONDS", RECHECK_SECONDS)
    seen = page_memory.recall("published", slug, max_age)
    if seen is not None:
        return seen or None
    row = db.session.execute(
        select(Result.id, Result.cvr_sha256, Result.published_at, Cycle.name)
        .join(Cycle, Cycle.id == Result.cycle_id)
        .where(Cycle.slug == slug, Cycle.phase != "draft", Result.published_at.is_not(None))
        .order_by(Result.published_at.desc()).limit(1)).first()
    found = row and Published(row.id, row.cvr_sha256, str(row.published_at), row.name)
    page_memory.remember("published", slug, found or False)
    return found or None
