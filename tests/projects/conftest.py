"""Factories for funded projects, the boards behind them and their members."""
from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.boards.models import Board, Membership
from pbapp.cycles.models import Cycle
from pbapp.extensions import db
from pbapp.projects.models import Milestone, Project, ProjectStatusChange, ProjectUpdate
from pbapp.proposals.models import Proposal


@pytest.fixture()
def make_board(app):
    def make(slug: str = "east-safety") -> Board:
        board = Board(slug=slug, name=slug.replace("-", " ").title() + " Board")
        db.session.add(board)
        db.session.commit()
        return board
    return make


@pytest.fixture()
def board(make_board) -> Board:
    return make_board()


@pytest.fixture()
def make_member(make_user):
    """Factory: a user with a seat on ``board`` whose term covers today unless told."""
    def make(board: Board, name: str = "Keisha Grant", email: str | None = None,
             term_start: date = date(2026, 1, 1), term_end: date | None = None):
        user = make_user(name=name, email=email)
        db.session.add(Membership(board=board, user=user, seat="nonprofit",
                                  term_start=term_start, term_end=term_end))
        db.session.commit()
        return user
    return make


@pytest.fixture()
def member(board, make_member):
    return make_member(board, email="keisha@example.org")


@pytest.fixture()
def make_project(app):
    """Factory: a funded proposal's project in ``status`` (cycle in implementation unless given)."""
    numbers = itertools.count(1)

    def make(board: Board, status: str = "planned", title: str = "Violence interrupters",
             cost: int = 150_000, cycle: Cycle | None = None, phase: str = "implementation",
             summary: str = "Credible messengers mediate disputes.") -> Project:
        n = next(numbers)
        if cycle is None:
            cycle = Cycle(slug=f"cycle-{n}", name=f"Cycle {n}", budget_cents=500_000_00,
                          phase=phase)
            db.session.add(cycle)
        proposal = Proposal(cycle=cycle, board=board, title=title, summary=summary,
                            cost_cents=cost * 100, status="funded")
        project = Project(proposal=proposal, cycle=cycle, board=board, title=title,
                          summary=summary, budget_cents=cost * 100, status=status)
        project.history.append(ProjectStatusChange(from_status=None, to_status="planned",
                                                   reason="Funded."))
        if status != "planned":
            project.history.append(ProjectStatusChange(from_status="planned", to_status=status,
                                                       reason=f"Now {status}."))
        db.session.add(project)
        db.session.commit()
        return project
    return make


@pytest.fixture()
def project(board, make_project) -> Project:
    return make_project(board)


@pytest.fixture()
def rows(app):
    """Counts of the rows a refused or invalid request must leave alone."""
    def snapshot() -> dict:
        db.session.expire_all()
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Project, ProjectStatusChange, Milestone, ProjectUpdate,
                              AuditEvent)}
    return snapshot


@pytest.fixture()
def fresh(app):
    """The row as the database now holds it, not as this session remembers it."""
    def reload(obj):
        db.session.expire_all()
        return db.session.get(type(obj), obj.id)
    return reload


@pytest.fixture()
def session_csrf(client, app):
    """A valid token for the client's session, for requests no page would offer a form for."""
    from itsdangerous import URLSafeTimedSerializer

    def token() -> str:
        with client.session_transaction() as session:
            raw = session.setdefault("csrf_token", "p" * 40)
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return token
