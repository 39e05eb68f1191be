"""Changing boards, their members and meetings.

Each verb checks what the data allows before touching anything, then flushes and writes its
audit event in the caller's transaction, so a refused change leaves nothing behind and an
accepted one is never unlogged. The view commits once.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import func, select

from ..audit.services import record
from ..follows.tell import notify
from ..auth.models import User
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import TranslationRefused
from .models import SEATS, Board, Meeting, Membership

SEAT_LABELS = {"police": "Police", "public_health": "Public health", "school": "School",
               "faith": "Faith community", "nonprofit": "Nonprofit", "resident": "Resident",
               "youth": "Youth"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"new"}  # would shadow the /boards/new page


class BoardError(Exception):
    """A change the data does not allow; ``field`` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class OwnSeat(BoardError):
    """Someone tried to set their own seat or term (the edit page answers 403)."""


OWN_SEAT_MESSAGE = ("Nobody can change their own seat, chair role or term, whatever their role: "
                    "another chair of this board or an administrator must do it. "
                    "Nothing was changed.")


@dataclass(frozen=True)
class Invitation:
    """What inviting produced: ``emailed`` says whether a new account's link to choose its
    password went out (None: the account already existed)."""

    membership: Membership
    emailed: bool | None = None


def can_manage(user, board: Board) -> bool:
    """Admins manage every board; a chair manages only the board they chair, and only while
    their term covers today, so a chair whose term ended cannot keep power (or extend it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    membership = board.current_member(user)
    return bool(membership and membership.is_chair)


def refuse_own_seat(membership: Membership | None, actor, user: User | None = None) -> None:
    """Nobody sets their own seat or term, admins included: one person alone could otherwise
    keep a chair's powers for ever. ``user`` is the account about to be seated."""
    person = membership.user_id if membership is not None else getattr(user, "id", None)
    if person is not None and person == getattr(actor, "id", None):
        raise OwnSeat(OWN_SEAT_MESSAGE)


def boards_by_name():
    return select(Board).order_by(Board.name, Board.id)


def board_by_slug(slug: str) -> Board | None:
    return db.session.scalar(select(Board).where(Board.slug == slug))


def members_in_order(board: Board) -> list[Membership]:
    """Chairs first, then seats in their canonical order, then names."""
    return sorted(board.memberships, key=lambda m: (not m.is_chair, SEATS.index(m.seat)
                                                    if m.seat in SEATS else len(SEATS),
                                                    m.user.name.casefold()))


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _check_slug(slug: str, board: Board | None = None) -> None:
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise BoardError(gettext("Use lower-case letters, digits and single hyphens (not "
                                 "“new”)."), "slug")
    taken = db.session.scalar(select(Board.id).where(Board.slug == slug))
    if taken is not None and (board is None or taken != board.id):
        raise BoardError(gettext("Another board already uses this address."), "slug")


def _neighbourhoods(ids) -> list[Neighbourhood]:
    ids = set(ids or ())
    found = list(db.session.scalars(select(Neighbourhood).where(Neighbourhood.id.in_(ids))
                                    .order_by(Neighbourhood.name))) if ids else []
    if len(found) != len(ids):
        raise BoardError(gettext("Choose neighbourhoods from the list."), "neighbourhoods")
    return found


def _check_term(seat: str, term_start: date, term_end: date | None) -> None:
    if seat not in SEATS:
        raise BoardError(gettext("Choose a seat from the list."), "seat")
    if term_start is None:
        raise BoardError(gettext("Give the date the term starts."), "term_start")
    if term_end is not None and term_end < term_start:
        raise BoardError(gettext("The term cannot end before it starts."), "term_end")


def _terms(m: Membership) -> dict:
    return {"seat": m.seat, "organisation": m.organisation, "is_chair": m.is_chair,
            "term_start": m.term_start.isoformat(),
            "term_end": m.term_end.isoformat() if m.term_end else None}


def _translate(board: Board, translations: dict | None) -> None:
    try:
        board.translate(translations)
    except TranslationRefused as error:
        raise BoardError(str(error), "name_es") from None


def create_board(actor, *, name: str, slug: str, purpose: str = "", charter: str = "",
                 neighbourhood_ids=(), translations: dict | None = None) -> Board:
    _check_slug(slug)
    board = Board(name=name, slug=slug, purpose=purpose, charter=charter)
    _translate(board, translations)
    board.neighbourhoods = _neighbourhoods(neighbourhood_ids)
    db.session.add(board)
    db.session.flush()
    record(actor, "board.create", f"board:{board.id}", slug=slug, name=name,
           neighbourhoods=[n.slug for n in board.neighbourhoods])
    return board


def update_board(board: Board, actor, *, name: str, slug: str, purpose: str, charter: str,
                 neighbourhood_ids=(), translations: dict | None = None) -> None:
    """Records which fields changed (and the slug, which is the board's public address)."""
    _check_slug(slug, board)
    hoods = _neighbourhoods(neighbourhood_ids)
    new = {"name": name, "slug": slug, "purpose": purpose, "charter": charter}
    changed = sorted(k for k, v in new.items() if getattr(board, k) != v)
    if {n.id for n in hoods} != {n.id for n in board.neighbourhoods}:
        changed.append("neighbourhoods")
    before = board.translations or {}
    _translate(board, translations)
    if board.translations != before:
        changed.append("translations")
    old_slug = board.slug
    for key, value in new.items():
        setattr(board, key, value)
    board.neighbourhoods = hoods
    db.session.flush()
    record(actor, "board.update", f"board:{board.id}", changed=changed, slug=slug,
           **({"old_slug": old_slug} if old_slug != slug else {}))


def invite_member(board: Board, actor, *, email: str, seat: str, term_start: date,
                  term_end: date | None = None, organisation: str = "", is_chair: bool = False,
                  create_account: bool = False, name: str = "") -> Invitation:
    """Seat an existing account, or (admins only) create one and email its owner a link to
    choose a password: nobody but them ever knows it, and the link confirms the address."""
    _check_term(seat, term_start, term_end)
    email = email.strip()
    user = user_by_email(email)
    created = False
    if create_account:
        if not getattr(actor, "is_admin", False):
            raise BoardError(gettext("Only an administrator can create accounts."), "account")
        if user is not None:
            raise BoardError(gettext("An account already uses this email; add it as an "
                                     "existing account."),
                             "email")
        if not name.strip():
            raise BoardError(gettext("Give the new member's name."), "name")
        created = True
        user = User(email=email.lower(), name=name.strip(), role="resident")
        user.set_password(secrets.token_urlsafe(32))  # known to nobody, until the link sets one
        db.session.add(user)
        db.session.flush()
        record(actor, "user.create", f"user:{user.id}", role="resident", via="board invite",
               board=board.slug)
    elif user is None:
        raise BoardError(gettext("No account uses this email. Check it, or create an "
                                 "account."), "email")
    elif board.member(user) is not None:
        raise BoardError(gettext("%(name)s is already a member of this board.", name=user.name),
                         "email")
    refuse_own_seat(None, actor, user)
    membership = Membership(user=user, seat=seat, organisation=organisation, is_chair=is_chair,
                            term_start=term_start, term_end=term_end)
    board.memberships.append(membership)
    db.session.flush()
    record(actor, "membership.add", f"membership:{membership.id}", board=board.slug,
           user_id=user.id, new_account=created, **_terms(membership))
    if not created:
        return Invitation(membership)
    from ..auth.password_links import send_invitation

    return Invitation(membership, send_invitation(user, actor.name, board.name))


def update_membership(membership: Membership, actor, *, seat: str, term_start: date,
                      term_end: date | None = None, organisation: str = "",
                      is_chair: bool = False) -> None:
    """Any change to a seat is logged with its actor and the fields' old and new values."""
    refuse_own_seat(membership, actor)
    _check_term(seat, term_start, term_end)
    before = _terms(membership)
    membership.seat, membership.organisation, membership.is_chair = seat, organisation, is_chair
    membership.term_start, membership.term_end = term_start, term_end
    after = _terms(membership)
    db.session.flush()
    record(actor, "membership.update", f"membership:{membership.id}",
           board=membership.board.slug, user_id=membership.user_id,
           changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})


def remove_membership(membership: Membership, actor) -> None:
    """The account stays; only the seat on this board goes. The event keeps what was removed."""
    board = membership.board
    record(actor, "membership.remove", f"membership:{membership.id}", board=board.slug,
           user_id=membership.user_id, **_terms(membership))
    board.memberships.remove(membership)
    db.session.flush()


def save_meeting(board: Board, actor, meeting: Meeting | None = None, *, title: str,
                 starts_at: datetime, location: str = "", agenda: str = "",
                 minutes: str = "", translations: dict | None = None) -> Meeting:
    """Create a meeting (``meeting`` None) or edit one of this board's meetings; its texts
    may be given in Spanish too (``translations``, see ``Translated.translate``)."""
    if starts_at is None or starts_at.tzinfo is None:
        raise BoardError(gettext("Give the date and time the meeting starts."), "starts_at")
    if meeting is not None and meeting.board_id != board.id:
        raise BoardError(gettext("That meeting belongs to another board."))
    created = meeting is None
    target = Meeting() if created else meeting
    before = dict(target.translations or {})
    try:
        target.translate(translations)
    except TranslationRefused as error:
        raise BoardError(str(error)) from None
    meeting = target
    if created:
        meeting.board = board
        db.session.add(meeting)
    fields = {"title": title, "starts_at": starts_at, "location": location, "agenda": agenda,
              "minutes": minutes}
    changed = sorted(k for k, v in fields.items() if created or getattr(meeting, k) != v)
    if (meeting.translations or {}) != before:
        changed.append("translations")
    for key, value in fields.items():
        setattr(meeting, key, value)
    db.session.flush()
    record(actor, "meeting.create" if created else "meeting.update", f"meeting:{meeting.id}",
           board=board.slug, title=title, starts_at=starts_at.isoformat(), changed=changed)
    if created or "starts_at" in changed:
        notify(board, "meeting" if created else "meeting_moved", actor, meeting_id=meeting.id,
               title=title, starts_at=starts_at.isoformat())
    return meeting
