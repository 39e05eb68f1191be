"""The only metric tables the public sees: fixed, predefined, and small-cell protected.

For each metric, scope (city, a neighbourhood, a project) and period there is the total and one
table per breakdown (age band, gender, race/ethnicity, disability, neighbourhood), each cell
protected against its total by ``suppression``. Pages, charts, CSV, JSON and the API all read
from here, so they hide the same cells. Nothing here takes a free-form filter.

A neighbourhood's total is published through the city's by-neighbourhood table (its cells are
the neighbourhood totals), so a cell hidden there cannot be read off the neighbourhood's own
page.
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
from .suppression import (COMPLEMENTARY, SMALL, SMALL_DENOMINATOR, is_small, protect_counts,
                          rate_shown)

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
    return number(value)


def _count_of(m: Measurement) -> int | None:
    value = m.effective_value
    return None if value is None else int(round(value))


def _protect_rates(metric: Metric, rows: list[Measurement | None], labels: list[str],
                   groups: list[str]) -> list[Cell]:
    cells = []
    for m, label, group in zip(rows, labels, groups):
        if m is None or m.effective_value is None:
            cells.append(Cell(group, label, None, None, "–"))
        elif not rate_shown(m.denominator):
            cells.append(Cell(group, label, None, SMALL_DENOMINATOR,
                              HIDDEN_TEXT[SMALL_DENOMINATOR]))
        else:
            value = m.effective_value
            cells.append(Cell(group, label, value, None, format_value(metric, value)))
    return cells


def build_table(metric: Metric, total: Measurement | None, parts: list[Measurement],
                breakdown: str, labels: dict[str, str] | None = None) -> tuple[Cell, list[Cell]]:
    """Protect one table: ``total`` is the row with no breakdown (may be missing), ``parts``
    the rows of one breakdown. Groups are listed in the order given."""
    labels = labels or {}
    groups = [p.group_name for p in parts]
    names = [labels.get(g, g) for g in groups]
    total_label = str(BREAKDOWN_LABELS[""])
    if not metric.is_count:
        total_cell = _protect_rates(metric, [total], [total_label], [""])[0]
        return total_cell, _protect_rates(metric, parts, names, groups)
    counts = [_count_of(p) for p in parts]
    known = [c or 0 for c in counts]
    total_count = _count_of(total) if total is not None else None
    decision = protect_counts(known, total_count)
    cells = []
    for i, (group, name, count) in enumerate(zip(groups, names, counts)):
        reason = decision.hidden.get(i)
        if count is None:
            cells.append(Cell(group, name, None, None, "–"))
        elif reason:
            cells.append(Cell(group, name, None, reason, HIDDEN_TEXT[reason]))
        else:
            cells.append(Cell(group, name, count, None, format_value(metric, count)))
    if total_count is None:
        total_cell = Cell("", total_label, None, None, "–")
    elif decision.total_hidden:
        total_cell = Cell("", total_label, None, decision.total_hidden,
                          HIDDEN_TEXT[decision.total_hidden])
    else:
        total_cell = Cell("", total_label, total_count, None, format_value(metric, total_count))
    return total_cell, cells


def _standalone(metric: Metric, m: Measurement | None) -> Cell:
    """A total shown on its own (a time series point): small counts hidden, nothing to derive."""
    label = str(BREAKDOWN_LABELS[""])
    if m is None or m.effective_value is None:
        return Cell("", label, None, None, "–")
    if not metric.is_count:
        return _protect_rates(metric, [m], [label], [""])[0]
    count = _count_of(m)
    if is_small(count):
        return Cell("", label, None, SMALL, HIDDEN_TEXT[SMALL])
    return Cell("", label, count, None, format_value(metric, count))


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
    totals-only table (breakdown "") then each breakdown that has rows.

    At city scope the by-neighbourhood table takes its cells from the neighbourhoods' own
    totals when there are any, so both views of a neighbourhood hide the same numbers.
    """
    if scope == "neighbourhood":
        return _neighbourhood_tables(metric, scope_ref)
    rows = _rows(metric, scope, scope_ref)
    by_period: dict[tuple[date, date], dict[str, list[Measurement]]] = defaultdict(
        lambda: defaultdict(list))
    for m in rows:
        by_period[(m.period_start, m.period_end)][m.breakdown].append(m)
    if scope == "city":
        for m in _rows(metric, "neighbourhood"):
            if m.breakdown == "":
                key = (m.period_start, m.period_end)
                parts = by_period[key]
                if not parts.get("_hood_from_scope"):
                    parts["neighbourhood"] = []
                    parts["_hood_from_scope"] = [m]
                parts["neighbourhood"].append(_as_group(m))
    names = _neighbourhood_names()
    out = []
    for (start, end), parts in sorted(by_period.items()):
        parts.pop("_hood_from_scope", None)
        totals = parts.get("", [])
        total = totals[0] if totals else None
        standalone = _standalone(metric, total)
        broken_down = []
        for breakdown in BREAKDOWNS:
            if parts.get(breakdown):
                labels = names if breakdown == "neighbourhood" else None
                total_cell, cells = build_table(metric, total, parts[breakdown], breakdown,
                                                labels)
                broken_down.append((breakdown, total_cell, cells))
        # a total one table must hide is hidden in every table, or that table's cells leak
        forced = next((t for _, t, _ in broken_down if t.hidden), None)
        if forced is not None and not standalone.hidden:
            standalone = forced
        out.append(Table(metric, scope, scope_ref, start, end, "", standalone, []))
        for breakdown, total_cell, cells in broken_down:
            out.append(Table(metric, scope, scope_ref, start, end, breakdown,
                             forced or total_cell, cells))
    return out


class _GroupView:
    """A neighbourhood-scope total seen as one group of the city's by-neighbourhood table."""

    def __init__(self, m: Measurement):
        self._m = m
        self.group_name = m.scope_ref
        self.effective_value = m.effective_value
        self.denominator = m.denominator


def _as_group(m: Measurement):
    return _GroupView(m)


def _neighbourhood_tables(metric: Metric, slug: str) -> list[Table]:
    """A neighbourhood's totals are its cells in the city's by-neighbourhood tables; its own
    breakdowns (by age band, ...) are protected against that same total."""
    city = {(t.period_start, t.period_end): t for t in tables_for(metric, "city", "")
            if t.breakdown == "neighbourhood"}
    own = defaultdict(lambda: defaultdict(list))
    for m in _rows(metric, "neighbourhood", slug):
        own[(m.period_start, m.period_end)][m.breakdown].append(m)
    out = []
    for key in sorted(set(own) | {k for k, t in city.items()
                                  if any(c.group == slug for c in t.cells)}):
        start, end = key
        parts = own.get(key, {})
        totals = parts.get("", [])
        total = totals[0] if totals else None
        if key in city:
            cell = next((c for c in city[key].cells if c.group == slug), None)
            total_cell = (Cell("", str(BREAKDOWN_LABELS[""]), cell.value, cell.hidden,
                               cell.display) if cell else _standalone(metric, total))
        else:
            total_cell = _standalone(metric, total)
        out.append(Table(metric, "neighbourhood", slug, start, end, "", total_cell, []))
        for breakdown in BREAKDOWNS:
            if breakdown != "neighbourhood" and parts.get(breakdown):
                protected_total, cells = build_table(metric, total, parts[breakdown], breakdown)
                if total_cell.hidden and not protected_total.hidden:
                    protected_total = total_cell
                out.append(Table(metric, "neighbourhood", slug, start, end, breakdown,
                                 protected_total, cells))
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
    for scope, ref in scopes_of(metric):
        for t in tables_for(metric, scope, ref):
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
