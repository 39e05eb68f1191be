"""The daily check (``flask agreements check``): hide what passed its retention date, and warn
staff of agreements about to expire, once per agreement and expiry date by email."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale, gettext
from sqlalchemy import select

from .. import mail
from ..auth.models import User
from ..extensions import db
from ..metrics.published import publish
from .models import Agreement
from .rules import expired_with_metrics, expiring, past_retention


@dataclass
class CheckReport:
    expiring: list[Agreement] = field(default_factory=list)
    expired: list[Agreement] = field(default_factory=list)
    past_retention: list[Agreement] = field(default_factory=list)
    protected: list[str] = field(default_factory=list)  # metric keys protected again
    emailed: int = 0  # messages queued


def _staff_addresses() -> list[str]:
    return list(db.session.scalars(select(User.email).where(
        User.role.in_(("staff", "admin")), User.email.is_not(None), User.email != "")
        .order_by(User.email)))


def _warning_mail(agreement: Agreement, today: date) -> tuple[str, str]:
    from ..follows.things import link

    with force_locale("en"):
        subject = gettext("Data-sharing agreement “%(title)s” expires on %(day)s",
                          title=agreement.title, day=agreement.expires_on.isoformat())
        body = gettext(
            "The data-sharing agreement “%(title)s” expires on %(day)s (%(num)s days from "
            "today). After that day no measurements can be imported for its metrics (%(metrics)s)."
            "\n\nRenew it with the partners and give its new expiry date here:\n%(url)s\n",
            title=agreement.title, day=agreement.expires_on.isoformat(),
            num=agreement.days_left(today),
            metrics=", ".join(m.key for m in agreement.metrics) or "–",
            url=link("agreements.edit", slug=agreement.slug))
    return subject, body


def run_check(today: date, send_mail: bool = True) -> CheckReport:
    """Protect again every metric whose agreement passed its retention date (so its numbers
    leave every public output on the day, with no change to the data), list what expires
    within 30 days or has expired, and queue one email per expiring agreement and expiry date
    to staff. The caller commits."""
    report = CheckReport(expiring=expiring(today), expired=expired_with_metrics(today),
                         past_retention=past_retention(today))
    for agreement in report.past_retention:
        for metric in agreement.metrics:
            publish(metric)
            report.protected.append(metric.key)
    if send_mail:
        addresses = _staff_addresses()
        for agreement in report.expiring:
            if agreement.warned_for == agreement.expires_on or not addresses:
                continue
            subject, body = _warning_mail(agreement, today)
            for to in addresses:
                mail.queue(to, subject, body)
                report.emailed += 1
            agreement.warned_for = agreement.expires_on
    db.session.flush()
    return report
