"""A picture, stored in the database with its bytes.

Why a table and not files under ``instance/``: production runs several app processes on several
hosts that share only the database (see DESIGN.md), so a file written by one host would be
missing on the others; in the database the picture survives restarts and redeploys on SQLite
and PostgreSQL alike, ``flask backup``/``restore`` carry it with the rows that point to it,
and deleting a row cannot leave a file behind. Pictures are small (at most 1200 px a side,
re-encoded), and the long cache headers mean each is read from the database rarely.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from ..models_base import Translated, UTCDateTime, utcnow

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class Image(Translated, db.Model):
    __tablename__ = "image"
    #: the description in other languages (``text("alt", locale)``), as typed beside it
    TRANSLATED_FIELDS = {"alt": 300}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of ``data``; in the URL, so a new picture is a new URL and caches never go stale
    digest: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    #: what the picture shows, for people who cannot see it; required
    alt: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))  # read when served
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Image {self.id} {self.content_type} {self.width}x{self.height}>"

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "img")

    @property
    def filename(self) -> str:
        return f"{self.digest[:16]}.{self.extension}"
