"""Serving a picture: only where its card may be seen, cached for a year (the URL names the
bytes, so a changed picture is a new URL)."""
from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from . import bp
from .models import Image

YEAR = 365 * 24 * 3600


def _owner_is_public(image: Image) -> bool | None:
    """True if anyone may see the picture, False if only some may (a draft proposal's, seen by
    its board and staff), None if the current reader may not see it or nothing shows it."""
    from ..projects.models import Project
    from ..proposals.models import Proposal
    from ..proposals.services import can_view

    if db.session.scalar(select(Project.id).where(Project.image_id == image.id)) is not None:
        return True
    from ..stories.services import image_is_public

    story_public = image_is_public(image)  # a story's: public once approved, else staff only
    if story_public is not None:
        return True if story_public else (False if getattr(current_user, "is_staff", False)
                                          else None)
    proposal = db.session.scalar(select(Proposal).where(Proposal.image_id == image.id))
    if proposal is None or not can_view(current_user, proposal):
        return None
    return proposal.is_public


@bp.get("/<int:image_id>/<name>")
def show(image_id: int, name: str):
    image = db.session.get(Image, image_id)
    if image is None or name != image.filename:
        abort(404)
    public = _owner_is_public(image)
    if public is None:
        abort(404)
    data = db.session.execute(select(Image.data).where(Image.id == image.id)).scalar_one()
    response = Response(data, mimetype=image.content_type)
    response.set_etag(image.digest)
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    if public:
        response.cache_control.public = True
    else:
        response.cache_control.private = True
    response.headers["Content-Disposition"] = f'inline; filename="{image.filename}"'
    return response.make_conditional(request)
