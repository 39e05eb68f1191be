"""A directory entry: one service (or referral pathway), who runs it, for whom, where, when, in
which languages, how to reach it, which neighbourhoods it covers and which board keeps it."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..boards.models import Board
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import Translated, UTCDateTime, utcnow
from ..projects.models import Project

#: what a service helps with (the public filter; HSDS taxonomy "pbapp-category")
CATEGORIES = ("housing", "food", "health", "mental_health", "substance_use", "legal",
              "victim_support", "family", "youth", "employment", "education", "other")

service_neighbourhood = Table(
    "service_neighbourhood", db.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhood.id", ondelete="CASCADE"),
           primary_key=True),
)

project_service = Table(
    "project_service", db.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


def new_hsds_id() -> str:
    return str(uuid.uuid4())


class Service(Translated, db.Model):
    """``languages`` is stored as ",en,es," so one LIKE finds a language on both databases;
    ``search_text`` is every text (translations too) casefolded, for the same reason."""

    __tablename__ = "service"
    TRANSLATED_FIELDS = {"name": 200, "description": 4000, "eligibility": 1000, "hours": 500}
    MARKDOWN_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    hsds_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_hsds_id)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id", ondelete="SET NULL"),
                                                 index=True)
    organization_hsds_id: Mapped[str] = mapped_column(String(64), default=new_hsds_id)
    organization: Mapped[str] = mapped_column(String(200), default="")
    location_hsds_id: Mapped[str] = mapped_column(String(64), default=new_hsds_id)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="other")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    hours: Mapped[str] = mapped_column(String(500), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    board: Mapped[Board | None] = relationship(
        backref=backref("services", order_by="Service.name", passive_deletes=True))
    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        secondary=service_neighbourhood, order_by=Neighbourhood.name)
    projects: Mapped[list[Project]] = relationship(
        secondary=project_service, order_by=Project.id,
        backref=backref("services", order_by="Service.name"))

    def __repr__(self) -> str:
        return f"<Service {self.id} {self.hsds_id}>"

    @property
    def language_codes(self) -> list[str]:
        return [c for c in (self.languages or "").split(",") if c]

    def set_languages(self, codes) -> None:
        kept = list(dict.fromkeys(c for c in codes if c))
        self.languages = f",{','.join(kept)}," if kept else ""

    def refresh_search_text(self) -> None:
        parts = [self.name, self.organization, self.description, self.eligibility, self.address,
                 self.city, self.postal_code, self.hours]
        for texts in (self.translations or {}).values():
            parts.extend(v for v in (texts or {}).values() if isinstance(v, str))
        self.search_text = " ".join(p for p in parts if p).casefold()
