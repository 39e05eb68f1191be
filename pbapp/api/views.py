"""The API's endpoints: load what the public may see (404 otherwise) → one JSON document."""
from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from ..extensions import db
from ..metrics.progress import progress_for
from ..metrics.tables import public_rows
from ..projects.models import Project, spent_cents
from . import bp
from . import queries as q
from . import serialize as doc
from .http import CATCH_ALL_METHODS, KEY, SLUG, names_something, paginated, read_only, whole_id
from .openapi import document


def _cycle_or_404(slug: str):
    found = q.public_cycle(slug) if names_something(slug, SLUG) else None
    if found is None:
        abort(404, description=f"No public budget cycle “{slug}”.")
    return found


def _metric_or_404(key: str):
    found = q.metric(key) if names_something(key, KEY) else None
    if found is None:
        abort(404, description=f"No metric “{key}”.")
    return found


@bp.route("/", methods=CATCH_ALL_METHODS)
def index():
    """Where to start: a link to each collection, to the OpenAPI document and to the page
    that explains the open data, so a client (or a curious resident) never meets a 404."""
    read_only()
    return jsonify(doc.index())


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/cycles")
def cycles():
    return jsonify(paginated(q.public_cycles(), lambda c: doc.cycle(c, q.published_result(c))))


@bp.get("/cycles/<slug>")
def cycle(slug: str):
    found = _cycle_or_404(slug)
    return jsonify(doc.cycle(found, q.published_result(found)))


@bp.get("/cycles/<slug>/proposals")
def cycle_proposals(slug: str):
    found = _cycle_or_404(slug)
    return jsonify(paginated(q.public_proposals(found), doc.proposal))


@bp.get("/cycles/<slug>/results")
def cycle_results(slug: str):
    found = _cycle_or_404(slug)
    result = q.published_result(found)
    if result is None:
        abort(404, description=f"The result of “{slug}” is not published yet.")
    return jsonify(doc.result(found, result))


@bp.get("/proposals/<proposal_id>")
def proposal(proposal_id: str):
    number = whole_id(proposal_id)
    found = None if number is None else q.public_proposal(number)
    if found is None:
        abort(404, description=f"No public proposal {proposal_id}.")
    return jsonify(doc.proposal(found))


@bp.get("/proposals/<proposal_id>/timeline")
def proposal_timeline(proposal_id: str):
    """Only a proposal the public may open has a public timeline (a draft's has none)."""
    number = whole_id(proposal_id)
    found = None if number is None else q.public_proposal(number)
    if found is None:
        abort(404, description=f"No public proposal {proposal_id}.")
    from ..projects.models import Project
    from ..timeline import proposal_timeline as build

    project_id = db.session.scalar(select(Project.id).where(Project.proposal_id == found.id))
    return jsonify(doc.timeline(found.id, project_id, build(found)))


@bp.get("/projects/<project_id>/timeline")
def project_timeline(project_id: str):
    number = whole_id(project_id)
    found = None if number is None else db.session.get(Project, number)
    if found is None:
        abort(404, description=f"No project {project_id}.")
    from ..timeline import project_timeline as build

    return jsonify(doc.timeline(found.proposal_id, found.id, build(found)))


@bp.get("/projects")
def projects():
    def render(p: Project) -> dict:
        return doc.project(p, spent.get(p.id, 0))

    listed = q.public_projects()
    spent = spent_cents(p.id for p in listed)
    return jsonify(paginated(listed, render))


@bp.get("/projects/<project_id>")
def project(project_id: str):
    number = whole_id(project_id)
    found = None if number is None else db.session.get(Project, number)
    if found is None:
        abort(404, description=f"No project {project_id}.")
    return jsonify(doc.project_detail(found, spent_cents([found.id])[found.id],
                                      progress_for(found.id)))


@bp.get("/neighbourhoods")
def neighbourhoods():
    """GeoJSON, so any map tool reads it; only what the public maps draw."""
    return jsonify(doc.neighbourhoods(q.neighbourhoods_with_outlines()))


@bp.get("/metrics")
def metrics():
    return jsonify(paginated(q.metrics(), doc.metric))


@bp.get("/metrics/<key>")
def metric(key: str):
    return jsonify(doc.metric(_metric_or_404(key)))


@bp.get("/metrics/<key>/measurements")
def metric_measurements(key: str):
    """Only the protected public tables: a hidden cell is null with the reason it is hidden."""
    return jsonify(paginated(public_rows(_metric_or_404(key)), doc.measurement))
