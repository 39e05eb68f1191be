"""A story: what someone lived, in their words, linked to a neighbourhood, a project or a metric.

The author's text (``body``) stays as written and is seen by staff only; the public reads
``public_text``, which staff may redact (take out a name, an address) before approving. A
withdrawn story keeps only a tombstone: its id, its state and dates; every word, the name and
the picture are erased.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..images.models import Image
from ..metrics.models import Metric
from ..models_base import Translated, UTCDateTime, utcnow
from ..projects.models import Project

#: a short account: long enough for what happened, short enough to sit beside a table
BODY_MAX = 2000
NAME_MAX = 80
REASON_MAX = 300
STATUSES = ("pending", "approved", "declined", "withdrawn")
#: under which name a story is published: the account's name, a name the author gives, none
NAME_CHOICES = ("own", "given", "anonymous")


class Story(Translated, db.Model):
    __tablename__ = "story"
    #: staff may give the public text in Spanish when they approve it
    TRANSLATED_FIELDS = {"public_text": BODY_MAX}
    MARKDOWN_FIELDS = ()
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'declined', 'withdrawn')",
                        name="known_status"),
        CheckConstraint("name_choice IN ('own', 'given', 'anonymous')", name="known_name_choice"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                  index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), index=True)
    metric_id: Mapped[int | None] = mapped_column(
        ForeignKey("metric.id", ondelete="SET NULL"), index=True)
    #: as the author wrote it; staff only
    body: Mapped[str] = mapped_column(Text, default="")
    #: what the public reads: the author's words, as staff redacted them
    public_text: Mapped[str] = mapped_column(Text, default="")
    name_choice: Mapped[str] = mapped_column(String(10), default="anonymous")
    #: the name shown: the account's name when the story was written, the given name, or ""
    shown_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    #: the consent the author ticked, word for word, in the language it was shown in
    consent_text: Mapped[str] = mapped_column(Text, default="")
    consent_locale: Mapped[str] = mapped_column(String(10), default="en")
    image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    #: SHA-256 of the withdrawal link's secret; the secret itself is never stored
    withdraw_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: why staff declined it (staff only)
    decline_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    project: Mapped[Project | None] = relationship()
    metric: Mapped[Metric | None] = relationship()
    image: Mapped[Image | None] = relationship()

    def __repr__(self) -> str:
        return f"<Story {self.id} {self.status}>"

    @property
    def is_public(self) -> bool:
        return self.status == "approved"

    @property
    def redacted(self) -> bool:
        return bool(self.public_text) and self.public_text != self.body
