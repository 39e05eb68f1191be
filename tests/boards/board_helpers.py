"""Reading back what a request left in the database."""
from __future__ import annotations

from sqlalchemy import func, select

from pbapp.audit.models import AuditEvent
from pbapp.extensions import db


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def last_event(action: str) -> AuditEvent:
    db.session.expire_all()
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == action)
                             .order_by(AuditEvent.id.desc()).limit(1))
