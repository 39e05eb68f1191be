"""Report pages and their downloads: load the published thing (404 otherwise), gather the
report once, then draw it as HTML, CSV or JSON."""
from __future__ import annotations

import functools

from flask import abort, current_app, make_response, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import select

from .. import page_memory
from ..boards.models import Board, Meeting, Membership
from ..cycles.models import Cycle, Result
from ..cycles import result_section
from ..cycles.views import published_result
from ..extensions import db
from ..metrics.models import Measurement, Metric, ProjectMetric
from ..metrics.tables import read_once
from ..projects.models import Milestone, Project, ProjectStatusChange, ProjectUpdate, Spending
from ..proposals.models import Proposal
from . import bp, words
from .charts import report_charts
from .data import (board_projects, board_report, cycle_projects, cycle_report, progress_of,
                   project_report, published_cycle_ids)
from .downloads import report_csv, report_json

PROGRESS_PARTIAL = "metrics/_progress.html"


def _published_cycle(slug: str) -> tuple[Cycle, Result]:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    result = published_result(cycle) if cycle is not None and cycle.phase != "draft" else None
    if result is None:
        abort(404)
    return cycle, result


def _board(slug: str) -> Board:
    board = db.session.scalar(select(Board).where(Board.slug == slug))
    if board is None:
        abort(404)
    return board


def _project(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or project.cycle_id not in published_cycle_ids():
        abort(404)
    return project


# reports are kept for signed-out readers (``page_memory.for_every_reader``); a commit in this
# worker that writes any of these forgets them at once
page_memory.watch(Board, Membership, Meeting, Cycle, Result, Proposal, Project,
                  ProjectStatusChange, Milestone, ProjectUpdate, Spending, Metric, Measurement,
                  ProjectMetric)


def _reading_once(view):
    """A report reads the same metrics' tables, and the reader's language, from many sections:
    look each up once."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with read_once(), words.bound():
            return view(*args, **kwargs)
    return wrapper


def _has_progress_partial() -> bool:
    try:
        current_app.jinja_env.get_template(PROGRESS_PARTIAL)
    except TemplateNotFound:
        return False
    return True


def _page(template: str, report: dict, **context):
    return render_template(template, report=report, report_charts=report_charts(report),
                           progress_partial=_has_progress_partial(), **context)


def _download(body: str, mimetype: str, filename: str):
    response = make_response(body)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(report: dict, name: str):
    return _download(report_csv(report), "text/csv", f"{name}.csv")


def _json(report: dict, name: str):
    return _download(report_json(report), "application/json", f"{name}.json")


@bp.get("/cycles/<slug>")
@page_memory.for_every_reader
@_reading_once
def cycle(slug: str):
    cycle, result = _published_cycle(slug)
    projects = cycle_projects(cycle)
    progress = progress_of(projects)
    report = cycle_report(cycle, result, projects, progress, result_section.shown(result))
    return _page("reports/cycle.html", report, cycle=cycle, projects=projects,
                 progress_by_project=progress, result=result,
                 result_html=result_section.drawn(result, in_report=True))


@bp.get("/cycles/<slug>.csv")
@page_memory.for_every_reader
@_reading_once
def cycle_csv(slug: str):
    cycle, result = _published_cycle(slug)
    return _csv(cycle_report(cycle, result, shown=result_section.shown(result)),
                f"{cycle.slug}-report")


@bp.get("/cycles/<slug>.json")
@page_memory.for_every_reader
@_reading_once
def cycle_json(slug: str):
    cycle, result = _published_cycle(slug)
    return _json(cycle_report(cycle, result, shown=result_section.shown(result)),
                 f"{cycle.slug}-report")


@bp.get("/boards/<slug>")
@page_memory.for_every_reader
@_reading_once
def board(slug: str):
    board = _board(slug)
    projects = board_projects(board)
    progress = progress_of(projects)
    return _page("reports/board.html", board_report(board, projects, progress), board=board,
                 projects=projects, progress_by_project=progress)


@bp.get("/boards/<slug>.csv")
@page_memory.for_every_reader
@_reading_once
def board_csv(slug: str):
    board = _board(slug)
    return _csv(board_report(board), f"board-{board.slug}-report")


@bp.get("/boards/<slug>.json")
@page_memory.for_every_reader
@_reading_once
def board_json(slug: str):
    board = _board(slug)
    return _json(board_report(board), f"board-{board.slug}-report")


@bp.get("/projects/<int:project_id>")
@page_memory.for_every_reader
@_reading_once
def project(project_id: int):
    project = _project(project_id)
    progress = progress_of([project])
    return _page("reports/project.html", project_report(project, progress[project.id]),
                 project=project, projects=[project], progress_by_project=progress)


@bp.get("/projects/<int:project_id>.csv")
@page_memory.for_every_reader
@_reading_once
def project_csv(project_id: int):
    project = _project(project_id)
    return _csv(project_report(project), f"project-{project.id}-report")


@bp.get("/projects/<int:project_id>.json")
@page_memory.for_every_reader
@_reading_once
def project_json(project_id: int):
    project = _project(project_id)
    return _json(project_report(project), f"project-{project.id}-report")
