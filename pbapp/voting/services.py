"""Casting a ballot: validate fully, then write participation and ballot in one transaction."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from flask_babel import gettext, ngettext
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from ..cycles.models import Cycle
from ..cycles.window import why_closed
from ..extensions import db
from ..labels import N_
from ..models_base import utcnow
from ..numbers import db_id
from ..proposals.models import Proposal
from .models import CHANNELS, Ballot, Participation

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: the one refusal of a second ballot, whichever channel the first came by
ALREADY_VOTED = N_("A ballot has already been cast with this account or code.")


class BallotRejected(Exception):
    """The ballot was not recorded; the message says why, in words for the voter."""


def voter_key(kind: str, ident) -> str:
    """A keyed hash, so the participation table holds no raw account id or code."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{kind}:{ident}".encode(), hashlib.sha256).hexdigest()


def receipt_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").upper().encode()).hexdigest()


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


#: statements a ballot's every request runs, built once rather than on each (SQLAlchemy caches
#: their compiled SQL either way; building them was a tenth of a small request)
_CHOICES = (select(Proposal).where(Proposal.cycle_id == bindparam("cycle_id"),
                                   Proposal.status.in_(("accepted", "funded", "not_funded")))
            .order_by(Proposal.title))
_PARTICIPATED = select(Participation.id).where(Participation.cycle_id == bindparam("cycle_id"),
                                               Participation.voter_key == bindparam("key"))


def ballot_choices(cycle: Cycle) -> list[Proposal]:
    return list(db.session.scalars(_CHOICES, {"cycle_id": cycle.id}))


def ranking_from_ranks(cycle: Cycle, ranks: dict[int, str],
                       choices: list[Proposal] | None = None) -> list[int]:
    """Turn what a ballot form sent ({rank position: proposal id as text, "" for none}) into a
    ranking, refusing gaps and positions past the cycle's limit rather than guessing.
    ``choices``: the cycle's ``ballot_choices`` when the caller has them already."""
    if (closed := why_closed(cycle)) is not None:
        raise BallotRejected(closed)
    filled = sorted(pos for pos, value in ranks.items() if value.strip())
    if any(pos < 1 for pos in filled):
        raise BallotRejected(
            gettext("The ballot form was not understood; please fill it in again."))
    if filled and filled[-1] > cycle.max_ranks:
        raise BallotRejected(ngettext("You can rank at most %(num)d proposal.",
                                      "You can rank at most %(num)d proposals.", cycle.max_ranks))
    for expected, pos in enumerate(filled, start=1):
        if pos != expected:
            raise BallotRejected(gettext(
                "Choice %(empty)d is empty but choice %(filled)d is filled. Fill your choices in "
                "order, starting with choice 1.", empty=expected, filled=pos))
    ranking = [db_id(ranks[pos].strip()) for pos in filled]  # "٥" is not proposal 5
    if None in ranking:
        raise BallotRejected(gettext("Your ballot lists a proposal that is not on this ballot."))
    return validate_ranking(cycle, ranking, choices)


def validate_ranking(cycle: Cycle, ranking: list[int], choices: list[Proposal] | None = None,
                     *, check_dates: bool = True) -> list[int]:
    """``check_dates=False`` (paper only): ballots cast in time, typed in after the close."""
    if (closed := why_closed(cycle, check_dates=check_dates)) is not None:
        raise BallotRejected(closed)
    if not ranking:
        raise BallotRejected(gettext("Rank at least one proposal."))
    if len(set(ranking)) != len(ranking):
        raise BallotRejected(gettext("Each proposal can be ranked only once."))
    if len(ranking) > cycle.max_ranks:
        raise BallotRejected(ngettext("You can rank at most %(num)d proposal.",
                                      "You can rank at most %(num)d proposals.", cycle.max_ranks))
    allowed = {p.id for p in (ballot_choices(cycle) if choices is None else choices)}
    if not set(ranking) <= allowed:
        raise BallotRejected(gettext("Your ballot lists a proposal that is not on this ballot."))
    return ranking


def cast_ballot(cycle: Cycle, key: str, channel: str, ranking: list[int], *,
                neighbourhood_id: int | None = None, age_band: str | None = None,
                roll_checked: bool = False, choices: list[Proposal] | None = None,
                check_dates: bool = True, polling_place_id: int | None = None) -> str:
    """Record one ballot and return its receipt code (shown once, stored only as a hash).

    ``key`` names the person (``pbapp.voting.identity``): in a cycle with a voter roll it is
    the roll entry's, whatever the channel, and ``roll_checked`` says so on the participation
    row, so the results can say how many ballots of each channel were checked against the roll.
    The voter's neighbourhood and age band, when known, go on the participation row only (for
    turnout tables published under small-cell protection), never on the ballot.

    The unique (cycle, voter_key) constraint, not a prior SELECT, stops a second ballot, so
    concurrent submissions yield exactly one.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    ranking = validate_ranking(cycle, ranking, choices, check_dates=check_dates)
    receipt = new_receipt()
    now = utcnow()
    try:
        with db.session.begin_nested():
            db.session.add(Participation(cycle_id=cycle.id, voter_key=key, channel=channel,
                                         voted_at=now, neighbourhood_id=neighbourhood_id,
                                         age_band=age_band, roll_checked=roll_checked))
            db.session.add(Ballot(cycle_id=cycle.id, channel=channel, ranking=ranking,
                                  receipt_hash=receipt_hash(receipt), cast_on=now.date(),
                                  polling_place_id=polling_place_id))
    except IntegrityError:
        raise BallotRejected(gettext(ALREADY_VOTED)) from None
    return receipt


def is_counted(cycle: Cycle, receipt: str) -> bool:
    return db.session.scalar(select(Ballot.id).where(
        Ballot.cycle_id == cycle.id, Ballot.receipt_hash == receipt_hash(receipt))) is not None


def has_voted(cycle: Cycle, key: str) -> bool:
    """For the page only (to skip a ballot the voter cannot cast); the unique constraint is
    what actually refuses a second ballot."""
    return db.session.scalar(_PARTICIPATED, {"cycle_id": cycle.id, "key": key}) is not None
