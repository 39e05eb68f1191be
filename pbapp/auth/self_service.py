"""What residents do to their own account: change or reset the password, correct the details
that decide where they may vote, and delete the account.

Functions flush but never commit; the view commits once, with the audit event.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import get_locale, gettext
from sqlalchemy import exists, select

from ..audit.services import record
from ..models_base import utcnow
from ..extensions import db
from . import services
from .models import User
from .services import AccountError


def change_own_password(user: User, current: str, new: str) -> None:
    """The current password is asked for, so a session left open on a shared computer cannot
    take the account over; every other session ends (``services.change_password``)."""
    if not user.check_password(current):
        raise AccountError(gettext("Your current password is not right. Nothing was changed."))
    services.change_password(user, new)
    record(user, "user.password", f"user:{user.id}", via="account page")
    services.sign_in(user)


def set_password_from_link(user: User, new: str, *, via: str) -> None:
    """The link came through the mailbox, so it confirms the address as well."""
    services.change_password(user, new)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    record(user, "user.password", f"user:{user.id}", via=via)
    services.sign_in(user)


EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
LATEST = datetime.max.replace(tzinfo=timezone.utc)


def _window(cycle, now: datetime) -> tuple[datetime, datetime]:
    """When the cycle's voting was open; a cycle still voting is open from here on."""
    if cycle.phase == "voting":
        return cycle.voting_opens or EARLIEST, LATEST
    return cycle.voting_opens or EARLIEST, cycle.voting_closes or now


def cycle_holding_details(user: User):
    """A cycle open for voting that stops this account changing a neighbourhood or birth year
    it has already given, else None.

    Those details decide where the account may vote. Had it voted in one neighbourhood's cycle,
    moving to another while that one (or any cycle whose voting overlaps it) is open would give
    one person a say in both, so the move waits until the voting it took part in has closed.
    """
    from ..cycles.models import Cycle
    from ..voting.identity import account_voter
    from ..voting.models import Participation

    now = utcnow()
    open_cycles = db.session.scalars(select(Cycle).where(Cycle.phase == "voting")).all()
    if not open_cycles:
        return None
    voted = []
    for cycle in db.session.scalars(select(Cycle).where(Cycle.voting_opens.is_not(None)
                                                        | (Cycle.phase == "voting"))):
        voter = account_voter(cycle, user)
        if voter is not None and db.session.scalar(select(exists().where(
                Participation.cycle_id == cycle.id, Participation.voter_key == voter.key))):
            voted.append(_window(cycle, now))
    for cycle in open_cycles:
        opens, closes = _window(cycle, now)
        if any(v_opens <= closes and opens <= v_closes for v_opens, v_closes in voted):
            return cycle
    return None


def update_details(user: User, *, name: str, neighbourhood_id: int | None,
                   birth_year: int | None) -> list[str]:
    """Save the account's name, neighbourhood and birth year; the names of the changed fields.

    Filling in a detail left blank never lets anyone vote twice; changing or clearing one already
    given may (clearing then filling in again is a change in two steps), so either is refused
    while ``cycle_holding_details`` names a cycle. The audit event names the fields, not their
    values.
    """
    changed = []
    eligibility = []
    if neighbourhood_id != user.neighbourhood_id:
        changed.append("neighbourhood")
        if user.neighbourhood_id is not None:
            eligibility.append("neighbourhood")
    if birth_year != user.birth_year:
        changed.append("birth_year")
        if user.birth_year is not None:
            eligibility.append("birth_year")
    if eligibility:
        cycle = cycle_holding_details(user)
        if cycle is not None:
            raise AccountError(gettext(
                "You have voted while %(cycle)s is open for voting, so your neighbourhood and "
                "birth year stay as they were until its voting closes: one person has one say. "
                "Nothing was changed. If they are wrong, ask staff.", cycle=cycle.text("name", get_locale())))
    name = name.strip()
    if name != user.stored_name:
        changed.insert(0, "name")
    if not changed:
        return []
    user.name, user.neighbourhood_id, user.birth_year = name, neighbourhood_id, birth_year
    db.session.flush()
    record(user, "user.details", f"user:{user.id}", changed=changed)
    return changed
