"""The four kinds of thing a resident can follow: how to load one, name it and link to it.

A follow stores ``(kind, thing_id)`` rather than four foreign keys; this module is the one place
that turns the pair back into the thing, and says who may see it (a cycle still in draft, or a
proposal not yet public, is neither followed nor told about).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

from ..boards.models import Board
from ..cycles.models import Cycle
from ..extensions import db
from ..projects.models import Project
from ..proposals.models import Proposal

MODELS = {"cycle": Cycle, "proposal": Proposal, "project": Project, "board": Board}


def kind_of(thing) -> str:
    return next(kind for kind, model in MODELS.items() if isinstance(thing, model))


def load(kind: str, thing_id: int):
    """The thing, or None when the kind is unknown or no such row exists."""
    model = MODELS.get(kind)
    if model is None or not isinstance(thing_id, int) or not 0 < thing_id < 2**31:
        return None
    return db.session.get(model, thing_id)


def visible_to(user, thing) -> bool:
    if isinstance(thing, Cycle):
        return thing.phase != "draft" or getattr(user, "is_staff", False)
    if isinstance(thing, Proposal):
        from ..proposals.services import can_view

        return can_view(user, thing)
    return True


def title(thing, locale=None) -> str:
    field = "name" if isinstance(thing, (Cycle, Board)) else "title"
    return thing.text(field, locale)


def link(endpoint: str, **values) -> str:
    """A full URL for an email. In a request, on the address it came to; elsewhere (the digest
    command, a change made from the command line) on ``SITE_URL``. Built without pushing a
    request context, whose end would close the database session the caller is writing in."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config.get("SITE_URL") or "http://localhost:5000")
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def url(thing, external: bool = False) -> str:
    build = link if external else url_for
    if isinstance(thing, Cycle):
        return build("cycles.show", slug=thing.slug)
    if isinstance(thing, Board):
        return build("boards.show", slug=thing.slug)
    if isinstance(thing, Proposal):
        return build("proposals.show", proposal_id=thing.id)
    return build("projects.show", project_id=thing.id)
