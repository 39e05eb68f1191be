"""An analyst with a grudge, written apart from ``pbapp.metrics.protection``: the sums a
reader can see among published cells, and what linear programming then tells of each hidden one.

A cell is keyed ``(scope, scope_ref, period_start, period_end, breakdown, group)`` (optionally
behind a system tag such as "numerator"). The relations are found from the keys' structure
alone (groups under their total, neighbourhoods under the city, periods tiling a longer period,
the city's by-neighbourhood cell and the neighbourhood's own total) and made exact wherever the
true numbers obey them: the strongest reader, who guesses every sum that holds.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy.optimize import linprog

WIDTH = 10
SMALL_MARK = (1, 10)  # "<11"
COMPLEMENTARY_MARK = (11, None)  # "—": hidden although not small, so at least 11


@dataclass(frozen=True)
class Sum:
    """``total == sum(parts)`` when ``exact``, else ``total >= sum(parts)``."""

    total: tuple
    parts: tuple
    exact: bool


def _cell(key: tuple) -> tuple:
    return key[-6:]


def _tag(key: tuple) -> tuple:
    return key[:-6]


def period_tilings(periods: set[tuple[date, date]], whole: tuple[date, date]) -> list[list]:
    """Every chain of two or more of ``periods`` that covers ``whole`` exactly, end to end."""
    inside = sorted(p for p in periods if whole[0] <= p[0] and p[1] <= whole[1] and p != whole)
    out: list[list] = []

    def extend(day: date, chain: list) -> None:
        for p in inside:
            if p[0] != day:
                continue
            if p[1] == whole[1]:
                out.append(chain + [p])
            else:
                extend(p[1] + timedelta(days=1), chain + [p])

    extend(whole[0], [])
    return out


def structural_sums(truth: dict[tuple, int]) -> list[Sum]:
    """Every sum the structure of the keys suggests, exact where ``truth`` obeys it, an
    inequality where the parts fall short, and each part within its total where they overshoot
    (a breakdown whose groups overlap)."""
    out: list[Sum] = []

    def add(total, parts):
        parts = tuple(parts)
        if not parts or total not in truth:
            return
        got, whole = sum(truth[p] for p in parts), truth[total]
        if got <= whole:
            out.append(Sum(total, parts, got == whole))
        else:
            out.extend(Sum(total, (p,), False) for p in parts if truth[p] <= whole)

    groups, hoods, series = defaultdict(list), defaultdict(list), defaultdict(set)
    for key in truth:
        tag, (scope, ref, start, end, breakdown, group) = _tag(key), _cell(key)
        if breakdown:
            groups[(*tag, scope, ref, start, end, breakdown)].append(key)
        if scope == "neighbourhood":
            hoods[(*tag, start, end, breakdown, group)].append(key)
        series[(*tag, scope, ref, breakdown, group)].add((start, end))
    for (*tag, scope, ref, start, end, _b), parts in groups.items():
        add((*tag, scope, ref, start, end, "", ""), parts)
    for key in truth:
        tag, (scope, _ref, start, end, breakdown, group) = _tag(key), _cell(key)
        if scope != "city":
            continue
        if breakdown == "neighbourhood":
            own = (*tag, "neighbourhood", group, start, end, "", "")
            if own in truth and truth[own] == truth[key]:
                out.append(Sum(key, (own,), True))
        else:
            add(key, hoods.get((*tag, start, end, breakdown, group), ()))
    for (*tag, scope, ref, breakdown, group), periods in series.items():
        for whole in periods:
            for chain in period_tilings(periods, whole):
                add((*tag, scope, ref, *whole, breakdown, group),
                    [(*tag, scope, ref, *p, breakdown, group) for p in chain])
    return out


@dataclass(frozen=True)
class Known:
    low: float  # from the published numbers and the sums only
    high: float
    marked_low: float  # ... and what each hidden cell's mark says
    marked_high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def pinned(self) -> bool:
        if math.isinf(self.marked_high):
            return False
        return math.floor(self.marked_high + 1e-6) - math.ceil(self.marked_low - 1e-6) < 1


def solve(published: dict[tuple, float], hidden: dict[tuple, tuple], sums: list[Sum],
          extra_le: list[tuple[tuple, tuple]] = ()) -> dict[tuple, Known]:
    """The smallest and largest value of every hidden cell given every published value and sum
    (non-negative, integrality relaxed), without and with the marks.

    ``hidden`` maps a key to its mark's bounds (low, high or None); ``extra_le`` are further
    ``a <= b`` a reader knows (a percentage's numerator within its denominator)."""
    keys = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(keys)}
    eq, eq_rhs, ub, ub_rhs = [], [], [], []

    def row_of(pairs):
        row, constant = np.zeros(len(keys)), 0.0
        for k, sign in pairs:
            if k in index:
                row[index[k]] += sign
            else:
                constant += sign * published[k]
        return row, constant

    for s in sums:
        if s.total not in index and not any(p in index for p in s.parts):
            continue
        row, constant = row_of([(s.total, 1.0), *((p, -1.0) for p in s.parts)])
        if s.exact:
            eq.append(row)
            eq_rhs.append(-constant)
        else:  # row + constant >= 0
            ub.append(-row)
            ub_rhs.append(constant)
    for a, b in extra_le:
        if a in index or b in index:
            row, constant = row_of([(a, 1.0), (b, -1.0)])
            ub.append(row)
            ub_rhs.append(-constant)
    out = {}
    for marked in (False, True):
        bounds = [(hidden[k][0], hidden[k][1]) if marked else (0, None) for k in keys]
        problem = dict(A_eq=np.array(eq) if eq else None, b_eq=eq_rhs or None,
                       A_ub=np.array(ub) if ub else None, b_ub=ub_rhs or None,
                       bounds=bounds, method="highs")
        for k in keys:
            ends = []
            for sense in (1.0, -1.0):
                c = np.zeros(len(keys))
                c[index[k]] = sense
                result = linprog(c, **problem)
                if result.status == 3:  # unbounded
                    ends.append(math.inf if sense < 0 else 0.0)
                    continue
                assert result.status == 0, f"{k}: {result.message}"
                ends.append(sense * result.fun)
            if marked:
                out[k] = Known(out[k][0], out[k][1], *ends)
            else:
                out[k] = ends
    return out


def weaknesses(known: dict[tuple, Known], small: set[tuple]) -> list[str]:
    """Every hidden cell the reader narrows too far: a small one to less than ``WIDTH``, or any
    to a single whole value once the marks are used."""
    out = []
    for k, r in sorted(known.items(), key=repr):
        if k in small and r.width < WIDTH - 1e-6:
            out.append(f"{k} (small) lies within {r.low:g}..{r.high:g}")
        if r.pinned and r.marked_high > 1e-6:  # a 0 identifies no one and is published anyway
            out.append(f"{k} can only be {math.ceil(r.marked_low - 1e-6)}")
    return out
