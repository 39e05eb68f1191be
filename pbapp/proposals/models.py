"""Interventions boards propose, residents' ideas behind them, and every status change."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (CheckConstraint, Column, ForeignKey, Select, String, Table, Text, and_,
                        exists, false, or_, select)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..boards.models import Board, Membership
from ..cycles.models import Cycle, Neighbourhood
from ..extensions import db
from ..images.models import Image
from ..models_base import (TRANSLATION_LOCALES, StatusHistory, Translated,  # noqa: F401
                           UTCDateTime, utcnow)

STATUSES = ("draft", "submitted", "accepted", "rejected", "withdrawn", "funded", "not_funded")
PUBLIC_STATUSES = ("accepted", "rejected", "funded", "not_funded")
#: the proposal texts that may be given in other languages, with their longest lengths
TRANSLATED_FIELDS = {"title": 160, "summary": 400, "description": 20_000}

proposal_neighbourhood = Table(
    "proposal_neighbourhood", db.metadata,
    Column("proposal_id", ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhood.id"), primary_key=True),
)


def current_board_ids(user_id: int) -> Select:
    """Boards on which the user holds a membership whose term covers the city's today."""
    return select(Membership.board_id).where(Membership.user_id == user_id,
                                             Membership.current_on())


class Proposal(Translated, db.Model):
    __tablename__ = "proposal"
    __table_args__ = (CheckConstraint("cost_cents > 0", name="cost_positive"),)
    TRANSLATED_FIELDS = TRANSLATED_FIELDS

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    root_cause: Mapped[str] = mapped_column(Text, default="", server_default="")
    metrics: Mapped[str] = mapped_column(Text, default="", server_default="")
    cost_cents: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    feasibility_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    cost_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the card's picture (optional); deleted with the picture when replaced or removed
    image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[Cycle] = relationship()
    board: Mapped[Board] = relationship()
    author: Mapped[User | None] = relationship()
    image: Mapped[Image | None] = relationship()
    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(secondary=proposal_neighbourhood)
    history: Mapped[list["StatusChange"]] = relationship(
        back_populates="proposal", order_by="StatusChange.at", cascade="all, delete-orphan")
    ideas: Mapped[list["Idea"]] = relationship(back_populates="proposal", order_by="Idea.id")

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.status}>"

    @property
    def cost(self) -> int:
        return self.cost_cents // 100

    @property
    def metric_list(self) -> list[str]:
        """One metric per line until the shared metrics catalogue replaces this column."""
        return [line.strip() for line in self.metrics.splitlines() if line.strip()]

    @property
    def is_public(self) -> bool:
        """Reviewed proposals are public; a withdrawn one stays public if it had been accepted."""
        if self.status in PUBLIC_STATUSES:
            return True
        return self.status == "withdrawn" and any(
            h.to_status == "withdrawn" and h.from_status == "accepted" for h in self.history)

    @staticmethod
    def visible_to(user) -> Select:
        """Proposals ``user`` may see: public ones, their boards' own, everything for staff."""
        query = select(Proposal)
        if getattr(user, "is_staff", False):
            return query
        withdrawn_after_acceptance = exists().where(
            StatusChange.proposal_id == Proposal.id, StatusChange.from_status == "accepted",
            StatusChange.to_status == "withdrawn")
        own_board = false()
        if getattr(user, "is_authenticated", False):
            own_board = Proposal.board_id.in_(current_board_ids(user.id))
        return query.where(or_(Proposal.status.in_(PUBLIC_STATUSES),
                               and_(Proposal.status == "withdrawn", withdrawn_after_acceptance),
                               own_board))


class StatusChange(StatusHistory, db.Model):
    """Who moved a proposal, when and why; the reason is public."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"),
                                             index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="history")

    def __repr__(self) -> str:
        return f"<StatusChange {self.proposal_id} {self.from_status}->{self.to_status}>"


class Idea(db.Model):
    """A resident's problem, place and suggestion; a board may develop it into a proposal."""

    __tablename__ = "idea"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    problem: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(200))
    suggestion: Mapped[str] = mapped_column(Text)
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhood.id"))
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[Cycle] = relationship()
    author: Mapped[User | None] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship(back_populates="ideas")

    def __repr__(self) -> str:
        return f"<Idea {self.id} cycle={self.cycle_id}>"
