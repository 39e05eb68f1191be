"""One address of a cycle's register, as the council supplied it and in its canonical form."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class RegisterAddress(db.Model):
    """``address_key`` and ``postcode_key`` (``pbapp.addresses.normalise``) are what a resident's
    typing is matched against; one canonical address per postcode per cycle, so importing the
    same file again adds nothing."""

    __tablename__ = "register_address"
    __table_args__ = (UniqueConstraint("cycle_id", "address_key", "postcode_key"),
                      Index("ix_register_address_cycle_postcode", "cycle_id", "postcode_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(20))
    address_key: Mapped[str] = mapped_column(String(400))
    postcode_key: Mapped[str] = mapped_column(String(20))
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhood.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<RegisterAddress cycle={self.cycle_id} {self.postcode_key}>"
