"""What a change says in an email, in the follower's language.

An event is stored as a code and plain values (``DigestItem.params``), never as sentences, so
the same change reads right in an email sent at once and in a digest written later, in English
or Spanish. Names of updates, milestones and meetings are looked up again when written, for
their translation; the stored name is the fallback if the item is gone.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import force_locale, gettext

from .. import dates
from ..boards.models import Meeting
from ..extensions import db
from ..labels import FILTERS
from ..projects.models import Milestone, ProjectUpdate
from . import things

EVENTS = ("phase", "result", "decision", "update", "milestone", "milestone_done", "status",
          "meeting", "meeting_moved")


def _named(model, ident, field: str, fallback: str, locale: str) -> str:
    item = db.session.get(model, ident) if isinstance(ident, int) else None
    return item.text(field, locale) if item is not None else (fallback or "")


def _when(value: str | None, with_time: bool) -> str:
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value) if with_time else date.fromisoformat(value)
    except ValueError:
        return value
    return dates.at_words(parsed) if with_time else dates.day(parsed)


def sentence(thing, event: str, params: dict, locale: str) -> str:
    """One sentence saying what happened to ``thing``, in ``locale``."""
    with force_locale(locale):
        name = things.title(thing, locale)
        p = params or {}
        if event == "phase":
            return gettext("“%(name)s” moved to the %(phase)s phase.", name=name,
                           phase=FILTERS["phase_label"](p.get("new")))
        if event == "result":
            return gettext("The result of “%(name)s” is published.", name=name)
        if event == "decision":
            text = gettext("“%(name)s” is now: %(status)s.", name=name,
                           status=FILTERS["status_label"](p.get("status")))
            if p.get("reason"):
                text += " " + gettext("Reason: %(reason)s", reason=p["reason"])
            return text
        if event == "update":
            return gettext("New update on “%(name)s”: %(update)s", name=name, update=_named(
                ProjectUpdate, p.get("update_id"), "title", p.get("title"), locale))
        if event in ("milestone", "milestone_done"):
            milestone = _named(Milestone, p.get("milestone_id"), "title", p.get("title"),
                               locale)
            if event == "milestone_done":
                return gettext("Milestone reached on “%(name)s”: %(milestone)s", name=name,
                               milestone=milestone)
            return gettext("New milestone on “%(name)s”: %(milestone)s, due %(due)s.",
                           name=name, milestone=milestone, due=_when(p.get("due_on"), False))
        if event == "status":
            return gettext("“%(name)s” is now: %(status)s.", name=name,
                           status=FILTERS["project_status_label"](p.get("status")))
        if event in ("meeting", "meeting_moved"):
            meeting = _named(Meeting, p.get("meeting_id"), "title", p.get("title"), locale)
            when = _when(p.get("starts_at"), True)
            if event == "meeting_moved":
                return gettext("“%(name)s” moved its meeting “%(meeting)s” to %(when)s.",
                               name=name, meeting=meeting, when=when)
            return gettext("“%(name)s” will meet: “%(meeting)s”, %(when)s.", name=name,
                           meeting=meeting, when=when)
        return gettext("“%(name)s” changed.", name=name)


def subject(thing, locale: str) -> str:
    with force_locale(locale):
        return gettext("News of “%(name)s”", name=things.title(thing, locale))
