"""Entering, reconciling and committing paper ballots.

Each batch is typed twice, by two different staff members, without either seeing the other's
work; the two rounds are compared serial by serial and only a batch whose rounds agree (or whose
disagreeing serials were corrected or voided) may be committed. Entry is allowed only while the
cycle is in the **voting** phase: committing casts through ``cast_ballot``, which applies the
online rules except the dates (ballots cast in time are typed in after the close), so staff keep
the cycle in voting until the last paper batch is committed. Every function flushes and
audit-logs in the caller's transaction; the audit detail names batches and serials, never
rankings, codes or voters.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import User
from ..cycles.models import Cycle
from ..extensions import db
from ..labels import FILTERS
from ..models_base import utcnow
from ..numbers import COUNT_MAX, NumberRefused, whole
from ..voting.codes import CODE_LENGTH, code_hash, is_code_of, normalise
from ..voting.identity import Voter, account_voter, code_row, code_voter, roll_voter
from ..voting.models import VoterRollEntry
from ..voting.services import BallotRejected, cast_ballot, has_voted, validate_ranking
from .models import ROUNDS, PaperBatch, PaperEntry, PollingPlace
from .places import PlaceRefused, place_of_cycle


class PaperRefused(Exception):
    """Nothing was changed; the message says why, for the staff member at the keyboard."""


class CommitRefused(PaperRefused):
    """The batch was not committed; ``problems`` lists each serial at fault and why."""

    def __init__(self, problems: list[str]):
        super().__init__(gettext("The batch was not committed; nothing was recorded."))
        self.problems = problems


@dataclass(frozen=True)
class Mismatch:
    serial: str
    kind: str  # "missing", "ranking" or "voter"
    message: str
    sides: dict  # {round: PaperEntry or None}


def check_open(batch: PaperBatch) -> None:
    if batch.status == "committed":
        raise PaperRefused(gettext("This batch is committed; it can no longer change."))
    if batch.cycle.phase != "voting":
        raise PaperRefused(gettext("Paper ballots can be entered and committed only while "
                                   "voting is open; this cycle is in the %(phase)s phase.",
                                   phase=FILTERS["phase_label"](batch.cycle.phase)))


def create_batch(cycle: Cycle, label: str, actor, polling_place_id=None) -> PaperBatch:
    """A batch names one of its cycle's polling places once the cycle lists any (another
    cycle's place is refused); before then its place is "not recorded"."""
    if cycle.phase != "voting":
        raise PaperRefused(gettext("Paper batches can be started only while voting is open."))
    place = None
    has_places = db.session.scalar(select(PollingPlace.id).where(
        PollingPlace.cycle_id == cycle.id).limit(1)) is not None
    if has_places or polling_place_id not in (None, ""):
        try:
            place = place_of_cycle(cycle, polling_place_id)
        except PlaceRefused as refusal:
            raise PaperRefused(str(refusal)) from None
    label = label.strip()
    taken = db.session.scalar(select(PaperBatch.id).where(PaperBatch.cycle_id == cycle.id,
                                                          PaperBatch.label == label))
    if taken is not None:
        raise PaperRefused(gettext("This cycle already has a batch labelled “%(label)s”.",
                                   label=label))
    batch = PaperBatch(cycle_id=cycle.id, label=label, status="open", created_by=actor.id,
                       polling_place_id=place.id if place else None)
    db.session.add(batch)
    db.session.flush()
    record(actor, "paper.batch_create", f"paper_batch:{batch.id}", cycle_id=cycle.id,
           label=label, polling_place_id=batch.polling_place_id)
    return batch


def voter_ref_for(cycle: Cycle, code: str | None, roll: str | None) -> str:
    """The voter as stored on an entry: the code's keyed hash (never the code), the roll entry
    (by the council's reference or its email) in a cycle with a roll, else the account that
    the email names."""
    code, roll = (code or "").strip(), (roll or "").strip()
    if bool(code) == bool(roll):
        raise PaperRefused(gettext("Give either the voter's code or their roll entry (one, not "
                                   "both)."))
    if code:
        hashed = code_hash(code)
        if len(normalise(code)) != CODE_LENGTH or not is_code_of(cycle, hashed):
            raise PaperRefused(gettext("This voting code is not one of this cycle's codes. "
                                       "Check it."))
        return f"code:{hashed}"
    if cycle.use_roll:
        entry = db.session.scalars(select(VoterRollEntry).where(
            VoterRollEntry.cycle_id == cycle.id,
            or_(VoterRollEntry.reference == roll, VoterRollEntry.email == roll.lower()))
            .order_by((VoterRollEntry.reference == roll).desc()).limit(1)).first()
        if entry is None:
            raise PaperRefused(gettext("Nobody on this cycle's voter roll has this reference "
                                       "or email address."))
        return f"roll:{entry.id}"
    user_id = db.session.scalar(select(User.id).where(func.lower(User.email) == roll.lower()))
    if user_id is None:
        raise PaperRefused(gettext("No registered resident has this email address."))
    return f"user:{user_id}"


def voter_for(cycle: Cycle, voter_ref: str) -> Voter:
    """The voter the online channels would see, so one person votes once in all: a personal
    code and a roll reference both give the roll entry's key."""
    kind, _, ident = voter_ref.partition(":")
    if kind == "code":
        row = code_row(cycle, ident)
        if row is None:
            raise PaperRefused(gettext("This voting code is not one of this cycle's codes."))
        return code_voter(cycle, row)
    if kind == "roll":
        entry = db.session.get(VoterRollEntry, int(ident))
        if entry is None or entry.cycle_id != cycle.id:
            raise PaperRefused(gettext("This roll entry is no longer on the cycle's roll."))
        return roll_voter(cycle, entry)
    user = db.session.get(User, int(ident))
    voter = account_voter(cycle, user) if user is not None else None
    if voter is None:
        raise PaperRefused(gettext("This account is not on the cycle's voter roll."))
    return voter


def roll_email(voter_ref: str | None) -> str:
    """The roll entry to show again when correcting an entry ("" for a code: staff retype it)."""
    kind, _, ident = (voter_ref or "").partition(":")
    if kind == "roll":
        entry = db.session.get(VoterRollEntry, int(ident))
        return entry.reference if entry else ""
    user = db.session.get(User, int(ident)) if kind == "user" else None
    return user.email if user else ""


def describe_voter(voter_ref: str | None) -> str:
    """For the mismatch list: enough to tell two voters apart, never the code."""
    kind, _, ident = (voter_ref or "").partition(":")
    if kind in ("user", "roll"):
        return f"roll: {roll_email(voter_ref) or 'unknown'}"
    return f"voting code (fingerprint {ident[:8]})" if kind == "code" else "none"


def _check_entry(batch: PaperBatch, entry_round: int, serial: str, voter_ref: str,
                 ranking: list[int], skip: PaperEntry | None = None) -> list[int]:
    ranking = validate_ranking(batch.cycle, [int(p) for p in ranking], check_dates=False)
    for other in batch.round_entries(entry_round):
        if other is not skip and other.serial != serial and other.voter_ref == voter_ref \
                and not other.void_reason:
            raise PaperRefused(gettext("This voter is already entered on serial %(serial)s "
                                       "in round %(round)s.", serial=other.serial,
                                       round=entry_round))
    if has_voted(batch.cycle, voter_for(batch.cycle, voter_ref).key):
        raise PaperRefused(gettext("This voter has already voted (online, by code or on "
                                   "paper)."))
    return ranking


def enter_ballot(batch: PaperBatch, entry_round: int, actor, serial: str, voter_ref: str,
                 ranking: list[int]) -> PaperEntry:
    """Stage one paper ballot. The same person may not type both rounds of a batch: the
    second round is only a check if someone else does it."""
    check_open(batch)
    if entry_round not in ROUNDS:
        raise PaperRefused(gettext("A batch is entered in round 1 or round 2."))
    other = 2 if entry_round == 1 else 1
    if actor.id in batch.round_enterers(other):
        raise PaperRefused(gettext("You entered round %(other)s of this batch; round "
                                   "%(round)s must be entered by another staff member.",
                                   other=other, round=entry_round))
    serial = serial.strip()
    mine = {e.serial: e for e in batch.round_entries(entry_round)}
    if serial in mine:
        raise PaperRefused(gettext("Serial %(serial)s is already entered in round %(round)s; "
                                   "correct that entry instead.", serial=serial,
                                   round=entry_round))
    if any(e.serial == serial and e.void_reason for e in batch.entries):
        raise PaperRefused(gettext("Serial %(serial)s was voided in this batch.",
                                   serial=serial))
    ranking = _check_entry(batch, entry_round, serial, voter_ref, ranking)
    entry = PaperEntry(serial=serial, entry_round=entry_round, entered_by=actor.id,
                       ranking=ranking, voter_ref=voter_ref, entered_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            entry.batch = batch
    except IntegrityError:
        raise PaperRefused(gettext("Serial %(serial)s was just entered in round %(round)s "
                                   "by someone else.", serial=serial,
                                   round=entry_round)) from None
    record(actor, "paper.enter", f"paper_batch:{batch.id}", serial=serial, round=entry_round)
    refresh_status(batch)
    return entry


def correct_entry(entry: PaperEntry, actor, voter_ref: str, ranking: list[int]) -> None:
    """Resolve a mismatch by fixing one side after looking at the paper ballot."""
    batch = entry.batch
    check_open(batch)
    if entry.void_reason:
        raise PaperRefused(gettext("Serial %(serial)s was voided.", serial=entry.serial))
    entry.ranking = _check_entry(batch, entry.entry_round, entry.serial, voter_ref, ranking,
                                 skip=entry)
    entry.voter_ref = voter_ref
    db.session.flush()
    record(actor, "paper.correct", f"paper_batch:{batch.id}", serial=entry.serial,
           round=entry.entry_round)
    refresh_status(batch)


def void_serial(batch: PaperBatch, serial: str, reason: str, actor) -> None:
    """Set a serial aside (spoilt, unreadable, not from this batch): it will not be cast."""
    check_open(batch)
    reason = (reason or "").strip()
    if not reason:
        raise PaperRefused(gettext("Say why the serial is voided."))
    entries = [e for e in batch.entries if e.serial == serial]
    if not entries:
        raise PaperRefused(gettext("Serial %(serial)s is not in this batch.", serial=serial))
    for entry in entries:
        entry.void_reason = reason
    db.session.flush()
    record(actor, "paper.void", f"paper_batch:{batch.id}", serial=serial, reason=reason)
    refresh_status(batch)


def mismatches(batch: PaperBatch) -> list[Mismatch]:
    """Per serial (voided ones aside): present in both rounds, same ranking, same voter."""
    rounds = {r: {e.serial: e for e in batch.round_entries(r) if not e.void_reason}
              for r in ROUNDS}
    found = []
    for serial in sorted(set(rounds[1]) | set(rounds[2]), key=_serial_order):
        sides = {r: rounds[r].get(serial) for r in ROUNDS}
        if None in sides.values():
            missing = next(r for r, e in sides.items() if e is None)
            found.append(Mismatch(serial, "missing", gettext("Missing in round %(round)s.",
                                                             round=missing), sides))
        elif sides[1].ranking != sides[2].ranking:
            found.append(Mismatch(serial, "ranking", gettext("The rankings differ."), sides))
        elif sides[1].voter_ref != sides[2].voter_ref:
            found.append(Mismatch(serial, "voter", gettext("The voters differ."), sides))
    return found


def _serial_order(serial: str):
    """Numbered serials in number order, then the rest by text; "²" and "٥" are text."""
    try:
        return (0, whole(serial, 0, COUNT_MAX), serial)
    except NumberRefused:
        return (1, 0, serial)


def refresh_status(batch: PaperBatch) -> None:
    if batch.status in ("entered", "reconciled"):
        batch.status = "entered" if mismatches(batch) else "reconciled"
        db.session.flush()


def close_entry(batch: PaperBatch, actor) -> list[Mismatch]:
    """Both rounds are typed: compare them and show the differences for resolution."""
    check_open(batch)
    if batch.status != "open":
        raise PaperRefused(gettext("This batch has already been compared."))
    if not batch.round_entries(1) or not batch.round_entries(2):
        raise PaperRefused(gettext("Both rounds need entries before they can be compared."))
    batch.status = "entered"
    refresh_status(batch)
    found = mismatches(batch)
    record(actor, "paper.compare", f"paper_batch:{batch.id}", mismatches=len(found))
    return found


def commit_batch(batch: PaperBatch, actor) -> int:
    """Cast every non-voided serial through ``cast_ballot`` (channel "paper"), all or nothing.

    Each voter is checked in through the participation table with the same key as online
    (``voter_for``: the roll entry's where the cycle has a roll), so a voter who voted online
    is refused here and the other way round. Every serial is tried, so the refusal lists them all;
    the caller rolls the whole transaction back on ``CommitRefused``. Paper voters get no
    receipt: the receipt code is dropped.

    Unlinkability: the entries are the only rows that hold a serial, a ranking and a voter
    together, and they are deleted in the same transaction as the ballots are written, leaving
    the batch with its counts only. Ballots are cast in random order, so the order of
    participation rows says nothing about serials; the audit log holds serials but no voters.
    """
    check_open(batch)
    db.session.refresh(batch, with_for_update=True)
    check_open(batch)
    if batch.status != "reconciled" or mismatches(batch):
        raise PaperRefused(gettext("Only a compared batch with no mismatches can be committed."))
    to_cast = [e for e in batch.round_entries(1) if not e.void_reason]
    if not to_cast:
        raise PaperRefused(gettext("The batch has no ballots to commit."))
    secrets.SystemRandom().shuffle(to_cast)
    problems = []
    for entry in to_cast:
        try:
            voter = voter_for(batch.cycle, entry.voter_ref)
            cast_ballot(batch.cycle, voter.key, "paper", list(entry.ranking),
                        neighbourhood_id=voter.neighbourhood_id, age_band=voter.age_band,
                        roll_checked=voter.roll_checked, check_dates=False,
                        polling_place_id=batch.polling_place_id)
        except (BallotRejected, PaperRefused) as refusal:
            problems.append((entry.serial, str(refusal)))
    if problems:
        raise CommitRefused([gettext("Serial %(serial)s: %(why)s", serial=s, why=why)
                             for s, why in sorted(problems, key=lambda p: _serial_order(p[0]))])
    voided = len({e.serial for e in batch.entries if e.void_reason})
    db.session.execute(delete(PaperEntry).where(PaperEntry.batch_id == batch.id))
    db.session.expire(batch, ["entries"])
    batch.status, batch.ballots, batch.committed_at = "committed", len(to_cast), utcnow()
    db.session.flush()
    record(actor, "paper.commit", f"paper_batch:{batch.id}", cycle_id=batch.cycle_id,
           ballots=len(to_cast), voided=voided)
    return len(to_cast)
