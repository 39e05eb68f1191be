"""Who is voting: one key per person, whichever way the ballot comes in.

The participation table's unique (cycle, voter_key) is what stops a second ballot, so the key
must name the person, not the channel. Where a cycle has a voter roll, every key is the roll
entry's: an account matched by its verified email (or that claimed its letter's code), a
personal letter code, and a paper ballot entered with a roll id all give ``roll:<entry id>``, so
the second ballot of one person is refused whichever channel it tries. Without a roll, an
account is its own key and an anonymous code its own; the two cannot both exist in one cycle
(``pbapp.voting.codes`` refuses anonymous codes where accounts vote).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select

from ..cycles.models import Cycle
from ..extensions import db
from .eligibility import age_in
from .models import VoterRollEntry, VotingCode
from .roll import band_of
from .services import voter_key


@dataclass(frozen=True)
class Voter:
    """What a ballot's participation row needs to know about its voter."""

    key: str
    roll_checked: bool = False
    neighbourhood_id: int | None = None
    age_band: str | None = None


def roll_voter(cycle: Cycle, entry: VoterRollEntry) -> Voter:
    band = entry.age_band or band_of(age_in(cycle, entry.birth_year))
    return Voter(voter_key("roll", entry.id), True, entry.neighbourhood_id, band)


def account_roll_entry(cycle: Cycle, user) -> VoterRollEntry | None:
    """The roll entry of a verified account: the one it claimed, else the one with its email.
    An unverified account matches nothing, whatever address it typed."""
    if user.email_verified_at is None:
        return None
    return db.session.scalars(
        select(VoterRollEntry)
        .where(VoterRollEntry.cycle_id == cycle.id,
               or_(VoterRollEntry.user_id == user.id, VoterRollEntry.email == user.email))
        .order_by((VoterRollEntry.user_id == user.id).desc(), VoterRollEntry.id).limit(1)
    ).first()


def account_voter(cycle: Cycle, user) -> Voter | None:
    """The account's voter, or None when the cycle's roll has no entry for it."""
    if cycle.use_roll:
        entry = account_roll_entry(cycle, user)
        return roll_voter(cycle, entry) if entry is not None else None
    return Voter(voter_key("user", user.voter_id), False, user.neighbourhood_id,
                 band_of(age_in(cycle, user.birth_year)))


_CODE_ROW = select(VotingCode).where(VotingCode.cycle_id == bindparam("cycle_id"),
                                    VotingCode.code_hash == bindparam("hashed"))


def code_row(cycle: Cycle, hashed: str) -> VotingCode | None:
    return db.session.scalar(_CODE_ROW, {"cycle_id": cycle.id, "hashed": hashed})


def code_voter(cycle: Cycle, code: VotingCode) -> Voter:
    """A personal code votes as its roll entry; an anonymous one as itself."""
    if code.roll_entry_id is not None:
        return roll_voter(cycle, db.session.get(VoterRollEntry, code.roll_entry_id))
    return Voter(voter_key("code", code.code_hash))


class ClaimRefused(Exception):
    """The code was not linked to the account; the message says why, for the resident."""


def claim_roll_entry(cycle: Cycle, user, code: str) -> VoterRollEntry:
    """Link a verified account to the roll entry of its letter's personal code, once: for a
    resident whose account email is not the one on the roll. The account then votes as that
    entry, so the letter's code and the account share one ballot."""
    from flask_babel import gettext
    from sqlalchemy.exc import IntegrityError

    from ..audit.services import record
    from .codes import CODE_LENGTH, code_hash, code_refused, normalise

    if user.email_verified_at is None:
        raise ClaimRefused(gettext("Confirm your email address first; your account page can "
                                   "send a new link."))
    if account_roll_entry(cycle, user) is not None:
        raise ClaimRefused(gettext("Your account is already on this cycle's voter roll."))
    row = code_row(cycle, code_hash(code)) if len(normalise(code)) == CODE_LENGTH else None
    if row is None or row.roll_entry_id is None:
        raise ClaimRefused(code_refused())
    entry = db.session.get(VoterRollEntry, row.roll_entry_id)
    if entry.user_id is not None:
        raise ClaimRefused(gettext("This code's place on the roll is already linked to another "
                                   "account. Ask staff for help."))
    entry.user_id = user.id
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same account claimed another entry at the same moment
        raise ClaimRefused(gettext("Your account is already on this cycle's voter roll.")
                           ) from None
    record(user, "roll.claim", f"cycle:{cycle.id}", user_id=user.id)
    return entry
