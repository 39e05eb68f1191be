"""Participation proves who voted; a ballot records what was voted. Nothing links the two."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

CHANNELS = ("online", "code", "paper")


class Participation(db.Model):
    __tablename__ = "participation"
    __table_args__ = (UniqueConstraint("cycle_id", "voter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"))
    voter_key: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(10))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: who took part, in the aggregate: the voter's neighbourhood and age band when known
    #: (for turnout tables under small-cell protection); never on the ballot
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhood.id"))
    age_band: Mapped[str | None] = mapped_column(String(20))
    #: the voter was matched to the cycle's voter roll (the key is the roll entry's)
    roll_checked: Mapped[bool] = mapped_column(default=False, server_default=false())

    def __repr__(self) -> str:
        return f"<Participation cycle={self.cycle_id} {self.channel}>"


class Ballot(db.Model):
    __tablename__ = "ballot"

    id: Mapped[str] = mapped_column(String(36), primary_key=True,
                                    default=lambda: str(uuid.uuid4()))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    #: proposal ids, most preferred first
    ranking: Mapped[list] = mapped_column(db.JSON)
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    cast_on: Mapped[date]
    #: a paper ballot's polling place (never the voter's); published only in groups of 11 or more
    polling_place_id: Mapped[int | None] = mapped_column(ForeignKey("polling_place.id"))

    def __repr__(self) -> str:
        return f"<Ballot {self.id[:8]} cycle={self.cycle_id}>"


class VotingCode(db.Model):
    """A one-time code for voting without an account, stored only as a keyed hash.

    Whether it was used is not stored here: a code has voted when a participation row exists
    with ``voter_key("code", code_hash)``, and that row's unique constraint makes it vote once.
    """
    __tablename__ = "voting_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    batch: Mapped[str | None] = mapped_column(String(80))
    #: a personal code (``codes generate --from-roll``) votes as this roll entry; None for an
    #: anonymous code, which votes as itself
    roll_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("voter_roll_entry.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<VotingCode cycle={self.cycle_id}>"


class VoterRollEntry(db.Model):
    """One person on a cycle's voter roll, as the council supplied them.

    ``reference`` is the council's id (or the row's own id) and makes re-imports idempotent;
    ``email`` (lower-cased) is how an account is matched to the roll. The roll gives a birth
    year or only an age band; either, with the neighbourhood, feeds turnout statistics.
    """
    __tablename__ = "voter_roll_entry"
    __table_args__ = (UniqueConstraint("cycle_id", "reference"),
                      UniqueConstraint("cycle_id", "user_id"),
                      Index("ix_voter_roll_entry_cycle_email", "cycle_id", "email"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(254))
    #: postal address, for the letter that carries a personal code (optional column)
    address: Mapped[str | None] = mapped_column(String(300))
    birth_year: Mapped[int | None]
    age_band: Mapped[str | None] = mapped_column(String(20))
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhood.id"))
    #: the account that claimed this entry with the entry's personal code (its email differed)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<VoterRollEntry cycle={self.cycle_id} {self.reference}>"
