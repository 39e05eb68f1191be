"""Keeping the agreements: create, change and delete them, link their metrics, and keep each
consent text with the day it was adopted. Verbs flush and write their audit event in the
caller's transaction; the view or the CLI commits once. Anything invalid raises ``Invalid``
before a row is touched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..extensions import db
from ..metrics.models import Metric
from ..metrics.published import publish
from ..models_base import TranslationRefused, site_today, utcnow
from ..request_text import control_in
from .models import Agreement, ConsentText

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: words the agreement URLs use for pages of their own
RESERVED_SLUGS = ("new",)
#: the dates an agreement may name (a typo such as 20266 is refused, not stored)
EARLIEST, LATEST = date(1990, 1, 1), date(2199, 12, 31)
LIMITS = {"slug": 80, "title": 160, "contact": 200, **Agreement.TRANSLATED_FIELDS}
DATES = ("starts_on", "expires_on", "retain_until", "delete_by")


class Invalid(Exception):
    """Refused; ``problems`` pairs each field at fault (or None) with what is wrong."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


@dataclass
class AgreementFields:
    slug: str
    title: str
    starts_on: date | None
    parties: str = ""
    purpose: str = ""
    legal_basis: str = ""
    data_shared: str = ""
    protection: str = ""
    retention: str = ""
    objection: str = ""
    contact: str = ""
    expires_on: date | None = None
    retain_until: date | None = None
    delete_by: date | None = None


def _check(values: AgreementFields, agreement: Agreement | None, consent: str) -> None:
    problems: list[tuple[str | None, str]] = []
    texts = {f.name: getattr(values, f.name) for f in fields(values)
             if f.name not in DATES}
    texts["consent"] = consent
    for name, text in texts.items():
        if control_in(text or "", multiline=True):
            problems.append((name, "holds a control character, which cannot be stored; "
                                   "remove it."))
        elif len(text or "") > LIMITS.get(name, 5000):
            problems.append((name, f"is longer than {LIMITS.get(name, 5000):,} characters."))
    if not values.slug:
        problems.append(("slug", "Give the agreement a short name for its address."))
    elif not SLUG_PATTERN.match(values.slug) or len(values.slug) > LIMITS["slug"]:
        problems.append(("slug", "The address name is lowercase letters, digits and single "
                                 "hyphens, e.g. police-violence-data."))
    elif values.slug in RESERVED_SLUGS:
        problems.append(("slug", f"“{values.slug}” is reserved for a page; choose another."))
    else:
        taken = db.session.scalar(select(Agreement.id).where(Agreement.slug == values.slug))
        if taken is not None and (agreement is None or taken != agreement.id):
            problems.append(("slug", f"Another agreement already has the address name "
                                     f"“{values.slug}”."))
    if not values.title:
        problems.append(("title", "Give the agreement a title."))
    if values.starts_on is None:
        problems.append(("starts_on", "Give the day the agreement starts."))
    for name in DATES:
        day = getattr(values, name)
        if day is not None and not EARLIEST <= day <= LATEST:
            problems.append((name, f"{day.isoformat()} is not a date this agreement can have "
                                   f"(from {EARLIEST.year} to {LATEST.year})."))
    start, end, kept = values.starts_on, values.expires_on, values.retain_until
    if start and end and end < start:
        problems.append(("expires_on", "The agreement cannot expire before it starts."))
    if end and kept and kept < end:
        problems.append(("retain_until", "The data must be kept at least until the agreement "
                                         "expires; give a later date or none."))
    if kept and not end:
        problems.append(("retain_until", "An open-ended agreement has no retention date; give "
                                         "its expiry date too, or leave this empty."))
    if problems:
        raise Invalid(problems)


def _metrics(ids: list[int]) -> list[Metric]:
    found = list(db.session.scalars(select(Metric).where(Metric.id.in_(ids or [-1]))))
    if len(found) != len(set(ids)):
        raise Invalid([("metrics", "One of the chosen metrics is no longer in the catalogue; "
                                   "reload the page and choose again.")])
    return found


def save_agreement(actor, values: AgreementFields, agreement: Agreement | None = None,
                   translations: dict | None = None, consent: str = "",
                   consent_translations: dict | None = None,
                   metric_ids: list[int] | None = None) -> Agreement:
    """Create an agreement or change one. A consent text that differs from the one in use
    becomes a new version adopted today (the old one stays readable); ``metric_ids``, when
    given, are the metrics that come under it from now on. Metrics whose publication the
    change affects (retention date, links) are protected again in the same transaction."""
    consent = (consent or "").strip()
    _check(values, agreement, consent)
    probe = Agreement(translations=dict(agreement.translations or {}) if agreement else {})
    consent_probe = ConsentText(translations={})
    try:
        probe.translate(translations)
        consent_probe.translate(consent_translations)
    except TranslationRefused as error:
        raise Invalid([(None, str(error))]) from None
    linked = _metrics(metric_ids) if metric_ids is not None else None
    created = agreement is None
    if created:
        agreement = Agreement()
        db.session.add(agreement)
    changed = [f.name for f in fields(values)
               if getattr(agreement, f.name, None) != getattr(values, f.name)]
    affected = set(agreement.metrics) if not created else set()
    for name in changed:
        setattr(agreement, name, getattr(values, name))
    if probe.translations != (agreement.translations or {}):
        changed.append("translations")
    agreement.translations = probe.translations
    current = agreement.consent
    if consent and (current is None or current.body != consent
                    or (current.translations or {}) != consent_probe.translations):
        version = 1 + max((c.version for c in agreement.consents), default=0)
        agreement.consents.insert(0, ConsentText(version=version, body=consent,
                                                 adopted_on=site_today(),
                                                 translations=consent_probe.translations))
        changed.append("consent")
    if linked is not None and set(linked) != set(agreement.metrics):
        agreement.metrics = sorted(linked, key=lambda m: m.name)
        changed.append("metrics")
    agreement.updated_at = utcnow()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Invalid([("slug", f"Another agreement already has the address name "
                                f"“{values.slug}”.")]) from None
    for metric in sorted(affected | set(agreement.metrics), key=lambda m: m.id):
        publish(metric)
    record(actor, "agreement.create" if created else "agreement.update",
           f"agreement:{agreement.slug}", changed=changed)
    return agreement


def delete_agreement(actor, agreement: Agreement) -> None:
    """Remove an agreement; its metrics come under none (their numbers publish again if its
    retention date had hidden them)."""
    metrics = list(agreement.metrics)
    slug = agreement.slug
    agreement.metrics = []
    db.session.delete(agreement)
    db.session.flush()
    for metric in metrics:
        publish(metric)
    record(actor, "agreement.delete", f"agreement:{slug}",
           metrics=[m.key for m in metrics])
