"""The four kinds of thing a resident can follow: how to load one, name it and link to it.

A follow stores ``(kind, thing_id)`` rather than four foreign keys; this module is the one place
that turns the pair back into the thing, and says who may see it (a cycle still in draft, or a
proposal not yet public, is neither followed nor told about).
"""
from __future__ import annotations

from flask import url_for

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


def url(thing, external: bool = False) -> str:
    if isinstance(thing, Cycle):
        return url_for("cycles.show", slug=thing.slug, _external=external)
    if isinstance(thing, Board):
        return url_for("boards.show", slug=thing.slug, _external=external)
    if isinstance(thing, Proposal):
        return url_for("proposals.show", proposal_id=thing.id, _external=external)
    return url_for("projects.show", project_id=thing.id, _external=external)
