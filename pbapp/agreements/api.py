"""Data-sharing agreements in the read-only API: every agreement is public, as its page is."""
from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from ..api import bp
from ..api.http import SLUG, names_something, paginated
from ..extensions import db
from ..models_base import site_today
from .models import Agreement
from .serialize import detail, summary


@bp.get("/agreements")
def agreements():
    today = site_today()
    found = db.session.scalars(select(Agreement).order_by(Agreement.title, Agreement.slug)).all()
    return jsonify(paginated(list(found), lambda a: summary(a, today)))


@bp.get("/agreements/<slug>")
def agreement(slug: str):
    found = db.session.scalar(select(Agreement).where(Agreement.slug == slug)) \
        if names_something(slug, SLUG) else None
    if found is None:
        abort(404, description=f"No data-sharing agreement “{slug}”.")
    return jsonify(detail(found, site_today()))
