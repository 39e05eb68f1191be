"""Append-only, hash-chained record of privileged actions: editing one breaks every later hash."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict] = mapped_column(db.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"

    def compute_hash(self) -> str:
        body = json.dumps({"prev": self.prev_hash, "at": self.at.isoformat(),
                           "actor": self.actor_id, "action": self.action, "target": self.target,
                           "detail": self.detail}, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode()).hexdigest()
