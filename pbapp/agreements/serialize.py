"""Agreements as the API shows them, and the two fields a metric's document gains: its
agreement, and whether its measurements are withheld because the retention date passed.
Stored texts (the API speaks no language); dates as ISO days in the city's calendar."""
from __future__ import annotations

from datetime import date

from flask import url_for

from .models import Agreement
from .rules import withheld


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def summary(a: Agreement, today: date) -> dict:
    return {
        "slug": a.slug, "title": a.title, "starts_on": _day(a.starts_on),
        "expires_on": _day(a.expires_on), "retain_until": _day(a.retain_until),
        "delete_by": _day(a.delete_by), "expired": a.expired_on(today),
        "retention_passed": a.retention_passed(today),
        "links": {"self": url_for("api.agreement", slug=a.slug),
                  "html": url_for("agreements.show", slug=a.slug)},
    }


def _consent(c) -> dict:
    return {"version": c.version, "adopted_on": _day(c.adopted_on), "body": c.body}


def detail(a: Agreement, today: date) -> dict:
    return {
        **summary(a, today), "parties": a.parties, "purpose": a.purpose,
        "legal_basis": a.legal_basis, "data_shared": a.data_shared, "protection": a.protection,
        "small_numbers": url_for("metrics.small_numbers"), "retention": a.retention,
        "objection": a.objection, "contact": a.contact,
        "consent": _consent(a.consent) if a.consent else None,
        "consent_history": [_consent(c) for c in a.consents],
        "metrics": [{"key": m.key, "href": url_for("api.metric", key=m.key)}
                    for m in a.metrics],
    }


def metric_fields(metric, today: date) -> dict:
    """``agreement`` (null when none) and ``withheld`` (null unless its retention passed)."""
    a = metric.agreement
    gone = withheld(metric, today)
    return {
        "agreement": None if a is None else {
            "slug": a.slug, "title": a.title, "href": url_for("api.agreement", slug=a.slug)},
        "withheld": None if gone is None else {
            "reason": "retention", "since": _day(gone.since), "agreement": a.slug,
            "message": f"The measurements shared under “{a.title}” are hidden from "
                       f"{_day(gone.since)}: its retention date "
                       f"({_day(a.retain_until)}) has passed."},
    }
