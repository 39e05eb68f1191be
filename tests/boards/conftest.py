"""Factories for boards, seats and meetings; a stand-in login page; a session CSRF token."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from pbapp.boards.models import Board, Meeting, Membership
from pbapp.cycles.models import Neighbourhood
from pbapp.extensions import db


@pytest.fixture()
def make_neighbourhood(app):
    def make(slug: str = "riverside", name: str | None = None) -> Neighbourhood:
        hood = Neighbourhood(slug=slug, name=name or slug.replace("-", " ").title())
        db.session.add(hood)
        db.session.commit()
        return hood
    return make


@pytest.fixture()
def make_board(app):
    """Factory: ``make_board(slug="east-safety", name=None, neighbourhoods=(), **columns)``."""
    def make(slug: str = "east-safety", name: str | None = None, neighbourhoods=(), **kw) -> Board:
        kw.setdefault("purpose", "Reduce violence in the east of the city.")
        kw.setdefault("charter", "## Charter\n\nMembers serve **two-year** terms.")
        board = Board(slug=slug, name=name or slug.replace("-", " ").title() + " Board", **kw)
        board.neighbourhoods = list(neighbourhoods)
        db.session.add(board)
        db.session.commit()
        return board
    return make


@pytest.fixture()
def seat(app):
    """Factory: ``seat(board, user, seat="resident", is_chair=False, organisation="", ...)``."""
    def make(board: Board, user, seat: str = "resident", is_chair: bool = False,
             organisation: str = "", term_start: date = date(2026, 1, 1),
             term_end: date | None = date(2027, 12, 31)) -> Membership:
        membership = Membership(board=board, user=user, seat=seat, is_chair=is_chair,
                                organisation=organisation, term_start=term_start,
                                term_end=term_end)
        db.session.add(membership)
        db.session.commit()
        return membership
    return make


@pytest.fixture()
def make_meeting(app):
    def make(board: Board, title: str = "Quarterly meeting", minutes: str = "", agenda: str = "",
             starts_at: datetime = datetime(2026, 9, 15, 18, tzinfo=timezone.utc)) -> Meeting:
        meeting = Meeting(board=board, title=title, starts_at=starts_at, location="Community Hall",
                          agenda=agenda, minutes=minutes)
        db.session.add(meeting)
        db.session.commit()
        return meeting
    return make


@pytest.fixture()
def chair(make_user, make_board, seat, login):
    """A signed-in chair of ``east-safety``; returns (board, user)."""
    board = make_board()
    user = make_user(name="Priya Chair")
    seat(board, user, seat="public_health", is_chair=True, organisation="County Public Health")
    login(user)
    return board, user


@pytest.fixture()
def session_csrf(client, app):
    """A valid CSRF token for the signed-in session without rendering a form, for requests
    that must be refused on role rather than on a missing token."""
    from itsdangerous import URLSafeTimedSerializer

    def token() -> str:
        raw = "a" * 40
        with client.session_transaction() as session:
            session["csrf_token"] = raw
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return token

