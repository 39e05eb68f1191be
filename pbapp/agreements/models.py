"""A data-sharing agreement behind one or more metrics, and the consent texts shown to residents
under it, each kept with the date it was adopted.

Dates are the city's calendar days (``site_today``): an agreement *expires* at the end of
``expires_on``, and its data are *kept* until the end of ``retain_until``.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Translated, UTCDateTime, utcnow

if TYPE_CHECKING:
    from ..metrics.models import Metric


class Agreement(Translated, db.Model):
    """Who shares which data with the partnership, why, and on what terms."""

    __tablename__ = "agreement"
    __table_args__ = (
        CheckConstraint("expires_on IS NULL OR starts_on <= expires_on",
                        name="agreement_dates_ordered"),
        CheckConstraint("retain_until IS NULL OR expires_on IS NULL OR expires_on <= "
                        "retain_until", name="agreement_retained_after_expiry"),
    )
    TRANSLATED_FIELDS = {"title": 160, "parties": 2000, "purpose": 5000, "legal_basis": 2000,
                         "data_shared": 5000, "protection": 5000, "retention": 5000,
                         "objection": 2000}
    MARKDOWN_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    #: who shares with whom, in words
    parties: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    #: which data, and which never leave the partner
    data_shared: Mapped[str] = mapped_column(Text, default="")
    #: how it is protected beyond the site's small-cell rules (which the page links)
    protection: Mapped[str] = mapped_column(Text, default="")
    retention: Mapped[str] = mapped_column(Text, default="")
    #: how to object or ask a question, in words
    objection: Mapped[str] = mapped_column(Text, default="")
    #: an email address or phone number for objections
    contact: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date]
    #: None: open-ended
    expires_on: Mapped[date | None]
    #: after this day its measurements are hidden from every public output
    retain_until: Mapped[date | None]
    #: the day the partners delete the underlying records (for readers; nothing here acts on it)
    delete_by: Mapped[date | None]
    #: the expiry date staff were last emailed about, so each warning goes out once
    warned_for: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    consents: Mapped[list["ConsentText"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan",
        order_by="ConsentText.version.desc()")
    metrics: Mapped[list["Metric"]] = relationship(back_populates="agreement",
                                                   order_by="Metric.name")

    def __repr__(self) -> str:
        return f"<Agreement {self.slug}>"

    @property
    def consent(self) -> "ConsentText | None":
        """The consent text in use now (the newest adopted)."""
        return self.consents[0] if self.consents else None

    def expired_on(self, day: date) -> bool:
        """Past its expiry on ``day`` (it covers its last day)."""
        return self.expires_on is not None and day > self.expires_on

    def retention_passed(self, day: date) -> bool:
        return self.retain_until is not None and day > self.retain_until

    def days_left(self, day: date) -> int | None:
        return None if self.expires_on is None else (self.expires_on - day).days


class ConsentText(Translated, db.Model):
    """The words residents were shown when asked to consent, dated: a changed text is a new
    row, so what someone agreed to on a given day can always be read again."""

    __tablename__ = "agreement_consent"
    __table_args__ = (UniqueConstraint("agreement_id", "version",
                                       name="uq_agreement_consent_version"),)
    TRANSLATED_FIELDS = {"body": 5000}
    MARKDOWN_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"),
                                              index=True)
    version: Mapped[int] = mapped_column(default=1)
    body: Mapped[str] = mapped_column(Text)
    adopted_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="consents")

    def __repr__(self) -> str:
        return f"<ConsentText {self.agreement_id} v{self.version}>"
