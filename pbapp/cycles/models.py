"""Budget cycles: one pass of propose → review → vote → count → fund, with phase dates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Translated, UTCDateTime, utcnow

PHASES = ("draft", "proposals", "review", "voting", "counting", "implementation", "closed")

cycle_neighbourhood = Table(
    "cycle_neighbourhood", db.metadata,
    Column("cycle_id", ForeignKey("cycle.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhood.id"), primary_key=True),
)


class Neighbourhood(db.Model):
    __tablename__ = "neighbourhood"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    population: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.slug}>"


class Cycle(Translated, db.Model):
    __tablename__ = "cycle"
    __table_args__ = (
        CheckConstraint("budget_cents >= 0", name="budget_not_negative"),
        CheckConstraint("max_ranks >= 1", name="max_ranks_positive"),
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint("min_age >= 0", name="min_age_not_negative"),
        CheckConstraint("part_fund_share BETWEEN 1 AND 100", name="part_fund_share_percent"),
    )
    TRANSLATED_FIELDS = {"name": 160, "description": 5000}

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    budget_cents: Mapped[int]
    method: Mapped[str] = mapped_column(String(40), default="equal-shares")
    max_ranks: Mapped[int] = mapped_column(default=5)
    #: how the count runs, beyond the method: seats for ranked methods; points per rank,
    #: completion and minimum score for budget methods (see ``services.count_options``)
    seats: Mapped[int] = mapped_column(default=1, server_default="1")
    scoring: Mapped[str] = mapped_column(String(20), default="k-points", server_default="k-points")
    completion: Mapped[str | None] = mapped_column(String(30))
    threshold: Mapped[int | None]
    #: part-funding (``pbapp.tally.part_funding``): the share, in percent, of its cost that the
    #: money left must cover for the first proposal that does not fit; None when off
    part_fund_share: Mapped[int | None]
    phase: Mapped[str] = mapped_column(String(20), default="draft")
    #: who may vote and how (see ``pbapp.voting.eligibility``); the neighbourhoods below also
    #: limit account voters when any are listed
    min_age: Mapped[int | None]
    vote_by_account: Mapped[bool] = mapped_column(default=True, server_default=true())
    vote_by_code: Mapped[bool] = mapped_column(default=True, server_default=true())
    use_roll: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: account voters give an address found in the cycle's register (``pbapp.addresses``)
    require_address: Mapped[bool] = mapped_column(default=False, server_default=false())
    proposals_open: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_opens: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_closes: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(secondary=cycle_neighbourhood)
    #: each move of voting's close made during voting, oldest first (public)
    close_changes: Mapped[list[CloseChange]] = relationship(order_by="CloseChange.id",
                                                            passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Cycle {self.slug} {self.phase}>"

    @property
    def budget(self) -> int:
        """Whole currency units, the unit the counting rules work in."""
        return self.budget_cents // 100


class CloseChange(db.Model):
    """Voting's close moved while voting was open: public, with the reason staff gave."""

    __tablename__ = "cycle_close_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    old_closes: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_closes: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CloseChange cycle={self.cycle_id} {self.new_closes:%Y-%m-%d %H:%M}>"


class Result(db.Model):
    """A stored count: the tally's JSON plus the hash of the cast-vote record it counted."""

    __tablename__ = "result"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(db.JSON)
    cvr_sha256: Mapped[str] = mapped_column(String(64))
    ballots: Mapped[int]
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cycle: Mapped[Cycle] = relationship()

    def __repr__(self) -> str:
        return f"<Result cycle={self.cycle_id} {self.method}>"
