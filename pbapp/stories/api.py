"""Approved stories in the read-only API: what the pages show and nothing else (no author
account, no original text, a neighbourhood only where the small-cell rule allows it)."""
from __future__ import annotations

from flask import jsonify, request, url_for

from ..api import bp
from ..api.http import paginated
from ..api.serialize import place, when
from ..extensions import db
from .placing import Shown, approved, shown


def story(s: Shown) -> dict:
    st = s.story
    return {
        "id": st.id, "text": st.public_text,
        "text_es": (st.translations or {}).get("es", {}).get("public_text"),
        "name": st.shown_name or None, "anonymous": st.name_choice == "anonymous",
        "published_at": when(st.decided_at),
        "neighbourhood": place(s.neighbourhood) if s.neighbourhood else None,
        "project_id": st.project_id,
        "metric": st.metric.key if st.metric else None,
        "image": ({"url": url_for("images.show", image_id=st.image.id, name=st.image.filename),
                   "alt": st.image.alt, "width": st.image.width, "height": st.image.height}
                  if st.image else None),
    }


@bp.get("/stories")
def stories():
    return jsonify(paginated(shown(db.session.scalars(approved())), story))


@bp.after_app_request
def _fresh(response):
    """A withdrawn story must leave the API at once: clients revalidate (the ETag stays)."""
    if request.endpoint == "api.stories":
        response.cache_control.max_age = 0
        response.cache_control.no_cache = True
    return response
