"""Small-cell protection of one family of turnout tables: pure functions, no Flask, no database.

Metrics are protected by ``protection`` (every sum among a metric's numbers, proved by linear
programming); this module keeps the interval reasoning the turnout tables of a count use
(voters by channel, and each channel by neighbourhood or age band), under the same rules:

* a count of people from 1 to 10 is never shown; it reads "<11". Zero stays 0.
* complementary suppression: a table publishes its cells and their total, so hiding a single
  cell would let anyone subtract the rest from the total. After the small cells are hidden, more
  cells (the smallest visible non-zero ones, so the least is lost) are hidden until no hidden
  number can be worked out from the published ones and the known ranges of the hidden ones (a
  small cell lies in 1..10, a complementary one is at least 11). If no visible cell is left to
  hide, the total is hidden instead.
* tables are linked: every breakdown of a scope shares its total, and a neighbourhood's total is
  also a cell of the city's by-neighbourhood table. ``protect_linked`` protects such a family in
  one go, so a total hidden by one table cannot be added up from another, and a number hidden in
  one table cannot be narrowed down to one value with the help of another.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence

from .protection import COMPLEMENTARY, SMALL, THRESHOLD  # noqa: F401 (one set of names)

#: no upper bound: what a complementary cell is known to lie below when nothing bounds it
UNBOUNDED = 10 ** 12


def is_small(count: int | float | None) -> bool:
    return count is not None and 0 < count < THRESHOLD


@dataclass(frozen=True)
class Protected:
    """Which cells (by index) and whether the total may be published, and why the rest may not."""

    hidden: dict[int, str]  # cell index -> SMALL or COMPLEMENTARY
    total_hidden: str | None  # None, SMALL or COMPLEMENTARY

    def shown(self, index: int) -> bool:
        return index not in self.hidden


def protect_counts(counts: Sequence[int], total: int | None = None) -> Protected:
    """Decide what of a one-dimensional table of counts may be published.

    ``counts`` are the cells (every group of one breakdown, zeros included); ``total`` is the
    published total they add up to, or None when the table has no total (then each cell stands
    alone and only small cells are hidden). A total above the cells' sum (people in no group,
    "not recorded") leaves a remainder that is protected as one more cell; a total below it
    (people in several groups) is treated as if the cells' sum were published, to be safe.
    """
    values: dict[Hashable, int] = dict(enumerate(counts))
    if total is None:
        return Protected({i: SMALL for i, c in values.items() if is_small(c)}, None)
    values["total"] = total
    hidden = protect_linked(values, [("total", tuple(range(len(counts))))])
    return Protected({i: r for i, r in hidden.items() if i != "total"}, hidden.get("total"))


def _ranges(values: Mapping[Hashable, int], hidden: Mapping[Hashable, str]
            ) -> dict[Hashable, list[int]]:
    """What a reader knows of each number before doing any sums."""
    out = {}
    for key, value in values.items():
        reason = hidden.get(key)
        out[key] = ([value, value] if reason is None else [1, THRESHOLD - 1] if reason == SMALL
                    else [THRESHOLD, UNBOUNDED])
    return out


def narrowed(values: Mapping[Hashable, int], sums: Sequence[tuple[Hashable, Sequence[Hashable]]],
             hidden: Mapping[Hashable, str]) -> dict[Hashable, tuple[int, int]]:
    """The range each number can be narrowed to from the published ones and every sum
    (``total == sum(parts)``): interval propagation until nothing changes. The sums form a tree
    (a total shared by its breakdowns, a neighbourhood's total shared by the city's table and
    its own), and on a tree this finds exactly the values a reader cannot rule out."""
    ranges = _ranges(values, hidden)
    for _ in range(100):
        changed = False
        for total, parts in sums:
            low = sum(ranges[p][0] for p in parts)
            high = sum(ranges[p][1] for p in parts)
            t = ranges[total]
            new_t = [max(t[0], low), min(t[1], high)]
            if new_t != t:
                ranges[total], t, changed = new_t, new_t, True
            for p in parts:
                lo, hi = ranges[p]
                new = [max(lo, t[0] - (high - hi)), min(hi, t[1] - (low - lo))]
                if new != [lo, hi]:
                    ranges[p], changed = new, True
        if not changed:
            break
    return {k: (lo, hi) for k, (lo, hi) in ranges.items()}


def protect_linked(values: Mapping[Hashable, int],
                   sums: Sequence[tuple[Hashable, Sequence[Hashable]]],
                   hidden: Mapping[Hashable, str] | None = None) -> dict[Hashable, str]:
    """Which numbers of a family of linked tables to hide, and why: {key: SMALL|COMPLEMENTARY}.

    ``values`` holds every number (totals and cells) by key; each sum ``(total, parts)`` says
    the parts add up to the total (a missing total: leave the sum out). ``hidden`` are numbers
    already hidden elsewhere. Small numbers are hidden; then, while any hidden number can be
    pinned to one value, the smallest visible non-zero number in a sum involving it is hidden
    (complementary), else that sum's total.
    """
    values = dict(values)
    out = dict(hidden or {})
    out.update({k: SMALL for k, v in values.items() if is_small(v) and k not in out})
    linked: list[tuple[Hashable, tuple[Hashable, ...]]] = []
    for n, (total, parts) in enumerate(sums):
        parts, known = tuple(parts), sum(values[p] for p in parts)
        if values[total] > known:
            # people in no group: the remainder is never published, but is protected like a cell
            rest = _Unpublished("not recorded", n)
            values[rest] = values[total] - known
            if is_small(values[rest]):
                out[rest] = SMALL
            parts = (*parts, rest)
        elif values[total] < known:
            # people in several groups: assume, to be safe, the cells' own sum is known
            total = _Unpublished("counted", n)
            values[total] = known
        linked.append((total, parts))
    while True:
        ranges = narrowed(values, linked, out)
        pinned = {k for k in out if ranges[k][0] >= ranges[k][1]}
        if not pinned:
            break
        involved = [(t, ps) for t, ps in linked if t in pinned or pinned.intersection(ps)]
        # a remainder first (it is never published, so hiding it costs nothing), then the
        # smallest visible cell, then a total
        cells = [(not isinstance(p, _Unpublished), values[p], n, p)
                 for n, (_, ps) in enumerate(involved) for p in ps
                 if p not in out and values[p] > 0]
        totals = [(True, values[t], n, t) for n, (t, _) in enumerate(involved)
                  if t not in out and values[t] > 0 and not isinstance(t, _Unpublished)]
        if not cells and not totals:
            break  # nothing left to hide (e.g. ten cells of 1 under a total of "<11")
        out[min(cells or totals, key=lambda c: c[:3])[3]] = COMPLEMENTARY
    return {k: r for k, r in out.items() if not isinstance(k, _Unpublished)}


@dataclass(frozen=True)
class _Unpublished:
    """A number the sums need but no table shows: a "not recorded" remainder, or the cells' own
    sum when people may be in several groups."""

    kind: str
    n: int
