"""Paper batches and their entries. Entries are staging rows: nothing counts until the batch is
committed, and committing deletes them (see ``services.commit_batch``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

STATUSES = ("open", "entered", "reconciled", "committed")
ROUNDS = (1, 2)


class PollingPlace(db.Model):
    """Where paper ballots were cast, as staff list them per cycle. A batch names its place, and
    so does each ballot it casts; the results show ballots per place under small-cell rules."""
    __tablename__ = "polling_place"
    __table_args__ = (UniqueConstraint("cycle_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<PollingPlace {self.name!r} cycle={self.cycle_id}>"

    @classmethod
    def for_cycle(cls, cycle_id: int):
        return select(cls).where(cls.cycle_id == cycle_id).order_by(cls.name, cls.id)


class PaperBatch(db.Model):
    __tablename__ = "paper_batch"
    __table_args__ = (UniqueConstraint("cycle_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    #: open (both rounds being typed) → entered (compared, mismatches left) → reconciled
    #: (no mismatches) → committed (ballots cast, entries deleted)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: how many ballots the commit cast; the entries themselves are gone by then
    ballots: Mapped[int | None]
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: where its ballots were cast; None for batches from before places were kept
    polling_place_id: Mapped[int | None] = mapped_column(ForeignKey("polling_place.id"))

    cycle = relationship("Cycle")
    polling_place: Mapped[PollingPlace | None] = relationship()
    entries: Mapped[list[PaperEntry]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PaperEntry.id")

    def __repr__(self) -> str:
        return f"<PaperBatch {self.label!r} cycle={self.cycle_id} {self.status}>"

    def round_entries(self, entry_round: int) -> list[PaperEntry]:
        return [e for e in self.entries if e.entry_round == entry_round]

    def round_enterers(self, entry_round: int) -> set[int]:
        return {e.entered_by for e in self.round_entries(entry_round)}

    @classmethod
    def for_cycle(cls, cycle_id: int):
        return select(cls).where(cls.cycle_id == cycle_id).order_by(cls.created_at, cls.id)


class PaperEntry(db.Model):
    """One paper ballot as typed by one staff member in one round. ``voter_ref`` is
    ``code:<code hash>`` or ``user:<account id>`` (the roll entry), never a code itself."""
    __tablename__ = "paper_entry"
    __table_args__ = (UniqueConstraint("batch_id", "entry_round", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("paper_batch.id", ondelete="CASCADE"),
                                          index=True)
    serial: Mapped[str] = mapped_column(String(40))
    entry_round: Mapped[int]
    entered_by: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: proposal ids, most preferred first, already checked with ``validate_ranking``
    ranking: Mapped[list] = mapped_column(db.JSON)
    voter_ref: Mapped[str | None] = mapped_column(String(80))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: set on every entry of a serial that staff voided while resolving; voided serials
    #: are neither compared nor cast
    void_reason: Mapped[str | None] = mapped_column(String(200))

    batch: Mapped[PaperBatch] = relationship(back_populates="entries")

    def __repr__(self) -> str:
        return f"<PaperEntry batch={self.batch_id} round={self.entry_round} #{self.serial}>"
