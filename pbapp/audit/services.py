"""Writing to the audit chain, inside the caller's transaction."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models_base import utcnow
from .models import AuditEvent

GENESIS = "0" * 64


def record(actor, action: str, target: str = "", **detail) -> AuditEvent:
    """Append one event after the newest; ``prev_hash`` is unique, so two racing appends
    cannot both attach to the same predecessor (one transaction fails and is retried)."""
    last = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(at=utcnow().replace(microsecond=0), actor_id=getattr(actor, "id", actor),
                       action=action, target=target, detail=detail, prev_hash=last or GENESIS)
    event.hash = event.compute_hash()
    db.session.add(event)
    db.session.flush()
    return event


def verify_chain() -> tuple[bool, int | None]:
    """(True, None) when every link holds; otherwise (False, id of the first broken event)."""
    prev = GENESIS
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != prev or event.compute_hash() != event.hash:
            return False, event.id
        prev = event.hash
    return True, None
