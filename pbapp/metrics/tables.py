"""The only metric tables the public sees: fixed, predefined, and small-cell protected.

For each metric, scope (city, a neighbourhood, a project) and period there is the total and one
table per breakdown (age band, gender, race/ethnicity, disability, neighbourhood). Pages,
charts, CSV, JSON and the API all read from here, so they hide the same cells. Nothing here
takes a free-form filter.

Every cell comes from the metric's stored, protected set (``published``), which protects all
of a metric's numbers together and proves it with an audit by linear programming: a number is
hidden (or shown) in every table it appears in, and no table, alone or with all the others,
gives a hidden number away. A metric whose audit did not pass has no tables.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..cycles.charts import number
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..labels import N_
from ..models_base import site_today
from .models import BREAKDOWNS, Metric, MetricAudit, PublishedCell
from .protection import COMPLEMENTARY, SMALL
from .published import SMALL_DENOMINATOR, SMALL_NUMERATOR

BREAKDOWN_LABELS = {"": N_("Total"), "age_band": N_("Age band"), "gender": N_("Gender"),
                    "race_ethnicity": N_("Race or ethnicity"), "disability": N_("Disability"),
                    "neighbourhood": N_("Neighbourhood")}
#: what a reader sees in place of a hidden number
HIDDEN_TEXT = {SMALL: "<11", COMPLEMENTARY: "—", SMALL_DENOMINATOR: "—", SMALL_NUMERATOR: "—"}
HIDDEN_MEANING = {SMALL: N_("between 1 and 10: hidden to protect the people counted"),
                  COMPLEMENTARY: N_("hidden so that a small number cannot be worked out from "
                                    "the other published numbers"),
                  SMALL_DENOMINATOR: N_("hidden: fewer than 11 people answered"),
                  SMALL_NUMERATOR: N_("hidden: it would count between 1 and 10 people")}


@dataclass(frozen=True)
class Cell:
    group: str  # "" for the total
    label: str
    value: float | None  # None when hidden or not measured
    hidden: str | None  # None, "small", "complementary" or "small-denominator"
    display: str


@dataclass(frozen=True)
class Table:
    metric: Metric
    scope: str
    scope_ref: str
    period_start: date
    period_end: date
    breakdown: str  # "" for the totals-only table
    total: Cell
    cells: list[Cell]

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)


def period_label(start: date, end: date) -> str:
    if start == end:
        return start.isoformat()
    if start.day == 1 and start.month == 1 and end.month == 12 and end.day == 31 \
            and start.year == end.year:
        return str(start.year)
    return f"{start.isoformat()} – {end.isoformat()}"


def format_value(metric: Metric, value: float | None) -> str:
    if value is None:
        return "–"
    if metric.kind == "percent":
        return f"{number(round(value, 1))}%"
    return number(round(value, 1))  # counts are whole; rates and medians get one decimal


#: one published number: (scope, scope_ref, period_start, period_end, breakdown, group_name)
Key = tuple


def _key(m: PublishedCell) -> Key:
    return (m.scope, m.scope_ref, m.period_start, m.period_end, m.breakdown, m.group_name)


@dataclass(frozen=True)
class _Spec:
    """The shape of one table: where its total and its cells come from."""

    start: date
    end: date
    breakdown: str
    total: Key | None
    parts: list[tuple[str, Key]]  # (group, key)


def _specs(rows: dict[Key, PublishedCell], scope: str, ref: str) -> list[_Spec]:
    """The tables of one scope, oldest period first: the totals-only table then each breakdown.

    The city's by-neighbourhood cells are the neighbourhoods' own totals when a period has any
    (else its own by-neighbourhood rows); in the latter case a neighbourhood with no total of
    its own takes its cell in that city table as its total."""
    by_table: dict[tuple, list[Key]] = defaultdict(list)
    for k in rows:
        if k[0] == scope and k[1] == ref:
            by_table[(k[2], k[3], k[4])].append(k)
    hood_totals: dict[tuple[date, date], list[Key]] = defaultdict(list)
    if scope in ("city", "neighbourhood"):
        for k in rows:
            if k[0] == "neighbourhood" and k[4] == "":
                hood_totals[(k[2], k[3])].append(k)
    periods = {(s, e) for s, e, _ in by_table}
    if scope == "city":
        periods |= set(hood_totals)
    elif scope == "neighbourhood":
        periods |= {(k[2], k[3]) for k in rows if k[:2] == ("city", "")
                    and k[4] == "neighbourhood" and k[5] == ref}
    out = []
    for start, end in sorted(periods):
        own = (scope, ref, start, end, "", "")
        total = own if own in rows else None
        if total is None and scope == "neighbourhood" and not hood_totals.get((start, end)):
            fallback = ("city", "", start, end, "neighbourhood", ref)
            total = fallback if fallback in rows else None
        out.append(_Spec(start, end, "", total, []))
        for breakdown in BREAKDOWNS:
            keys = by_table.get((start, end, breakdown), [])
            if breakdown == "neighbourhood":
                if scope == "neighbourhood":
                    continue  # its cell of the city's table is its total
                if scope == "city" and hood_totals.get((start, end)):
                    keys = hood_totals[(start, end)]
            if keys:
                # a neighbourhood's total standing as a cell is named by its scope_ref
                parts = sorted((k[1] if k[4] == "" else k[5], k) for k in keys)
                out.append(_Spec(start, end, breakdown, total, parts))
    return out


def _published(metric: Metric) -> dict[Key, PublishedCell]:
    """The metric's stored, protected cells; none when its audit has not passed."""
    audit = db.session.get(MetricAudit, metric.id)
    if audit is None or not audit.passed:
        return {}
    if metric.agreement is not None and metric.agreement.retention_passed(site_today()):
        return {}  # hidden from the day after, even before ``flask agreements check`` runs
    found = db.session.scalars(select(PublishedCell).where(PublishedCell.metric_id == metric.id)
                               .order_by(PublishedCell.id))
    return {_key(c): c for c in found}


def _cell(metric: Metric, m: PublishedCell | None, group: str, label: str) -> Cell:
    if m is None:
        return Cell(group, label, None, None, "–")
    if m.hidden:
        return Cell(group, label, None, m.hidden, HIDDEN_TEXT.get(m.hidden, "—"))
    if m.value is None:
        return Cell(group, label, None, None, "–")
    value = int(m.value) if metric.is_count else m.value
    return Cell(group, label, value, None, format_value(metric, value))


def _neighbourhood_names() -> dict[str, str]:
    return dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)).all())


def tables_for(metric: Metric, scope: str = "city", scope_ref: str = "") -> list[Table]:
    """Every published table for one metric and scope, oldest period first: per period the
    totals-only table (breakdown "") then each breakdown that has rows. A number hidden in one
    of them is hidden in all of them, and on the other scopes' tables it appears in."""
    rows = _published(metric)
    return _tables(metric, rows, _specs(rows, scope, scope_ref), scope, scope_ref,
                   _neighbourhood_names())


def tables_by_scope(metric: Metric) -> dict[tuple[str, str], list[Table]]:
    """``tables_for`` of every scope that has published cells, city first."""
    names = _neighbourhood_names()
    rows = _published(metric)
    scopes = sorted({k[:2] for k in rows}, key=_scope_order)
    return {(scope, ref): _tables(metric, rows, _specs(rows, scope, ref), scope, ref, names)
            for scope, ref in scopes}


def _tables(metric: Metric, rows: dict[Key, PublishedCell], specs: list[_Spec], scope: str,
            scope_ref: str, names: dict[str, str]) -> list[Table]:
    total_label = str(BREAKDOWN_LABELS[""])
    out = []
    for spec in specs:
        total = _cell(metric, rows.get(spec.total), "", total_label)
        labels = names if spec.breakdown == "neighbourhood" else {}
        cells = [_cell(metric, rows[k], group, labels.get(group, group))
                 for group, k in spec.parts]
        out.append(Table(metric, scope, scope_ref, spec.start, spec.end, spec.breakdown,
                         total, cells))
    return out


def series(metric: Metric, scope: str = "city", scope_ref: str = "") -> list[Table]:
    """The totals over time (the breakdown "" tables), oldest first."""
    return [t for t in tables_for(metric, scope, scope_ref) if t.breakdown == ""]


def latest_total(metric: Metric, scope: str = "city", scope_ref: str = "") -> Table | None:
    points = [t for t in series(metric, scope, scope_ref) if t.total.value is not None]
    return points[-1] if points else None


def scopes_of(metric: Metric) -> list[tuple[str, str]]:
    """The (scope, scope_ref) pairs that have published cells, city first."""
    return sorted({k[:2] for k in _published(metric)}, key=_scope_order)


def _scope_order(pair: tuple[str, str]) -> tuple:
    return ({"city": 0, "neighbourhood": 1, "project": 2}.get(pair[0], 9), pair[1])


def public_rows(metric: Metric) -> list[dict]:
    """Every published cell of one metric as flat rows, for CSV, JSON and the API.

    ``value`` is None whenever the cell is hidden; ``suppressed`` says why."""
    rows = []
    for (scope, ref), tables in tables_by_scope(metric).items():
        for t in tables:
            cells = [t.total] if t.breakdown == "" else [t.total, *t.cells]
            for cell in cells:
                if t.breakdown and cell.group == "":
                    continue  # the total is already listed with the totals-only table
                rows.append({"metric": metric.key, "scope": scope, "scope_ref": ref,
                             "period_start": t.period_start.isoformat(),
                             "period_end": t.period_end.isoformat(),
                             "breakdown": t.breakdown, "group": cell.group,
                             "value": cell.value, "display": cell.display,
                             "suppressed": cell.hidden})
    return rows
