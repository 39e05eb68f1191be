"""Factories for cycles, boards with members, proposals and ideas; a session CSRF token."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.boards.models import Board, Membership
from pbapp.cycles.models import Cycle, Neighbourhood
from pbapp.extensions import db
from pbapp.proposals.models import Idea, Proposal, StatusChange


@pytest.fixture()
def make_hood(app):
    def make(slug: str = "riverside") -> Neighbourhood:
        hood = Neighbourhood(slug=slug, name=slug.replace("-", " ").title())
        db.session.add(hood)
        db.session.commit()
        return hood
    return make


@pytest.fixture()
def make_cycle(app):
    """Factory: ``make_cycle(phase="proposals", slug="2027-spring", neighbourhoods=())``."""
    def make(phase: str = "proposals", slug: str = "2027-spring", neighbourhoods=()) -> Cycle:
        cycle = Cycle(slug=slug, name=f"Cycle {slug}", budget_cents=500_000_00, phase=phase)
        cycle.neighbourhoods = list(neighbourhoods)
        db.session.add(cycle)
        db.session.commit()
        return cycle
    return make


@pytest.fixture()
def make_board(app):
    def make(slug: str = "east-safety") -> Board:
        board = Board(slug=slug, name=slug.replace("-", " ").title() + " Board")
        db.session.add(board)
        db.session.commit()
        return board
    return make


@pytest.fixture()
def make_member(make_user):
    """Factory: a user holding a seat on ``board`` (term covering today unless told)."""
    def make(board: Board, name: str = "Priya Member", term_start: date = date(2026, 1, 1),
             term_end: date | None = None):
        user = make_user(name=name)
        db.session.add(Membership(board=board, user=user, seat="public_health",
                                  term_start=term_start, term_end=term_end))
        db.session.commit()
        return user
    return make


@pytest.fixture()
def make_proposal(app):
    """Factory: a proposal already in ``status``, with the history that got it there."""
    def make(board: Board, cycle: Cycle, status: str = "draft",
             title: str = "Violence interrupters", author=None, **kw) -> Proposal:
        kw.setdefault("summary", "Credible messengers mediate disputes.")
        kw.setdefault("problem", "Retaliatory shootings near the station.")
        kw.setdefault("cost_cents", 150_000_00)
        proposal = Proposal(board=board, cycle=cycle, title=title, status=status,
                            author_id=getattr(author, "id", None), **kw)
        path = {"draft": [], "submitted": ["submitted"], "accepted": ["submitted", "accepted"],
                "rejected": ["submitted", "rejected"],
                "funded": ["submitted", "accepted", "funded"],
                "withdrawn": ["withdrawn"]}[status]
        previous = "draft"
        proposal.history.append(StatusChange(from_status=None, to_status="draft"))
        for step in path:
            proposal.history.append(StatusChange(from_status=previous, to_status=step))
            previous = step
        db.session.add(proposal)
        db.session.commit()
        return proposal
    return make


@pytest.fixture()
def make_idea(make_user):
    def make(cycle: Cycle, author=None, problem: str = "Dark underpass, people get mugged.",
             **kw) -> Idea:
        author = author or make_user(name="Rosa Resident")
        kw.setdefault("place", "Canal Walk underpass")
        kw.setdefault("suggestion", "Lights and a mural by local youth.")
        idea = Idea(cycle=cycle, author_id=author.id, problem=problem, **kw)
        db.session.add(idea)
        db.session.commit()
        return idea
    return make


@pytest.fixture()
def session_csrf(client, app):
    """A valid token for the client's session, for requests no page would offer a form for."""
    from itsdangerous import URLSafeTimedSerializer

    def token() -> str:
        with client.session_transaction() as session:
            raw = session.setdefault("csrf_token", "p" * 40)
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return token


@pytest.fixture()
def counts(app):
    """Snapshot of the rows a refused request must leave alone."""
    def snapshot() -> dict:
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Proposal, StatusChange, Idea, AuditEvent)}
    return snapshot


@pytest.fixture()
def fresh(app):
    """The row as the database now holds it, not as this session remembers it."""
    def reload(obj):
        db.session.expire_all()
        return db.session.get(type(obj), obj.id)
    return reload
