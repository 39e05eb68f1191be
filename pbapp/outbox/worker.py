"""Queueing mail, and the worker that sends what is due.

``queue`` adds a row to the caller's session, so the email is committed (or rolled back) with
the change it tells of. ``send_due`` works in sessions of its own: it first *claims* due rows
with one conditional UPDATE (on PostgreSQL the candidates are picked with ``FOR UPDATE SKIP
LOCKED``), commits the claim, and only then talks to the mail server. Two workers at once can
never claim one row, so no message is sent twice. A worker that dies mid-way leaves its claim to
run out (``LEASE``), and the message is tried again: at least once, never lost.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from flask_mailman import EmailMessage
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db, mail
from ..models_base import utcnow
from ..sqlite import WRITES
from .models import OutgoingMail

#: how long a claim holds a row; far longer than sending a batch takes
LEASE = timedelta(minutes=10)
#: attempts before a message is marked failed (kept, with its last error)
MAX_ATTEMPTS = 8
#: the first retry's pause; each later one doubles, up to ``MAX_PAUSE``
FIRST_PAUSE = timedelta(minutes=1)
MAX_PAUSE = timedelta(hours=6)
BATCH = 200


def queue(to: str, subject: str, body: str, headers: dict | None = None,
          session=None) -> OutgoingMail:
    """Queue one plain-text message in ``session`` (the request's by default); it is sent once
    that transaction commits and a worker runs."""
    row = OutgoingMail(to_address=to, subject=subject[:300], body=body,
                       headers=dict(headers or {}), attempts=0, next_attempt_at=utcnow())
    (session or db.session).add(row)
    return row


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0  #: gave up on (after ``MAX_ATTEMPTS``)
    retrying: int = 0  #: could not be sent now, tried again later
    left: int = 0  #: still queued after this run (retrying included)


def _due(now: datetime) -> tuple:
    return (OutgoingMail.sent_at.is_(None), OutgoingMail.failed_at.is_(None),
            OutgoingMail.next_attempt_at <= now,
            or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now))


def claim(session: Session, now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of due messages this worker now holds (committed). The UPDATE repeats the due
    conditions, so a row another worker claimed a moment ago is left out, whatever the SELECT
    saw; on PostgreSQL ``SKIP LOCKED`` also spares the wait for rows being claimed."""
    candidates = select(OutgoingMail.id).where(*_due(now)).order_by(OutgoingMail.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    else:  # SQLite: take the write lock first, or two workers that both read cannot both write
        session.connection(execution_options={WRITES: True})
    ids = list(session.scalars(candidates))
    if not ids:
        session.rollback()
        return []
    mine = list(session.scalars(
        update(OutgoingMail).where(OutgoingMail.id.in_(ids), *_due(now))
        .values(claimed_until=now + LEASE).returning(OutgoingMail.id)))
    session.commit()
    return sorted(mine)


def pause_after(attempts: int) -> timedelta:
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), MAX_PAUSE)


def _message(row: OutgoingMail, connection) -> EmailMessage:
    return EmailMessage(subject=row.subject, body=row.body, to=[row.to_address],
                        from_email=current_app.config["MAIL_FROM"], headers=row.headers or {},
                        connection=connection)


def _tried(row: OutgoingMail, error: Exception | None, now: datetime, limit: int) -> str:
    row.attempts += 1
    row.claimed_until = None
    if error is None:
        row.sent_at = utcnow()
        row.body = ""  # the record keeps who and what subject, not a private link (models.py)
        return "sent"
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    if row.attempts >= limit:
        row.failed_at = now
        current_app.logger.error("email %s given up after %s attempts: %s", row.id,
                                 row.attempts, row.last_error)
        return "failed"
    row.next_attempt_at = now + pause_after(row.attempts)
    return "retrying"


def _server_away(error: Exception) -> bool:
    """Whether the error is the server's (so the rest of the batch would fail the same way)
    rather than this one message's (a refused recipient)."""
    return isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException))


def send_due(now: datetime | None = None, limit: int = BATCH) -> Outcome:
    """Send every due message (up to ``limit``), each result committed as soon as it is known.
    When the server cannot be reached, the batch's messages count one attempt each and wait."""
    now = now or utcnow()
    most = current_app.config.get("MAIL_MAX_ATTEMPTS", MAX_ATTEMPTS)
    outcome = Outcome()
    with Session(db.engine) as session:
        ids = claim(session, now, limit)
        rows = list(session.scalars(select(OutgoingMail).where(OutgoingMail.id.in_(ids))
                                    .order_by(OutgoingMail.id))) if ids else []
        connection, away = mail.get_connection(), None
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            away = error
        for row in rows:
            error = away
            if error is None:
                try:
                    _message(row, connection).send()
                except (smtplib.SMTPException, OSError) as failure:
                    error = failure
                    away = failure if _server_away(failure) else None
            result = _tried(row, error, now, most)
            setattr(outcome, result, getattr(outcome, result) + 1)
            session.commit()
        if away is None:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass
        outcome.left = session.scalar(select(func.count(OutgoingMail.id)).where(
            OutgoingMail.sent_at.is_(None), OutgoingMail.failed_at.is_(None)))
    return outcome


def _after_requests_on(app) -> bool:
    setting = app.config.get("MAIL_SEND_AFTER_REQUEST")
    return app.debug if setting is None else bool(setting)


def send_after_requests(app) -> None:
    """In development (``app.debug``, or ``MAIL_SEND_AFTER_REQUEST``) the worker runs once each
    response has gone out, in a fresh app context, so nobody has to run ``flask mail send``
    by hand; the request's own session is closed by then, so it never holds up the worker."""

    @app.after_request
    def _send_when_closed(response):
        if _after_requests_on(app) and request.endpoint != "static":
            response.call_on_close(lambda: _run_quietly(app))
        return response


def _run_quietly(app) -> None:
    with app.app_context():
        try:
            send_due()
        except Exception:  # a page already sent must not turn into an error in the log only
            app.logger.exception("the after-request mail worker failed")
