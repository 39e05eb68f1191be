"""What each report says, gathered once as a plain dict that the page, CSV and JSON all use.

A report is ``{"report": kind, "title", "subject": {...}, "sections": [{id, title, tables}]}``
(tables as in ``cells``). Only published things are reported: a cycle once its result is
published, a board's public proposals, and projects whose cycle's result is published.
"""
from __future__ import annotations

from collections import defaultdict

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ..boards.models import Board, Meeting
from ..cycles.models import Cycle, Result
from ..extensions import db
from ..metrics.models import Metric, ProjectMetric
from ..metrics.progress import Progress
from ..metrics.progress import progress_of as judge_target
from ..metrics.tables import read_published
from ..models_base import utcnow
from ..projects.models import SPENDING_CATEGORIES, Project, spent_cents
from ..projects.views import spending_category
from ..proposals.models import Proposal
from .cells import cell, column, day, money, row, table
from .participation import turnout_tables
from .sections import (equity_tables, label, progress_table, projects_table, result_tables,
                       status_label, timeline_table, trend_table)
from .words import get_locale, gettext


def section(id: str, title: str, tables: list[dict]) -> dict:
    return {"id": id, "title": title, "tables": tables}


def published_cycle_ids() -> set[int]:
    return set(db.session.scalars(select(Result.cycle_id).where(
        Result.published_at.is_not(None)).distinct()))


def _projects(query, *options) -> list[Project]:
    # a board's members (loaded with it elsewhere, for its member lists) are not reported here
    return list(db.session.scalars(query.options(
        selectinload(Project.board).lazyload(Board.memberships),
        selectinload(Project.history), selectinload(Project.milestones),
        selectinload(Project.updates), *options)))


def cycle_projects(cycle: Cycle) -> list[Project]:
    # each project's cycle is this one, already in the session: no query needed to find it
    return _projects(Project.listed(cycle.id))


def board_projects(board: Board) -> list[Project]:
    published = published_cycle_ids()
    return [p for p in _projects(Project.listed().where(Project.board_id == board.id),
                                 selectinload(Project.cycle))
            if p.cycle_id in published]


def progress_of(projects: list[Project]) -> dict[int, list[Progress]]:
    """Each project's progress (as ``metrics.progress.progress_for`` judges it), with every
    target, and every metric's published cells, read at once rather than project by project."""
    targets = db.session.scalars(select(ProjectMetric).where(
        ProjectMetric.project_id.in_([p.id for p in projects])).order_by(ProjectMetric.id)
        .options(joinedload(ProjectMetric.metric).joinedload(Metric.agreement),
                 joinedload(ProjectMetric.neighbourhood))).all() if projects else []
    read_published(t.metric for t in targets)
    by_project: dict[int, list[Progress]] = {p.id: [] for p in projects}
    for t in targets:
        by_project[t.project_id].append(judge_target(t))
    return by_project


def _progress_sections(projects: list[Project], progress: dict[int, list[Progress]]) -> list:
    return [section("progress", gettext("Progress on shared metrics"),
                    [progress_table(p, progress[p.id]) for p in projects if progress[p.id]]),
            section("equity", gettext("Equity breakdowns"),
                    equity_tables([x for p in projects for x in progress[p.id]]))]


def cycle_report(cycle: Cycle, result: Result, projects: list[Project] | None = None,
                 progress: dict[int, list[Progress]] | None = None,
                 shown: dict | None = None) -> dict:
    """``shown``: what the page's results partial reads (``cycles.views._result_context``),
    so the count and the turnout are not read twice for one page."""
    projects = cycle_projects(cycle) if projects is None else projects
    progress = progress_of(projects) if progress is None else progress
    spent = spent_cents(p.id for p in projects)
    counted = (shown["turnout"], shown["places"]) if shown else None
    return {
        "report": "cycle",
        "title": gettext("Transparency report: %(cycle)s",
                         cycle=cycle.text("name", get_locale())),
        "subject": {"slug": cycle.slug, "name": cycle.name, "budget": cycle.budget,
                    "method": result.method, "phase": cycle.phase,
                    "url": url_for("cycles.show", slug=cycle.slug)},
        "sections": [
            section("participation", gettext("Participation"), turnout_tables(cycle, counted)),
            section("results", gettext("Results"),
                    result_tables(result, shown["data"] if shown else None)),
            section("projects", gettext("Funded projects"),
                    [projects_table(projects, spent, "board")]),
            *_progress_sections(projects, progress),
            section("timeline", gettext("Timeline"), [timeline_table(cycle, result, projects)]),
        ],
    }


def board_report(board: Board, projects: list[Project] | None = None,
                 progress: dict[int, list[Progress]] | None = None) -> dict:
    projects = board_projects(board) if projects is None else projects
    progress = progress_of(projects) if progress is None else progress
    spent = spent_cents(p.id for p in projects)
    proposals = db.session.scalars(
        Proposal.visible_to(None).join(Cycle, Proposal.cycle_id == Cycle.id)
        .where(Proposal.board_id == board.id, Cycle.phase != "draft")
        .options(selectinload(Proposal.cycle))
        .order_by(Cycle.created_at.desc(), Cycle.id.desc(), Proposal.title, Proposal.id)).all()
    project_of = {p.proposal_id: p for p in projects}
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.board_id == board.id, Meeting.starts_at <= utcnow())
        .order_by(Meeting.starts_at.desc())).all()
    about = table("board", gettext("The board"), [column("value", gettext("Value"))], [
        row("purpose", gettext("Purpose"),
            {"value": cell(board.text("purpose", get_locale()))}),
        row("serves", gettext("Serves"), {"value": cell(", ".join(
            sorted(n.name for n in board.neighbourhoods)))}),
        row("members", gettext("Members"), {"value": cell(len(board.memberships))})],
        header=gettext("What"))
    proposal_rows = table("proposals", gettext("Proposals"), [
        column("cycle", gettext("Cycle")), column("cost", gettext("Cost"), numeric=True),
        column("outcome", gettext("Outcome")), column("project", gettext("Project status"))],
        [row(p.id, p.text("title", get_locale()), {
            "cycle": cell(p.cycle.text("name", get_locale())), "cost": money(p.cost_cents),
            "outcome": cell(p.status, label("status_label", p.status)),
            "project": (cell(project_of[p.id].status, status_label(project_of[p.id].status))
                        if p.id in project_of else cell(None))},
            url=url_for("proposals.show", proposal_id=p.id)) for p in proposals],
        header=gettext("Proposal"))
    meeting_rows = table("meetings", gettext("Meetings held"), [
        column("date", gettext("Date")), column("location", gettext("Where")),
        column("minutes", gettext("Minutes published"))],
        [row(m.id, m.text("title", get_locale()), {
            "date": day(m.starts_at), "location": cell(m.text("location", get_locale())),
            "minutes": cell(bool(m.minutes), gettext("yes") if m.minutes
                            else gettext("not yet"))},
             url=url_for("boards.meeting", slug=board.slug, meeting_id=m.id))
         for m in meetings], header=gettext("Meeting"))
    return {
        "report": "board",
        "title": gettext("Transparency report: %(board)s",
                         board=board.text("name", get_locale())),
        "subject": {"slug": board.slug, "name": board.name,
                    "url": url_for("boards.show", slug=board.slug)},
        "sections": [
            section("board", gettext("The board"), [about]),
            section("proposals", gettext("Proposals, cycle by cycle"), [proposal_rows]),
            section("projects", gettext("Funded projects"),
                    [projects_table(projects, spent, "cycle")]),
            *_progress_sections(projects, progress),
            section("meetings", gettext("Meetings held"), [meeting_rows]),
        ],
    }


def _spending_table(project: Project, spent: int) -> dict:
    by_category: dict[str, int] = defaultdict(int)
    for s in project.spending:
        by_category[s.category] += s.amount_cents
    categories = list(SPENDING_CATEGORIES) + sorted(set(by_category) - set(SPENDING_CATEGORIES))
    out = table("spending", gettext("Spending by category"),
                [column("spent", gettext("Spent"), numeric=True)],
                [row(c, spending_category(c), {"spent": money(by_category.get(c, 0))})
                 for c in categories],
                row("total", gettext("Total spent"), {"spent": money(spent)}),
                header=gettext("Category"))
    out["budget"] = project.budget_cents // 100
    return out


def project_report(project: Project, progress: list[Progress] | None = None) -> dict:
    progress = progress_of([project])[project.id] if progress is None else progress
    spent = spent_cents([project.id])[project.id]
    summary = table("project", gettext("The project"), [column("value", gettext("Value"))], [
        row("summary", gettext("Summary"),
            {"value": cell(project.text("summary", get_locale()))}),
        row("board", gettext("Delivered by"), {"value": cell(project.board.text("name", get_locale()))}),
        row("cycle", gettext("Funded in"), {"value": cell(project.cycle.text("name", get_locale()))}),
        row("funded_on", gettext("Funded on"), {"value": day(project.created_at)}),
        row("status", gettext("Status"),
            {"value": cell(project.status, status_label(project.status))}),
        row("budget", gettext("Budget"), {"value": money(project.budget_cents)}),
        row("spent", gettext("Spent"), {"value": money(spent)}),
        row("left", gettext("Left"), {"value": money(project.budget_cents - spent)})],
        header=gettext("What"))
    milestones = table("milestones", gettext("Milestones"), [
        column("due", gettext("Due")), column("done", gettext("Done")),
        column("note", gettext("Note"))],
        [row(m.id, m.text("title", get_locale()), {
            "due": day(m.due_on),
            "done": day(m.done_on) if m.done_on else cell(None, gettext("not yet")),
            "note": cell(m.text("note", get_locale()))}) for m in project.milestones],
        header=gettext("Milestone"))
    history = table("status-history", gettext("Status history"), [
        column("date", gettext("Date")), column("from", gettext("From")),
        column("reason", gettext("Reason"))],
        [row(i, status_label(h.to_status), {
            "date": day(h.at),
            "from": cell(h.from_status, status_label(h.from_status) if h.from_status else ""),
            "reason": cell(h.text("reason", get_locale()))})
         for i, h in enumerate(project.history, 1)],
        header=gettext("Status"))
    updates = table("updates", gettext("Updates"), [
        column("date", gettext("Date")), column("body", gettext("Update"), markdown=True)],
        [row(u.id, u.text("title", get_locale()), {
            "date": day(u.published_at), "body": cell(u.text("body", get_locale()))})
         for u in sorted(project.updates, key=lambda u: (u.published_at, u.id))],
        header=gettext("Title"))
    return {
        "report": "project",
        "title": gettext("Transparency report: %(project)s",
                         project=project.text("title", get_locale())),
        "subject": {"id": project.id, "title": project.title, "board": project.board.slug,
                    "cycle": project.cycle.slug,
                    "url": url_for("projects.show", project_id=project.id)},
        "sections": [
            section("project", gettext("The project"), [summary]),
            section("spending", gettext("Budget and spending"),
                    [_spending_table(project, spent)]),
            section("milestones", gettext("Milestones"), [milestones]),
            section("status", gettext("Status history"), [history]),
            section("updates", gettext("Updates"), [updates]),
            section("progress", gettext("Progress on shared metrics"),
                    ([progress_table(project, progress)] if progress else [])
                    + [trend_table(p) for p in progress]),
            section("equity", gettext("Equity breakdowns"), equity_tables(progress)),
        ],
    }
