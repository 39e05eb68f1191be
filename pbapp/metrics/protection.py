"""Small-cell protection of one metric's numbers, proved by linear programming.

Pure: no Flask, no database (numpy and scipy's HiGHS only), so it can be read, tested and run
on its own.

A metric's numbers form one system joined by sums: the groups of a breakdown add up to their
total, neighbourhoods add up to the city (for the total and for each group), and periods that
tile a longer period add up to it. Someone who reads every public table can combine all of
those sums at once, so the protection works on the whole system at once:

1. *primary*: a count from 1 to 10 is hidden ("<11"); 0 stays 0;
2. *secondary*: more numbers are hidden ("—"), the ones carrying least information first (the
   smallest, then the most detailed), until
3. *the audit* passes: for every hidden number, the smallest and largest value consistent with
   every published number and every relation (non-negative, integrality relaxed) is found by
   linear programming. A primary number must keep a range at least ``WIDTH`` wide, and no
   hidden number may be pinned to one whole value even by someone who also uses what its mark
   says ("<11" is 1 to 10, "—" at least 11), unless that value is 0: zeros are published
   anyway (a rate's 0 hidden with its small denominator may follow from a published total 0).

A relation is used when the numbers obey it, whatever the data promise: groups that happen to
add up to their total although "not recorded" is missing, a city figure that equals the sum of
the only neighbourhoods given. Where the parts add up to less than the total, the attacker
still knows the total is at least their sum (an inequality); where they add up to more (people
in several groups) each group is still at most the total.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

THRESHOLD = 11
#: a primary number's range, over everything published, must be at least this wide
WIDTH = 10
SMALL = "small"  # 1..10
COMPLEMENTARY = "complementary"  # hidden so that a small number cannot be worked out
WITH = "with"  # hidden together with another number (a rate's numerator and denominator)
#: how many tilings of one period are used (months and quarters tiling a year make 16)
MAX_TILINGS = 64
_EPS = 1e-6

Key = Hashable
#: a measurement's place: (scope, scope_ref, period_start, period_end, breakdown, group)
CellKey = tuple


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Relation:
    """``total == sum(parts)`` when ``exact``, else ``total >= sum(parts)``."""

    total: Key
    parts: tuple[Key, ...]
    exact: bool
    why: str  # "breakdown", "neighbourhoods", "periods", "same number"

    def describe(self, name: Callable[[Key], str] = repr) -> str:
        sign = "=" if self.exact else "≥"
        return f"{name(self.total)} {sign} {' + '.join(name(p) for p in self.parts)} ({self.why})"


# Relations --------------------------------------------------------------------------------------

def find_relations(values: Mapping[CellKey, int]) -> list[Relation]:
    """Every sum among one system's cells that the numbers obey (see the module's docstring).

    ``values`` maps cell keys ``(scope, scope_ref, start, end, breakdown, group)`` to counts."""
    out: list[Relation] = []

    def add(total: CellKey, parts: Iterable[CellKey], why: str) -> None:
        parts = tuple(sorted(parts, key=repr))
        if not parts:
            return
        known, whole = sum(values[p] for p in parts), values[total]
        if known <= whole:
            out.append(Relation(total, parts, known == whole, why))
        elif why == "breakdown":  # people in several groups: each group is within the total
            out.extend(Relation(total, (p,), False, why) for p in parts if values[p] <= whole)

    tables: dict[tuple, list[CellKey]] = defaultdict(list)
    hoods: dict[tuple, list[CellKey]] = defaultdict(list)
    series: dict[tuple, dict[tuple[date, date], CellKey]] = defaultdict(dict)
    for key in values:
        scope, ref, start, end, breakdown, group = key
        if breakdown:
            tables[(scope, ref, start, end, breakdown)].append(key)
        if scope == "neighbourhood":
            hoods[(start, end, breakdown, group)].append(key)
        series[(scope, ref, breakdown, group)][(start, end)] = key
    for (scope, ref, start, end, breakdown), parts in tables.items():
        total = (scope, ref, start, end, "", "")
        if total in values:
            add(total, parts, "breakdown")
    for key in values:
        scope, ref, start, end, breakdown, group = key
        if scope != "city":
            continue
        if breakdown == "neighbourhood":
            own = ("neighbourhood", group, start, end, "", "")
            if own in values and values[own] == values[key]:
                out.append(Relation(key, (own,), True, "same number"))
        else:
            add(key, hoods.get((start, end, breakdown, group), ()), "neighbourhoods")
    for periods in series.values():
        for (start, end), key in periods.items():
            for tiling in tilings(list(periods), start, end):
                add(key, (periods[p] for p in tiling), "periods")
    return out


def tilings(periods: Sequence[tuple[date, date]], start: date, end: date,
            limit: int = MAX_TILINGS) -> list[list[tuple[date, date]]]:
    """The ways of covering ``start..end`` exactly with two or more of ``periods``, end to end
    (months tiling a quarter, quarters a year, any mix that occurs), at most ``limit``."""
    starting: dict[date, list[tuple[date, date]]] = defaultdict(list)
    for p in sorted(set(periods)):
        if start <= p[0] and p[1] <= end and p != (start, end):
            starting[p[0]].append(p)
    found: list[list[tuple[date, date]]] = []
    reach: dict[date, bool] = {}

    def reaches(day: date) -> bool:  # can ``day..end`` be covered at all? (memoised)
        if day not in reach:
            reach[day] = any(p[1] == end or (p[1] < end and reaches(p[1] + timedelta(days=1)))
                             for p in starting.get(day, ()))
        return reach[day]

    def walk(day: date, chosen: list) -> None:
        for p in starting.get(day, ()):
            if len(found) >= limit:
                return
            if p[1] == end:
                found.append(chosen + [p])
            elif p[1] < end and reaches(p[1] + timedelta(days=1)):
                walk(p[1] + timedelta(days=1), chosen + [p])

    walk(start, [])
    return found


# The audit --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Range:
    """What a reader of everything published can tell of one hidden number."""

    low: float  # non-negative and every relation
    high: float
    known_low: float  # ... and what its mark says ("<11": 1 to 10, "—": at least 11)
    known_high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def pinned(self) -> bool:
        """At most one whole value is left once the mark is used too."""
        if math.isinf(self.known_high):
            return False
        return math.floor(self.known_high + _EPS) - math.ceil(self.known_low - _EPS) < 1


def _known_bounds(reason: str) -> tuple[float, float | None]:
    if reason == SMALL:
        return 1, THRESHOLD - 1
    if reason == COMPLEMENTARY:
        return THRESHOLD, None
    return 0, None


def _components(relations: Sequence[Relation], hidden: Mapping[Key, str]
                ) -> list[tuple[list[Key], list[Relation]]]:
    """Groups of hidden numbers joined by relations, each with the relations that touch it:
    each group is one small linear programme."""
    parent: dict[Key, Key] = {k: k for k in hidden}

    def root(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    touching = []
    for r in relations:
        inside = [k for k in (r.total, *r.parts) if k in hidden]
        if inside:
            touching.append((r, inside))
            for k in inside[1:]:
                parent[root(k)] = root(inside[0])
    members: dict[Key, list[Key]] = defaultdict(list)
    for k in hidden:
        members[root(k)].append(k)
    rels: dict[Key, list[Relation]] = defaultdict(list)
    for r, inside in touching:
        rels[root(inside[0])].append(r)
    return [(keys, rels[r]) for r, keys in members.items()]


#: a number no one could exceed: the solver caps every hidden number here (counts are at most
#: 10^12), so a number that reaches the cap is one nothing limits
_CAP = 1e13


def _solve_ranges(groups: list[list[Key]], relations: list[Relation], values: Mapping[Key, int],
                  hidden: Mapping[Key, str], with_marks: bool) -> dict[Key, tuple[float, float]]:
    """The smallest and largest value of every number in ``groups``.

    The groups share no relation, so one linear programme holds them all side by side, and
    minimising the sum of one number from each group finds each one's minimum at once: the
    number of programmes solved is twice the size of the largest group, not twice the number
    of hidden numbers."""
    keys = [k for group in groups for k in group]
    index = {k: i for i, k in enumerate(keys)}
    eq, eq_rhs, ub, ub_rhs = [], [], [], []
    for r in relations:
        row: dict[int, float] = defaultdict(float)
        constant = 0.0
        for k, sign in ((r.total, 1.0), *((p, -1.0) for p in r.parts)):
            if k in index:
                row[index[k]] += sign
            else:
                constant += sign * values[k]
        if r.exact:  # row·x + constant == 0
            eq.append(row)
            eq_rhs.append(-constant)
        else:  # row·x + constant >= 0
            ub.append({i: -a for i, a in row.items()})
            ub_rhs.append(constant)
    bounds = []
    for k in keys:
        low, high = _known_bounds(hidden[k]) if with_marks else (0, None)
        bounds.append((low, _CAP if high is None else high))
    problem = dict(A_eq=_sparse(eq, len(keys)), b_eq=eq_rhs or None,
                   A_ub=_sparse(ub, len(keys)), b_ub=ub_rhs or None, bounds=bounds,
                   method="highs")
    low: dict[Key, float] = {}
    high: dict[Key, float] = {}
    for j in range(max(len(g) for g in groups)):
        chosen = [index[g[j]] for g in groups if j < len(g)]
        for sense, found in ((1.0, low), (-1.0, high)):
            c = np.zeros(len(keys))
            c[chosen] = sense
            result = linprog(c, **problem)
            if result.status != 0:
                raise AuditError(f"the audit's linear programme failed: {result.message}")
            for i in chosen:
                found[keys[i]] = float(result.x[i])
    return {k: (low[k], math.inf if high[k] >= _CAP / 2 else high[k]) for k in keys}


def _sparse(rows: list[dict[int, float]], width: int):
    if not rows:
        return None
    data, cols, ptr = [], [], [0]
    for row in rows:
        for i, a in sorted(row.items()):
            if a:
                cols.append(i)
                data.append(a)
        ptr.append(len(cols))
    return csr_array((data, cols, ptr), shape=(len(rows), width))


class AuditError(RuntimeError):
    """The solver could not answer (the numbers contradict their relations, or it failed)."""


def audit(values: Mapping[Key, int], relations: Sequence[Relation], hidden: Mapping[Key, str],
          only: set[Key] | None = None) -> dict[Key, Range]:
    """The range of every hidden number (of the groups holding ``only``, when given)."""
    out: dict[Key, Range] = {}
    groups, rels = [], []
    for keys, touching in _components(relations, hidden):
        if only is not None and only.isdisjoint(keys):
            continue
        if not touching:
            out.update({k: Range(0, math.inf, *_widest(hidden[k])) for k in keys})
            continue
        groups.append(keys)
        rels.extend(touching)
    if groups:
        plain = _solve_ranges(groups, rels, values, hidden, with_marks=False)
        marked = _solve_ranges(groups, rels, values, hidden, with_marks=True)
        out.update({k: Range(*plain[k], *marked[k]) for g in groups for k in g})
    return out


def _widest(reason: str) -> tuple[float, float]:
    low, high = _known_bounds(reason)
    return low, math.inf if high is None else high


def failures(ranges: Mapping[Key, Range], hidden: Mapping[Key, str]) -> list[Key]:
    """The hidden numbers the published ones give away: a primary number narrowed below
    ``WIDTH``, or any hidden number pinned to one value."""
    return [k for k, r in ranges.items()
            if (r.pinned and r.known_high > _EPS)
            or (hidden[k] == SMALL and r.width < WIDTH - _EPS)]


# Protection -------------------------------------------------------------------------------------

@dataclass
class Outcome:
    hidden: dict[Key, str]
    ranges: dict[Key, Range]
    relations: list[Relation]
    problems: list[str] = field(default_factory=list)  # empty when the audit passed

    @property
    def passed(self) -> bool:
        return not self.problems


def protect(values: Mapping[Key, int], relations: Sequence[Relation],
            cost: Callable[[Key], tuple] | None = None,
            together: Mapping[Key, Sequence[Key]] | None = None,
            never_shown: Iterable[Key] = ()) -> Outcome:
    """Hide what must be hidden of one system of numbers, and prove it with the audit.

    ``cost(key)`` orders the candidates for secondary suppression (least information first;
    by default the smallest value); ``together`` names numbers hidden with another (a rate's
    numerator with its denominator); ``never_shown`` are numbers hidden from the start for a
    reason of their own (marked ``WITH``)."""
    cost = cost or (lambda k: (values[k],))
    together = together or {}
    hidden: dict[Key, str] = {k: WITH for k in never_shown}
    hidden.update({k: SMALL for k, v in values.items() if is_small(v)})
    _spread(hidden, together)
    by_key: dict[Key, list[Relation]] = defaultdict(list)
    for r in relations:
        for k in (r.total, *r.parts):
            by_key[k].append(r)
    # first, cheaply: interval reasoning narrows no number further than linear programming
    # does, so whatever it finds narrowed the audit would find narrowed too
    while failing := failures(propagated(values, relations, hidden), hidden):
        if not _hide_more(failing, values, hidden, by_key, cost, together, relations):
            break
    ranges = audit(values, relations, hidden)
    while True:
        failing = failures(ranges, hidden)
        if not failing:
            return Outcome(hidden, ranges, list(relations))
        added = _hide_more(failing, values, hidden, by_key, cost, together, relations)
        if not added:
            key = failing[0]
            return Outcome(hidden, ranges, list(relations),
                           [f"{key!r} can be narrowed to {ranges[key].low:g}–"
                            f"{ranges[key].high:g} and nothing is left to hide"])
        ranges = {k: r for k, r in ranges.items() if k in hidden}
        # every group that gained a number: its own and the groups it joined
        touched = set(added) | set(failing)
        for r in relations:
            if touched.intersection((r.total, *r.parts)):
                touched.update(k for k in (r.total, *r.parts) if k in hidden)
        ranges.update(audit(values, relations, hidden, only=touched))


def _hide_more(failing: list[Key], values: Mapping[Key, int], hidden: dict[Key, str],
               by_key: Mapping[Key, list[Relation]], cost: Callable[[Key], tuple],
               together: Mapping[Key, Sequence[Key]], relations: Sequence[Relation]
               ) -> set[Key]:
    """One round of secondary suppression: for each failing number, the cheapest published
    number in the sums of the hidden numbers joined to it (hiding a number next to a joined
    one frees it too), unless this round already hid one there. Returns what was hidden
    (nothing: nothing is left to hide)."""
    added: set[Key] = set()
    group_of = {k: keys for keys, _ in _components(relations, hidden) for k in keys}
    for key in failing:
        around = {k for g in group_of.get(key, [key]) for r in by_key.get(g, ())
                  for k in (r.total, *r.parts)}
        if around & added:
            continue  # this round changed its sums already; look again first
        choice = _candidate(around, values, hidden, cost)
        if choice is None:
            continue
        hidden[choice] = COMPLEMENTARY
        added.add(choice)
        added.update(_spread(hidden, together))
    return added


def propagated(values: Mapping[Key, int], relations: Sequence[Relation],
               hidden: Mapping[Key, str], rounds: int = 50) -> dict[Key, Range]:
    """Each hidden number's range by interval reasoning over the sums, repeated until nothing
    changes: never narrower than the linear programme's (a quick first look)."""
    plain = {k: [0.0, math.inf] for k in hidden}
    marked = {k: list(_widest(reason)) for k, reason in hidden.items()}
    for bounds in (plain, marked):
        def rng(k):
            return bounds[k] if k in bounds else (values[k], values[k])
        for _ in range(rounds):
            changed = False
            for r in relations:
                if r.total not in bounds and not any(p in bounds for p in r.parts):
                    continue
                lows = [rng(p)[0] for p in r.parts]
                highs = [rng(p)[1] for p in r.parts]
                low_sum, high_sum = sum(lows), sum(highs)
                t_low, t_high = rng(r.total)
                if r.total in bounds:
                    new = [max(t_low, low_sum), min(t_high, high_sum) if r.exact else t_high]
                    if new[0] > bounds[r.total][0] + _EPS or new[1] < bounds[r.total][1] - _EPS:
                        bounds[r.total][:] = new
                        t_low, t_high = new
                        changed = True
                for p, lo, hi in zip(r.parts, lows, highs):
                    if p not in bounds:
                        continue
                    new_hi = t_high - (low_sum - lo)
                    new_lo = t_low - (high_sum - hi) if r.exact else lo
                    if new_hi < hi - _EPS or new_lo > lo + _EPS:
                        bounds[p][:] = [max(lo, new_lo), min(hi, new_hi)]
                        changed = True
            if not changed:
                break
    return {k: Range(*plain[k], *marked[k]) for k in hidden}


def _spread(hidden: dict[Key, str], together: Mapping[Key, Sequence[Key]]) -> set[Key]:
    added = set()
    for key in list(hidden):
        for other in together.get(key, ()):
            if other not in hidden:
                hidden[other] = WITH
                added.add(other)
    return added


def _candidate(around: set[Key], values: Mapping[Key, int], hidden: Mapping[Key, str],
               cost: Callable[[Key], tuple]) -> Key | None:
    """The published number to hide next: the cheapest one in any relation of the hidden
    numbers joined to the failing one (hiding a number next to a joined one frees it too)."""
    near = [k for k in around if k not in hidden and values[k] > 0]
    return min(near, key=lambda k: (*cost(k), repr(k))) if near else None


def cell_cost(values: Mapping[Key, int]) -> Callable[[Key], tuple]:
    """Least information first for cell keys (optionally behind a system tag): the smallest
    value, then a group before a total, a neighbourhood or project before the city, a
    shorter period before a longer one."""
    def cost(key: Key) -> tuple:
        cell = key[-6:]
        scope, _ref, start, end, breakdown, _group = cell
        return (values[key], 0 if breakdown else 1, 1 if scope == "city" else 0,
                (end - start).days)
    return cost
