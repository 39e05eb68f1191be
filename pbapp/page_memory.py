"""Rendered pages kept in memory, for the pages a crowd asks for at once.

On results night everyone reads the same results page; on a mailing day thousands open the same
empty ballot. For a signed-out visitor with no message waiting such a page is the same for all.
A page with no form of its own (results) is kept as it is, without even the footer's token
(``g.shared_page``; the language switch then checks where the form came from, see ``i18n``); a
page with a form (the ballot) is kept with a placeholder where the token goes (``keep``) and
served with the visitor's own token put back (``serve``). ``for_every_reader`` wraps a view whose
signed-out answer is the same for all (reports, their downloads, a metric's page) to do all this.

What is kept is forgotten when a commit in this process writes a watched model (``watch``), so
the worker that publishes a count or edits a proposal shows it at once; other workers rely on
each entry's age limit (``max_age``). Each app keeps its own memory, so apps never share.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

TOKEN_SLOT = "\x00csrf-token\x00"
#: seconds ``for_every_reader`` keeps a page unless the app's ``REPORT_MAX_AGE`` says otherwise
READER_MAX_AGE = 30
LIMIT = 256  # entries per map; past it the map starts again

_watched: tuple[type, ...] = ()
_generation = 0  # bumped by every commit in this process that wrote a watched model


def watch(*models: type) -> None:
    """Forget every kept page when a commit writes one of these models."""
    global _watched
    _watched = tuple({*_watched, *models})


def forget() -> None:
    """Forget every kept page in this process, as a commit writing a watched model does."""
    global _generation
    _generation += 1


@dataclass
class Memory:
    generation: int = -1
    maps: dict[str, dict] = field(default_factory=dict)


def kept(name: str) -> dict:
    """This app's map called ``name`` (emptied if a watched model was written since)."""
    return kept_for(current_app, name)


def kept_for(app, name: str) -> dict:
    """``kept`` for a given app, where there is no app context (``front``)."""
    mem = app.extensions.get("page_memory")
    if mem is None:
        mem = app.extensions["page_memory"] = Memory()
    if mem.generation != _generation:
        mem.maps.clear()
        mem.generation = _generation
    return mem.maps.setdefault(name, {})


def store(cache: dict, key, value) -> None:
    """Keep ``value``; a map past ``LIMIT`` entries starts again (a handful is usual)."""
    if len(cache) >= LIMIT:
        cache.clear()
    cache[key] = value


def recall(name: str, key, max_age: float | None = None):
    """The value kept under ``key``, or None if there is none or it is older than ``max_age``."""
    entry = kept(name).get(key)
    if entry is None or (max_age is not None and time.monotonic() - entry[0] >= max_age):
        return None
    return entry[1]


def remember(name: str, key, value):
    store(kept(name), key, (time.monotonic(), value))
    return value


def shareable() -> bool:
    """Whether this visitor sees what every signed-out visitor sees."""
    return current_user.is_anonymous and not session.get("_flashes")


def keep(page: str) -> str:
    """The page as kept: this visitor's CSRF token replaced by the placeholder."""
    return page.replace(generate_csrf(), TOKEN_SLOT)


def serve(page: str) -> str:
    """A kept page with this visitor's own CSRF token."""
    return page.replace(TOKEN_SLOT, generate_csrf())


def for_every_reader(view):
    """Keep what a signed-out reader gets from the view (a page, a CSV, a JSON file): the same
    for all of them, and read by many at once when a count or a quarter's figures come out.
    Kept per path and language; forgotten at once by a commit here that writes a watched model,
    otherwise after the app's ``REPORT_MAX_AGE`` seconds (``READER_MAX_AGE``); for that long the
    next requests are answered in front of Flask too (``front``). A page made this way is a
    shared page: the footer's language switch goes without a token (see ``i18n``)."""
    @functools.wraps(view)
    def kept(*args, **kwargs):
        if not shareable():
            return view(*args, **kwargs)
        from . import front

        max_age = current_app.config.get("REPORT_MAX_AGE", READER_MAX_AGE)
        key = (request.endpoint, request.full_path, str(get_locale()))
        entry = recall("readers", key, max_age)
        if entry is None:
            g.shared_page = True
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
            entry = remember("readers", key, (
                response.get_data(), response.headers.get("Content-Type"),
                response.headers.get("Content-Disposition")))
        body, content_type, disposition = entry
        response = make_response(body)
        response.headers["Content-Type"] = content_type
        if disposition:
            response.headers["Content-Disposition"] = disposition
        front.share(max_age)
        return response
    return kept


@event.listens_for(Session, "after_flush")
def _note_writes(session, _context) -> None:
    if _watched and any(isinstance(obj, _watched)
                        for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["page_memory_stale"] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session) -> None:
    global _generation
    if session.info.pop("page_memory_stale", False):
        _generation += 1


@event.listens_for(Session, "after_rollback")
def _nothing_written(session) -> None:
    session.info.pop("page_memory_stale", None)
