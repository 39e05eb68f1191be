"""Comments in the read-only API: what the pages show, a hidden comment's text never."""
from __future__ import annotations

from flask import abort, jsonify

from ..api import bp
from ..api import queries as q
from ..api.http import paginated, whole_id
from ..api.serialize import when
from ..extensions import db
from ..projects.models import Project
from ..text import render_markdown
from .models import Comment
from .services import thread


def comment(c: Comment, with_replies: bool = True) -> dict:
    shown = not c.hidden
    return {
        "id": c.id, "parent_id": c.parent_id, "author": str(c.author.name),
        "author_seat": c.author_seat or None,
        "author_organisation": (c.author_organisation or None) if c.author_seat else None,
        "created_at": when(c.created_at), "edited_at": when(c.edited_at) if shown else None,
        "body": c.body if shown else None,
        "body_html": str(render_markdown(c.body)) if shown else None,
        "hidden": not shown, "hidden_reason": None if shown else c.hidden_reason,
        "replies": [comment(r, False) for r in c.replies] if with_replies else [],
    }


@bp.get("/proposals/<proposal_id>/comments")
def proposal_comments(proposal_id: str):
    number = whole_id(proposal_id)
    found = None if number is None else q.public_proposal(number)
    if found is None:
        abort(404, description=f"No public proposal {proposal_id}.")
    return jsonify(paginated(thread(found), comment))


@bp.get("/projects/<project_id>/comments")
def project_comments(project_id: str):
    number = whole_id(project_id)
    found = None if number is None else db.session.get(Project, number)
    if found is None:
        abort(404, description=f"No project {project_id}.")
    return jsonify(paginated(thread(found), comment))
