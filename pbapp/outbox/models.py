"""One row per email to send: kept after sending (or giving up), for the record.

The record is who, what subject and when: a sent message's body is erased, since it may hold a
private link (a story's withdrawal link, an unsubscribe token) that no one should read back from
the database."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: extra headers, such as List-Unsubscribe (RFC 8058)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: a worker holds the row until then; a worker that died frees it by letting it pass
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set after the last attempt failed; the row stays, with its ``last_error``
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        state = "sent" if self.sent_at else "failed" if self.failed_at else "queued"
        return f"<OutgoingMail {self.id} {state} attempts={self.attempts}>"
