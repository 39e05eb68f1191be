"""What an agreement's dates mean for the measurements under it.

A measurement comes under the agreement of its metric (``Metric.agreement``). All dates are
the city's calendar days (``site_today``), and an agreement covers its last day.

* **Expired, so refused at import.** A measurement is refused, by the staff form, the CSV
  import and ``flask metrics import`` alike (all three go through ``metrics.services.check_row``,
  so a file with one such row imports nothing), when either

  - the agreement has expired on the day of the import (today is after ``expires_on``): nothing
    new may come in under it, whatever period it describes; or
  - the measurement's period ends after ``expires_on``: the data describe a time the agreement
    does not cover, even if it is imported before the expiry.

* **Retention passed, so hidden.** From the day after ``retain_until`` every measurement of the
  agreement's metrics is left out of the metric's protected, published set
  (``metrics.published``), which every public output reads, and the pages, the API and reports
  say that they were hidden and why. The raw rows stay for staff until the partners delete them
  (``delete_by``). ``flask agreements check`` (run daily) protects such metrics again so this
  happens on the day without any change to the data.

* **Warning.** Staff are warned from 30 days before ``expires_on`` up to the day itself (days
  left 30 … 0): on their pages and dashboard, in ``flask agreements check``, and by one email
  per agreement per expiry date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from .models import Agreement

#: how many days before its expiry staff are warned of an agreement
WARN_DAYS = 30


def day_words(day: date) -> str:
    """A date as the messages write it (ISO: unambiguous in both languages and in files)."""
    return day.isoformat()


def import_refusal(metric, period_end: date, today: date) -> str | None:
    """Why a measurement of ``metric`` ending ``period_end`` cannot be imported today, naming
    the agreement and its date; None when it may be."""
    agreement = metric.agreement
    if agreement is None or agreement.expires_on is None:
        return None
    named = f"the data-sharing agreement “{agreement.title}” ({agreement.slug})"
    if agreement.expired_on(today):
        return (f"Nothing can be imported for {metric.key}: {named} expired on "
                f"{day_words(agreement.expires_on)}. Renew the agreement (a new expiry date) "
                "before importing.")
    if period_end > agreement.expires_on:
        return (f"The period ends on {day_words(period_end)}, after {named} for {metric.key} "
                f"expires on {day_words(agreement.expires_on)}: it does not cover these data.")
    return None


@dataclass(frozen=True)
class Withheld:
    """A metric whose measurements are hidden because its agreement's retention date passed."""

    agreement: Agreement
    since: date  # the first day they were hidden


def withheld(metric, today: date) -> Withheld | None:
    agreement = metric.agreement
    if agreement is not None and agreement.retention_passed(today):
        return Withheld(agreement, agreement.retain_until + timedelta(days=1))
    return None


def expiring(today: date, within: int = WARN_DAYS) -> list[Agreement]:
    """Agreements that expire from today to ``within`` days from now, soonest first."""
    return list(db.session.scalars(select(Agreement).where(
        Agreement.expires_on >= today, Agreement.expires_on <= today + timedelta(days=within))
        .order_by(Agreement.expires_on, Agreement.slug)))


def expired_with_metrics(today: date) -> list[Agreement]:
    """Expired agreements that metrics still come under (their imports are refused)."""
    return [a for a in db.session.scalars(select(Agreement).where(
        Agreement.expires_on < today).order_by(Agreement.expires_on, Agreement.slug)) if a.metrics]


def past_retention(today: date) -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).where(Agreement.retain_until < today)
                                   .order_by(Agreement.retain_until, Agreement.slug)))
