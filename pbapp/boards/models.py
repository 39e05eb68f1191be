"""Advisory boards: who sits for which sector, and the meetings they keep minutes of."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Column, ColumnElement, ForeignKey, String, Table, Text, UniqueConstraint,
                        and_, or_)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import Translated, UTCDateTime, site_today

SEATS = ("police", "public_health", "school", "faith", "nonprofit", "resident", "youth")

board_neighbourhood = Table(
    "board_neighbourhood", db.metadata,
    Column("board_id", ForeignKey("board.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhood.id"), primary_key=True),
)


class Board(Translated, db.Model):
    __tablename__ = "board"
    TRANSLATED_FIELDS = {"name": 160, "purpose": 2000, "charter": 50_000}
    MARKDOWN_FIELDS = ("charter",)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    purpose: Mapped[str] = mapped_column(Text, default="")
    charter: Mapped[str] = mapped_column(Text, default="")

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(secondary=board_neighbourhood)
    memberships: Mapped[list["Membership"]] = relationship(back_populates="board", lazy="selectin",
                                                           cascade="all, delete-orphan")
    meetings: Mapped[list["Meeting"]] = relationship(back_populates="board",
                                                     order_by="Meeting.starts_at.desc()",
                                                     cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Board {self.slug}>"

    def member(self, user) -> "Membership | None":
        """The user's seat, current or not; powers ask ``current_member``."""
        return next((m for m in self.memberships if m.user_id == getattr(user, "id", None)), None)

    def current_member(self, user, on: date | None = None) -> "Membership | None":
        """The user's seat only while its term covers ``on`` (the city's today)."""
        membership = self.member(user)
        return membership if membership is not None and membership.is_current(on) else None


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("board_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    seat: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str] = mapped_column(String(160), default="")
    is_chair: Mapped[bool] = mapped_column(default=False)
    term_start: Mapped[date]
    term_end: Mapped[date | None]

    board: Mapped[Board] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(lazy="selectin")  # member lists show every name

    def __repr__(self) -> str:
        return f"<Membership board={self.board_id} user={self.user_id} {self.seat}>"

    def is_current(self, on: date | None = None) -> bool:
        """Board powers last from the first to the last day of the term (both included), in
        the city's calendar; a seat not yet begun or already over grants nothing."""
        on = on or site_today()
        return self.term_start <= on and (self.term_end is None or on <= self.term_end)

    def has_ended(self, on: date | None = None) -> bool:
        return self.term_end is not None and self.term_end < (on or site_today())

    @classmethod
    def current_on(cls, on: date | None = None) -> ColumnElement[bool]:
        """``is_current`` as SQL, for queries over many seats."""
        on = on or site_today()
        return and_(cls.term_start <= on, or_(cls.term_end.is_(None), cls.term_end >= on))


class Meeting(Translated, db.Model):
    __tablename__ = "meeting"
    TRANSLATED_FIELDS = {"title": 160, "location": 200, "agenda": 50_000, "minutes": 200_000}
    MARKDOWN_FIELDS = ("agenda", "minutes")

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")

    board: Mapped[Board] = relationship(back_populates="meetings")

    def __repr__(self) -> str:
        return f"<Meeting {self.id} board={self.board_id}>"
