"""Outgoing email through Flask-Mailman, over the SMTP server the settings name.

Without ``MAIL_SERVER`` (a laptop, the demo) messages go to the server's log instead, in plain
text, so a link in them can be copied and README command 1 works end to end with no mail server.
A message that cannot be sent is reported to the caller, never raised at the visitor as a 500.

Two ways out: ``send`` at once, for account emails (confirming an address, resetting a password,
a sign-in link) that the visitor is waiting for, where the page says "try again" if the server
refused; and ``queue``, for notifications, written to the database with the change they tell of
and sent by ``flask mail send`` with retries (``pbapp.outbox``).
"""
from __future__ import annotations

import smtplib

from flask import current_app
from flask_mailman import EmailMessage
from flask_mailman.backends.base import BaseEmailBackend

#: the backend used when no MAIL_SERVER is set (Flask-Mailman imports a dotted name as a class
#: only when it ends in "EmailBackend")
LOG_BACKEND = "pbapp.mail.LogEmailBackend"


class LogEmailBackend(BaseEmailBackend):
    """Writes each message to the app's log, body unencoded, instead of sending it."""

    def send_messages(self, email_messages):
        for message in email_messages:
            current_app.logger.warning(
                "MAIL_SERVER is not set, so this email was not sent:\nTo: %s\nSubject: %s\n\n%s",
                ", ".join(message.to), message.subject, message.body)
        return len(email_messages)


def send(to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; False (and a log line) when the mail server refused it or
    could not be reached, so the caller can say "try again" instead of failing the page."""
    message = EmailMessage(subject=subject, body=body, to=[to],
                           from_email=current_app.config["MAIL_FROM"])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.error("email to a user could not be sent: %s", error)
        return False
    return True


def queue(to: str, subject: str, body: str, headers: dict | None = None):
    """Queue one plain-text message in the request's transaction (see ``pbapp.outbox``)."""
    from .outbox.worker import queue as add

    return add(to, subject, body, headers)
