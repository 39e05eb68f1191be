"""The stored, protected set each metric publishes: made when its measurements change.

``publish(metric)`` reads every measurement of the metric, protects them as one system
(``protection``: every relation among them, primary and secondary suppression, the audit by
linear programming) and stores the result as ``PublishedCell`` rows with a ``MetricAudit``.
Pages, charts, downloads, reports and the API read only those rows, so they hide the same
numbers and no request runs the solver.

A metric whose data-sharing agreement is past its retention date (``pbapp.agreements.rules``)
publishes no cell at all from the day after; ``flask agreements check`` (daily) or ``flask metrics
protect`` protects it again so that happens on the day, with no change to its data.

It runs by itself: a flush that writes measurements (the staff page, the CSV import, the CLI,
the demo, a test) notes their metric, and the commit protects it before it ends, in the same
transaction. So a measurement is never published unprotected, and never stored without its
metric's protection being brought up to date.

Rates and percentages are protected as two systems of counts, their numerators and their
denominators, under the same rules and relations; a rate is published only when both its
numerator and its denominator are (so where the denominator is at least 11 and the numerator 0
or at least 11), and only rounded to one decimal place. A median is published when its number
of cases is. A rate or median supplied as a finished value, with no counts, cannot be checked
and is published rounded.
"""
from __future__ import annotations

import logging
import math
import time
from collections import Counter

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models_base import site_today, utcnow
from ..numbers import COUNT_MAX
from . import protection
from .models import Measurement, Metric, MetricAudit, PublishedCell

log = logging.getLogger(__name__)

SMALL_NUMERATOR = "small-numerator"
SMALL_DENOMINATOR = "small-denominator"
#: how many relations the audit record lists in words (all are counted)
LISTED_RELATIONS = 40
_CHANGED = "pbapp.metrics.changed"
_ALL = "all"


def _cell(m: Measurement) -> tuple:
    return (m.scope, m.scope_ref, m.period_start, m.period_end, m.breakdown, m.group_name)


def _scale(metric: Metric) -> float:
    return 100.0 if metric.kind == "percent" else float(metric.rate_per or 1)


def unreadable(rows: list[Measurement]) -> list[str]:
    """Stored values no count can have (beyond 10^12, not finite, negative): rows written
    before the import refused them. They stop the metric's publication until corrected."""
    out = []
    for m in rows:
        for name in ("value", "numerator", "denominator"):
            v = getattr(m, name)
            if v is not None and not (math.isfinite(v) and 0 <= v <= COUNT_MAX):
                out.append(f"Measurement {m.id} ({m.scope} {m.scope_ref} {m.period_start}.."
                           f"{m.period_end} {m.breakdown or 'total'} {m.group_name}): its "
                           f"{name} {v!r} is not a number that can be published; correct it "
                           "by importing the cell again.")
    return out


def _systems(metric: Metric, rows: list[Measurement]):
    """The counts to protect, keyed ``(system, *cell)``, and how each cell's value is read."""
    counts: dict[tuple, int] = {}
    together: dict[tuple, list[tuple]] = {}
    finished: dict[tuple, float | None] = {}  # cell -> value published as given (rounded)
    for m in rows:
        cell = _cell(m)
        if metric.kind == "count":
            if m.value is not None:
                counts[("count", *cell)] = int(round(m.value))
            else:
                finished[cell] = None
            continue
        numerator = m.numerator
        if numerator is None and m.value is not None and m.denominator and \
                metric.kind in ("percent", "rate"):
            numerator = int(round(m.value * m.denominator / _scale(metric)))
        if metric.kind in ("percent", "rate") and numerator is not None and m.denominator:
            n, d = ("numerator", *cell), ("denominator", *cell)
            counts[n], counts[d] = numerator, m.denominator
            together[n], together[d] = [d], [n]
        elif metric.kind == "median" and m.value is not None and m.denominator is not None:
            counts[("denominator", *cell)] = m.denominator
        else:
            finished[cell] = m.effective_value
    return counts, together, finished


def _relations(counts: dict[tuple, int]) -> list[protection.Relation]:
    out = []
    for system in sorted({k[0] for k in counts}):
        mine = {k[1:]: v for k, v in counts.items() if k[0] == system}
        out += [protection.Relation((system, *r.total), tuple((system, *p) for p in r.parts),
                                    r.exact, r.why)
                for r in protection.find_relations(mine)]
    return out


def _rounded(metric: Metric, value: float | None) -> float | None:
    if value is None:
        return None
    return int(round(value)) if metric.kind == "count" else round(float(value), 1)


def _words(key: tuple) -> str:
    system, scope, ref, start, end, breakdown, group = key
    where = "city" if scope == "city" else f"{scope} {ref}"
    what = f"{breakdown}={group}" if breakdown else "total"
    prefix = "" if system == "count" else f"{system} of "
    return f"{prefix}{where} {start}..{end} {what}"


def publish(metric: Metric) -> MetricAudit:
    """Protect, audit and store one metric's public numbers (replacing what was stored)."""
    began = time.perf_counter()
    rows = list(db.session.scalars(select(Measurement).where(Measurement.metric_id == metric.id)))
    if metric.agreement is not None and metric.agreement.retention_passed(site_today()):
        rows = []  # past its agreement's retention date: published no more (pbapp.agreements)
    problems = unreadable(rows)
    hidden: dict = {}
    relations: list[protection.Relation] = []
    if not problems:
        counts, together, finished = _systems(metric, rows)
        relations = _relations(counts)
        try:
            outcome = protection.protect(counts, relations, protection.cell_cost(counts),
                                         together)
            hidden, problems = outcome.hidden, outcome.problems
        except protection.AuditError as error:
            log.exception("protecting metric %s failed", metric.key)
            problems = [str(error)]
    cells = []
    if not problems:
        for m in rows:
            cells.append(_published(metric, m, counts, hidden, finished))
    db.session.execute(delete(PublishedCell).where(PublishedCell.metric_id == metric.id))
    if cells:
        db.session.execute(insert(PublishedCell), cells)
    audit = db.session.get(MetricAudit, metric.id) or MetricAudit(metric_id=metric.id)
    db.session.add(audit)
    audit.audited_at = utcnow()
    audit.passed = not problems
    audit.cells = len(rows)
    audit.small = sum(1 for r in hidden.values() if r == protection.SMALL)
    audit.hidden = len({k[1:] for k in hidden})
    audit.relations = {"counts": dict(Counter(r.why for r in relations)),
                       "listed": [r.describe(_words) for r in relations[:LISTED_RELATIONS]]}
    audit.problems = "\n".join(problems)
    audit.seconds = round(time.perf_counter() - began, 4)
    db.session.flush()
    return audit


def _published(metric: Metric, m: Measurement, counts: dict, hidden: dict, finished: dict
               ) -> dict:
    cell = _cell(m)
    base = dict(metric_id=metric.id, scope=m.scope, scope_ref=m.scope_ref,
                period_start=m.period_start, period_end=m.period_end, breakdown=m.breakdown,
                group_name=m.group_name, value=None, hidden=None)
    if cell in finished:
        base["value"] = _rounded(metric, finished[cell])
        return base
    if metric.kind == "count":
        key = ("count", *cell)
        reason = hidden.get(key)
        if reason:
            base["hidden"] = reason
        else:
            base["value"] = counts[key]
        return base
    num, den = ("numerator", *cell), ("denominator", *cell)
    if den in hidden or num in hidden:
        base["hidden"] = (SMALL_DENOMINATOR if hidden.get(den) == protection.SMALL
                          else SMALL_NUMERATOR if hidden.get(num) == protection.SMALL
                          else protection.COMPLEMENTARY)
    else:
        base["value"] = _rounded(metric, m.effective_value)
    return base


def publish_all() -> list[MetricAudit]:
    """Protect every metric now (the commit then has nothing left to do)."""
    db.session.flush()
    db.session.info.pop(_CHANGED, None)
    return [publish(m) for m in db.session.scalars(select(Metric).order_by(Metric.id))]


def audit_of(metric: Metric) -> MetricAudit | None:
    return db.session.get(MetricAudit, metric.id)


# Keeping the stored set up to date --------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _note_changed_measurements(session: Session, _context) -> None:
    changed = session.info.setdefault(_CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Measurement):
            changed.add(obj.metric_id)
        elif isinstance(obj, Metric) and obj not in session.deleted:
            changed.add(obj.id)  # its kind or rate_per decide how its numbers are protected


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state) -> None:
    """``insert(Measurement)`` with many rows (the demo), or an ORM-enabled bulk update or
    delete: which metrics they touch is not known here, so every metric is protected again."""
    if (state.is_insert or state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is Measurement:
        state.session.info.setdefault(_CHANGED, set()).add(_ALL)


@event.listens_for(Session, "before_commit")
def _publish_changed(session: Session) -> None:
    session.flush()
    changed = session.info.pop(_CHANGED, None)
    if not changed:
        return
    if _ALL in changed:
        metrics = list(session.scalars(select(Metric).order_by(Metric.id)))
    else:
        metrics = list(session.scalars(select(Metric).where(Metric.id.in_(
            [c for c in changed if c is not None])).order_by(Metric.id)))
    for metric in metrics:
        publish(metric)
    session.info.pop(_CHANGED, None)
