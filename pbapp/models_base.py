"""Column helpers every domain model shares."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def site_today() -> date:
    """Today in the city (``BABEL_DEFAULT_TIMEZONE``), not on the server's clock: a date the
    city sets, such as the last day of a board term, ends at the city's midnight."""
    from flask import current_app, has_app_context

    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return datetime.now(ZoneInfo(zone or "UTC")).date()


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC (SQLite has no zones), always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class StatusHistory:
    """A status-history row: who moved an item, from which status to which, when and why.

    Mixed into each history table (proposals, projects); the reason is shown to the public.
    """

    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def actor(cls):
        return relationship("User")
