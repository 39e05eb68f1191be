"""A comment on a proposal or a project (one level of replies), and the flags people raise."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..models_base import UTCDateTime, utcnow

#: longest comment, flag reason and moderator's reason, in characters
BODY_MAX = 5000
FLAG_REASON_MAX = 500
HIDE_REASON_MAX = 300


class Comment(db.Model):
    """On exactly one proposal or project. The author's board seat is kept as it was when the
    comment was written: a member speaks for their sector at that time. A hidden comment keeps
    its row (replies still hang on it) but its text is never shown or served again."""

    __tablename__ = "comment"
    __table_args__ = (CheckConstraint("(proposal_id IS NULL) <> (project_id IS NULL)",
                                      name="one_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_seat: Mapped[str] = mapped_column(String(20), default="", server_default="")
    author_organisation: Mapped[str] = mapped_column(String(160), default="", server_default="")
    author_board_id: Mapped[int | None] = mapped_column(
        ForeignKey("board.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(HIDE_REASON_MAX), default="",
                                               server_default="")

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    author_board = relationship("Board", lazy="joined")
    replies: Mapped[list["Comment"]] = relationship(order_by="Comment.id",
                                                    cascade="all, delete-orphan")
    flags: Mapped[list["CommentFlag"]] = relationship(back_populates="comment",
                                                      cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Comment {self.id}{' hidden' if self.hidden else ''}>"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def open_flags(self) -> list["CommentFlag"]:
        return [f for f in self.flags if f.resolved_at is None]


class CommentFlag(db.Model):
    """Someone signed in thinks a comment breaks the rules; one flag per person per comment
    (the unique constraint, not a prior look-up, is what holds)."""

    __tablename__ = "comment_flag"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(FLAG_REASON_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when staff hid the comment or kept it: the flag leaves the queue
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    comment: Mapped[Comment] = relationship(back_populates="flags")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CommentFlag {self.comment_id} by {self.user_id}>"
