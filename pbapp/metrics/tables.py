"""The only metric tables the public sees: fixed, predefined, and small-cell protected.

For each metric, scope (city, a neighbourhood, a project) and period there is the total and one
table per breakdown (age band, gender, race/ethnicity, disability, neighbourhood). Pages,
charts, CSV, JSON and the API all read from here, so they hide the same cells. Nothing here
takes a free-form filter.

The tables of one period are linked: every breakdown shares its scope's total, and a
neighbourhood's total is also its cell in the city's by-neighbourhood table. So the city and all
its neighbourhoods are protected together, as one family, by ``suppression.protect_linked``: a
number is hidden (or shown) in every table it appears in, and no table, alone or with the
others, gives a hidden number away. A project's tables are a family of their own.
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
from .models import BREAKDOWNS, Measurement, Metric
from .suppression import COMPLEMENTARY, SMALL, SMALL_DENOMINATOR, protect_linked, rate_shown

BREAKDOWN_LABELS = {"": N_("Total"), "age_band": N_("Age band"), "gender": N_("Gender"),
                    "race_ethnicity": N_("Race or ethnicity"), "disability": N_("Disability"),
                    "neighbourhood": N_("Neighbourhood")}
#: what a reader sees in place of a hidden number
HIDDEN_TEXT = {SMALL: "<11", COMPLEMENTARY: "—", SMALL_DENOMINATOR: "—"}
HIDDEN_MEANING = {SMALL: N_("between 1 and 10: hidden to protect the people counted"),
                  COMPLEMENTARY: N_("hidden so that a small number cannot be worked out from "
                                    "the total"),
                  SMALL_DENOMINATOR: N_("hidden: fewer than 11 people answered")}


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
    if metric.kind in ("rate", "median"):
        return number(round(value, 2))
    return number(round(value, 1))  # counts are whole; a projected count gets one decimal


#: one published number: (scope, scope_ref, period_start, period_end, breakdown, group_name)
Key = tuple


def _key(m: Measurement) -> Key:
    return (m.scope, m.scope_ref, m.period_start, m.period_end, m.breakdown, m.group_name)


def _count_of(m: Measurement | None) -> int | None:
    value = None if m is None else m.effective_value
    return None if value is None else int(round(value))


@dataclass(frozen=True)
class _Spec:
    """The shape of one table before protection: where its total and its cells come from."""

    start: date
    end: date
    breakdown: str
    total: Key | None
    parts: list[tuple[str, Key]]  # (group, key)


def _specs(rows: dict[Key, Measurement], scope: str, ref: str) -> list[_Spec]:
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


def _family(metric: Metric, scope: str, ref: str
            ) -> tuple[dict[Key, Measurement], dict[tuple[str, str], list[_Spec]], dict[Key, str]]:
    """The rows linked to one scope's tables, the tables of every scope in that family (the
    city with all its neighbourhoods, or one project), and what to hide of them."""
    if scope == "project":
        found = _rows(metric, "project", ref)
        scopes = [("project", ref)]
    else:
        found = _rows(metric, "city", "") + _rows(metric, "neighbourhood")
        scopes = [("city", "")] + sorted({("neighbourhood", m.scope_ref) for m in found
                                          if m.scope == "neighbourhood"})
    rows = {_key(m): m for m in found}
    specs = {pair: _specs(rows, *pair) for pair in scopes}
    hidden: dict[Key, str] = {}
    if metric.is_count:
        # periods are protected apart: each is its own family of linked tables
        values: dict[tuple[date, date], dict[Key, int]] = defaultdict(dict)
        for k, m in rows.items():
            values[(k[2], k[3])][k] = _count_of(m) or 0
        sums: dict[tuple[date, date], set] = defaultdict(set)
        for spec in (s for pair_specs in specs.values() for s in pair_specs):
            if spec.breakdown and spec.total is not None:
                sums[(spec.start, spec.end)].add((spec.total, tuple(k for _, k in spec.parts)))
        for period, period_values in values.items():
            hidden.update(protect_linked(period_values, sorted(sums[period], key=repr)))
    return rows, specs, hidden


def _cell(metric: Metric, m: Measurement | None, group: str, label: str,
          hidden: dict[Key, str]) -> Cell:
    if m is None or m.effective_value is None:
        return Cell(group, label, None, None, "–")
    if not metric.is_count:
        if not rate_shown(m.denominator):
            return Cell(group, label, None, SMALL_DENOMINATOR, HIDDEN_TEXT[SMALL_DENOMINATOR])
        return Cell(group, label, m.effective_value, None,
                    format_value(metric, m.effective_value))
    reason = hidden.get(_key(m))
    if reason:
        return Cell(group, label, None, reason, HIDDEN_TEXT[reason])
    count = _count_of(m)
    return Cell(group, label, count, None, format_value(metric, count))


def _rows(metric: Metric, scope: str | None = None, scope_ref: str | None = None
          ) -> list[Measurement]:
    query = select(Measurement).where(Measurement.metric_id == metric.id)
    if scope is not None:
        query = query.where(Measurement.scope == scope)
    if scope_ref is not None:
        query = query.where(Measurement.scope_ref == scope_ref)
    return list(db.session.scalars(query.order_by(
        Measurement.period_start, Measurement.period_end, Measurement.breakdown,
        Measurement.group_name, Measurement.id)))


def _neighbourhood_names() -> dict[str, str]:
    return dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)).all())


def tables_for(metric: Metric, scope: str = "city", scope_ref: str = "") -> list[Table]:
    """Every published table for one metric and scope, oldest period first: per period the
    totals-only table (breakdown "") then each breakdown that has rows. A number hidden in one
    of them is hidden in all of them, and on the other scopes' tables it appears in."""
    rows, specs, hidden = _family(metric, scope, scope_ref)
    return _tables(metric, rows, specs.get((scope, scope_ref), []), hidden, scope, scope_ref,
                   _neighbourhood_names())


def tables_by_scope(metric: Metric) -> dict[tuple[str, str], list[Table]]:
    """``tables_for`` of every scope that has measurements, city first, each family of linked
    tables protected once (not once per neighbourhood)."""
    names = _neighbourhood_names()
    out: dict[tuple[str, str], list[Table]] = {}
    families: dict[str, tuple] = {}
    for scope, ref in scopes_of(metric):
        family = ref if scope == "project" else ""
        if family not in families:
            families[family] = _family(metric, scope, ref)
        rows, specs, hidden = families[family]
        out[(scope, ref)] = _tables(metric, rows, specs.get((scope, ref), []), hidden, scope,
                                    ref, names)
    return out


def _tables(metric: Metric, rows: dict[Key, Measurement], specs: list[_Spec],
            hidden: dict[Key, str], scope: str, scope_ref: str,
            names: dict[str, str]) -> list[Table]:
    total_label = str(BREAKDOWN_LABELS[""])
    out = []
    for spec in specs:
        total = _cell(metric, rows.get(spec.total), "", total_label, hidden)
        labels = names if spec.breakdown == "neighbourhood" else {}
        cells = [_cell(metric, rows[k], group, labels.get(group, group), hidden)
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
    """The (scope, scope_ref) pairs that have measurements, city first."""
    pairs = db.session.execute(select(Measurement.scope, Measurement.scope_ref).where(
        Measurement.metric_id == metric.id).distinct()).all()
    order = {"city": 0, "neighbourhood": 1, "project": 2}
    return sorted({(s, r) for s, r in pairs}, key=lambda p: (order.get(p[0], 9), p[1]))


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
