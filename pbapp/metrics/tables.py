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
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from flask_babel import get_locale
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
        return f"{number_text(round(value, 1))}%"
    return number_text(round(value, 1))  # counts are whole; rates and medians get one decimal


def number_text(value) -> str:
    """``cycles.charts.number``, kept per language and value: a report writes hundreds of
    numbers, and Babel takes longer over each than building the rest of its cell does."""
    return _number_in(_once(("locale",), lambda: str(get_locale() or "en")), value)


@lru_cache(maxsize=4096)
def _number_in(_locale: str, value) -> str:
    return number(value)  # reads the same locale; 1, 1.0 and True all write "1"


#: one published number: (scope, scope_ref, period_start, period_end, breakdown, group_name)
Key = tuple


#: what ``read_once`` has read and built so far, while it is open
_remembered: ContextVar[dict | None] = ContextVar("metric_tables_remembered", default=None)


@contextmanager
def read_once():
    """Read each metric's published cells (and the reader's language) and build each scope's
    tables once while open.

    A report asks for the same metric's tables from many places (each target's progress, its
    trend, the equity breakdowns, the stories beside them); without this each asks the database
    again and formats every number again. For reading only: what is written while it is open
    is not seen."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _once(key: tuple, make):
    memo = _remembered.get()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


@dataclass(frozen=True)
class _Spec:
    """The shape of one table: where its total and its cells come from."""

    start: date
    end: date
    breakdown: str
    total: Key | None
    parts: list[tuple[str, Key]]  # (group, key)


@dataclass(frozen=True)
class _Index:
    """A metric's published keys, grouped as ``_specs`` looks them up for every scope."""

    by_scope: dict[tuple[str, str], list[Key]]
    hood_totals: dict[tuple[date, date], list[Key]]  # the neighbourhoods' totals, by period
    in_city_table: dict[str, set[tuple[date, date]]]  # periods of each one's city-table cell


def _indexed(rows: dict[Key, tuple]) -> _Index:
    by_scope: dict[tuple[str, str], list[Key]] = defaultdict(list)
    hood_totals: dict[tuple[date, date], list[Key]] = defaultdict(list)
    in_city_table: dict[str, set[tuple[date, date]]] = defaultdict(set)
    for k in rows:
        by_scope[k[:2]].append(k)
        if k[0] == "neighbourhood" and k[4] == "":
            hood_totals[(k[2], k[3])].append(k)
        elif k[:2] == ("city", "") and k[4] == "neighbourhood":
            in_city_table[k[5]].add((k[2], k[3]))
    return _Index(dict(by_scope), dict(hood_totals), dict(in_city_table))


def _index(metric: Metric, rows: dict[Key, tuple]) -> _Index:
    return _once(("index", metric.id), lambda: _indexed(rows))


def _specs(rows: dict[Key, tuple], scope: str, ref: str, totals_only: bool = False,
           index: _Index | None = None) -> list[_Spec]:
    """The tables of one scope, oldest period first: the totals-only table then each breakdown
    (unless ``totals_only``).

    The city's by-neighbourhood cells are the neighbourhoods' own totals when a period has any
    (else its own by-neighbourhood rows); in the latter case a neighbourhood with no total of
    its own takes its cell in that city table as its total."""
    index = _indexed(rows) if index is None else index
    by_table: dict[tuple, list[Key]] = defaultdict(list)
    for k in index.by_scope.get((scope, ref), ()):
        by_table[(k[2], k[3], k[4])].append(k)
    hood_totals = index.hood_totals if scope in ("city", "neighbourhood") else {}
    periods = {(s, e) for s, e, _ in by_table}
    if scope == "city":
        periods |= set(hood_totals)
    elif scope == "neighbourhood":
        periods |= index.in_city_table.get(ref, set())
    out = []
    for start, end in sorted(periods):
        own = (scope, ref, start, end, "", "")
        total = own if own in rows else None
        if total is None and scope == "neighbourhood" and not hood_totals.get((start, end)):
            fallback = ("city", "", start, end, "neighbourhood", ref)
            total = fallback if fallback in rows else None
        out.append(_Spec(start, end, "", total, []))
        for breakdown in () if totals_only else BREAKDOWNS:
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


_stored = PublishedCell.__table__.c
#: what a table needs of a stored cell, its ``Key`` first: rows of these table columns skip
#: the ORM's loading and cost a fraction of the objects
_CELL_COLUMNS = (_stored.scope, _stored.scope_ref, _stored.period_start, _stored.period_end,
                 _stored.breakdown, _stored.group_name, _stored.value, _stored.hidden)


def _published(metric: Metric) -> dict[Key, tuple]:
    """The metric's stored, protected cells; none when its audit has not passed."""
    return _once(("published", metric.id), lambda: _read_published(metric))


def _read_published(metric: Metric) -> dict[Key, tuple]:
    if not _publishes(metric, db.session.get(MetricAudit, metric.id)):
        return {}
    found = db.session.execute(select(*_CELL_COLUMNS).where(
        _stored.metric_id == metric.id).order_by(_stored.id)).all()
    return {c[:6]: c for c in found}


def _publishes(metric: Metric, audit: MetricAudit | None) -> bool:
    if audit is None or not audit.passed:
        return False
    # hidden from the day after its agreement's retention date, even before ``flask agreements
    # check`` runs
    return metric.agreement is None or not metric.agreement.retention_passed(site_today())


def read_published(metrics) -> None:
    """Read the published cells of all these metrics in two queries, for ``read_once`` to
    keep (without it open this does nothing): a report that shows many metrics then asks
    the database once rather than per metric."""
    memo = _remembered.get()
    if memo is None:
        return
    wanted = {m.id: m for m in metrics if ("published", m.id) not in memo}
    if not wanted:
        return
    audits = {a.metric_id: a for a in db.session.scalars(
        select(MetricAudit).where(MetricAudit.metric_id.in_(list(wanted))))}
    shown = [i for i, m in wanted.items() if _publishes(m, audits.get(i))]
    found = db.session.execute(select(*_CELL_COLUMNS, _stored.metric_id).where(
        _stored.metric_id.in_(shown)).order_by(_stored.metric_id, _stored.id)).all() \
        if shown else []
    for i in wanted:
        memo[("published", i)] = {}
    for metric_id, cells in groupby(found, key=itemgetter(len(_CELL_COLUMNS))):
        memo[("published", metric_id)] = {c[:6]: c for c in cells}


def _cell(metric: Metric, m, group: str, label: str) -> Cell:
    if m is None:
        return Cell(group, label, None, None, "–")
    if m.hidden:
        return Cell(group, label, None, m.hidden, HIDDEN_TEXT.get(m.hidden, "—"))
    if m.value is None:
        return Cell(group, label, None, None, "–")
    value = int(m.value) if metric.is_count else m.value
    return Cell(group, label, value, None, format_value(metric, value))


def _neighbourhood_names() -> dict[str, str]:
    return _once(("names",), lambda: dict(db.session.execute(
        select(Neighbourhood.slug, Neighbourhood.name)).all()))


def tables_for(metric: Metric, scope: str = "city", scope_ref: str = "") -> list[Table]:
    """Every published table for one metric and scope, oldest period first: per period the
    totals-only table (breakdown "") then each breakdown that has rows. A number hidden in one
    of them is hidden in all of them, and on the other scopes' tables it appears in."""
    return list(_once(("tables", metric.id, scope, scope_ref),
                      lambda: _tables_of_scope(metric, scope, scope_ref)))


def _tables_of_scope(metric: Metric, scope: str, scope_ref: str,
                     totals_only: bool = False) -> list[Table]:
    rows = _published(metric)
    specs = _specs(rows, scope, scope_ref, totals_only, _index(metric, rows))
    return _tables(metric, rows, specs, scope, scope_ref, _neighbourhood_names())


def tables_by_scope(metric: Metric) -> dict[tuple[str, str], list[Table]]:
    """``tables_for`` of every scope that has published cells, city first."""
    names = _neighbourhood_names()
    rows = _published(metric)
    scopes = sorted({k[:2] for k in rows}, key=_scope_order)
    index = _indexed(rows)
    return {(scope, ref): _tables(metric, rows, _specs(rows, scope, ref, index=index), scope,
                                  ref, names)
            for scope, ref in scopes}


def _tables(metric: Metric, rows: dict[Key, tuple], specs: list[_Spec], scope: str,
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


def latest_breakdowns(metric: Metric, scope: str = "city", scope_ref: str = "") -> list[Table]:
    """The breakdown tables of the newest period that has any, in ``tables_for``'s order:
    who the latest numbers are about, without building every older period's tables too."""
    rows = _published(metric)
    specs = [s for s in _specs(rows, scope, scope_ref, index=_index(metric, rows))
             if s.breakdown]
    if not specs:
        return []
    latest = max((s.start, s.end) for s in specs)
    return _tables(metric, rows, [s for s in specs if (s.start, s.end) == latest], scope,
                   scope_ref, _neighbourhood_names())


def series(metric: Metric, scope: str = "city", scope_ref: str = "") -> list[Table]:
    """The totals over time (the breakdown "" tables), oldest first."""
    return list(_once(("series", metric.id, scope, scope_ref),
                      lambda: _tables_of_scope(metric, scope, scope_ref, totals_only=True)))


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
