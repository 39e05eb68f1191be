"""The published count's section (``_result.html``) kept in each worker, per count and language.

Gathering a count's rounds, charts, links and staff changes and drawing them cost the cycle
report and the results page some 17 ms a request, for a section that changes only when a
count, its overrides, a proposal, a project, a polling place or the cycle does. Nothing in it
is per reader (no account, form or token), so one copy serves everyone reading a language.

Kept apart from ``page_memory``, whose whole memory goes with any write a report watches: a
commit in this process that writes what the section shows (ORM or bulk ``UPDATE``/``DELETE``)
forgets every kept section at once; another process's change shows once the entry is
``RESULTS_RECHECK_SECONDS`` old, the time the published count itself is rechecked in
(``results_cache``). Each app keeps its own, since ids are reused when a database is emptied.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..auth.models import User
from ..paper.models import PollingPlace
from ..projects.models import Project
from ..proposals.models import Proposal
from .models import Cycle, Result
from .overrides import ResultOverride
from .results_cache import RECHECK_SECONDS

#: any write to these may change the section
WATCHED = (Cycle, Result, ResultOverride, Proposal, Project, PollingPlace)
#: an account shows only as the name and role of who made an override
WATCHED_FIELDS = {User: ("stored_name", "deleted_at", "role")}
LIMIT = 64  # kept sections per app; past it the memory starts again
_STALE = "result_section_stale"
_generation = 0  # bumped by every commit in this process that wrote what a section shows


@dataclass
class _Kept:
    made: float
    context: dict  # what ``_result.html`` reads, but the result row itself
    drawn: dict[bool, Markup] = field(default_factory=dict)  # per ``in_report``


@dataclass
class _Memory:
    generation: int = -1
    sections: dict[tuple, _Kept] = field(default_factory=dict)


def forget() -> None:
    """Forget every kept section in this process, as a commit writing what one shows does."""
    global _generation
    _generation += 1


def _kept(result: Result) -> _Kept:
    memory = current_app.extensions.setdefault("result_section", _Memory())
    if memory.generation != _generation:
        memory.sections.clear()
        memory.generation = _generation
    key = (result.id, result.cvr_sha256, str(result.counted_at), str(result.published_at),
           str(get_locale()))
    max_age = current_app.config.get("RESULTS_RECHECK_SECONDS", RECHECK_SECONDS)
    entry = memory.sections.get(key)
    if entry is None or time.monotonic() - entry.made >= max_age:
        from .views import _result_context

        context = _result_context(result)
        del context["result"]  # a row of this request's session: each draw is given its own
        if len(memory.sections) >= LIMIT:
            memory.sections.clear()
        entry = memory.sections[key] = _Kept(time.monotonic(), context)
    return entry


def shown(result: Result) -> dict:
    """The section's data (count in the reader's language, turnout, overrides, ...): shared
    by every request, so read, never changed."""
    return _kept(result).context


def drawn(result: Result, in_report: bool = False) -> Markup:
    """The section as HTML; the report's leaves the turnout out (its own section has it)."""
    entry = _kept(result)
    html = entry.drawn.get(in_report)
    if html is None:
        html = entry.drawn[in_report] = Markup(render_template(
            "cycles/_result.html", result=result, in_report=in_report, **entry.context))
    return html


def _shows(obj, new: bool = False) -> bool:
    """Whether writing ``obj`` may change a section (a new account cannot)."""
    if isinstance(obj, WATCHED):
        return True
    fields = WATCHED_FIELDS.get(type(obj))
    if not fields or new:
        return False
    state = inspect(obj)
    return state.deleted or any(state.attrs[f].history.has_changes() for f in fields)


@event.listens_for(Session, "after_flush")
def _note_writes(session, _context) -> None:
    if any(_shows(obj, new=True) for obj in session.new) or any(
            _shows(obj) for obj in (*session.dirty, *session.deleted)):
        session.info[_STALE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state) -> None:
    """A conditional ``UPDATE`` (a proposal's or project's status claimed) skips the flush."""
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and \
            issubclass(mapper.class_, WATCHED):
        state.session.info[_STALE] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session) -> None:
    global _generation
    if session.info.pop(_STALE, False):
        _generation += 1


@event.listens_for(Session, "after_rollback")
def _nothing_written(session) -> None:
    session.info.pop(_STALE, None)
