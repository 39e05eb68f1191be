"""Interventions boards propose, and the reviewed history of every status change."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..boards.models import Board
from ..cycles.models import Cycle, Neighbourhood
from ..extensions import db
from ..models_base import UTCDateTime, utcnow

STATUSES = ("draft", "submitted", "accepted", "rejected", "withdrawn", "funded", "not_funded")

proposal_neighbourhood = Table(
    "proposal_neighbourhood", db.metadata,
    Column("proposal_id", ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhood.id"), primary_key=True),
)


class Proposal(db.Model):
    __tablename__ = "proposal"
    __table_args__ = (CheckConstraint("cost_cents > 0", name="cost_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    cost_cents: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[Cycle] = relationship()
    board: Mapped[Board] = relationship()
    author: Mapped[User | None] = relationship()
    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(secondary=proposal_neighbourhood)
    history: Mapped[list["StatusChange"]] = relationship(
        back_populates="proposal", order_by="StatusChange.at", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"

    @property
    def cost(self) -> int:
        return self.cost_cents // 100


class StatusChange(db.Model):
    """Who moved a proposal, when and why; the reason is public."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"),
                                             index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<StatusChange {self.proposal_id} {self.from_status}->{self.to_status}>"
