"""A neighbourhood's outline, as staff imported it (GeoJSON), for the server-drawn maps."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class Boundary(db.Model):
    """``polygons``: a list of polygons, each a list of rings (outer first, then holes), each a
    list of ``[longitude, latitude]`` pairs, as a GeoJSON MultiPolygon's coordinates."""

    __tablename__ = "neighbourhood_boundary"

    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"), primary_key=True)
    polygons: Mapped[list] = mapped_column(db.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Boundary neighbourhood={self.neighbourhood_id}>"
