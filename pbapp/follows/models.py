"""Who follows what, how each person wants to be told, and what waits for their digest."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import UTCDateTime, utcnow

#: what can be followed; the id is the thing's own id in its table
KINDS = ("cycle", "proposal", "project", "board")
HOW = ("now", "daily")


class Follow(db.Model):
    __tablename__ = "follow"
    __table_args__ = (UniqueConstraint("user_id", "kind", "thing_id"),
                      Index("ix_follow_thing", "kind", "thing_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    thing_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<Follow {self.user_id} {self.kind}:{self.thing_id}>"


class FollowSettings(db.Model):
    """Per account: at once or a daily digest, and the language its emails are written in (the
    language the person was reading the site in when they last followed or chose)."""

    __tablename__ = "follow_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    how: Mapped[str] = mapped_column(String(10), default="now")
    locale: Mapped[str] = mapped_column(String(10), default="en")

    def __repr__(self) -> str:
        return f"<FollowSettings {self.user_id} {self.how} {self.locale}>"


class DigestItem(db.Model):
    """A change waiting for its follower's next daily digest; deleted once in a digest. It keeps
    what happened, not the words, so the digest is written in the follower's language then."""

    __tablename__ = "digest_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    thing_id: Mapped[int]
    event: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DigestItem {self.user_id} {self.kind}:{self.thing_id} {self.event}>"
