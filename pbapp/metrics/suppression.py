"""Small-cell protection for published counts: pure functions, no Flask, no database.

Rules (the issue's, and common practice for health and police statistics):

* a count of people from 1 to 10 is never shown; it reads "<11". Zero stays 0.
* complementary suppression: a table publishes its cells and their total, so hiding a single
  cell would let anyone subtract the rest from the total. After the small cells are hidden, more
  cells (the smallest visible non-zero ones, so the least is lost) are hidden until no hidden
  cell's value can be worked out from the total, the visible cells and the known ranges of the
  hidden ones (a small cell lies in 1..10, a complementary one in 11..total). If no visible cell
  is left to hide, the total is hidden instead.
* a rate or percentage is shown only when its denominator is at least 11.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

THRESHOLD = 11
SMALL = "small"  # 1..10 people
COMPLEMENTARY = "complementary"  # hidden so a small cell cannot be derived
SMALL_DENOMINATOR = "small-denominator"  # a rate over fewer than 11 people


def is_small(count: int | float | None) -> bool:
    return count is not None and 0 < count < THRESHOLD


@dataclass(frozen=True)
class Protected:
    """Which cells (by index) and whether the total may be published, and why the rest may not."""

    hidden: dict[int, str]  # cell index -> SMALL or COMPLEMENTARY
    total_hidden: str | None  # None, SMALL or COMPLEMENTARY

    def shown(self, index: int) -> bool:
        return index not in self.hidden


def _bounds(reason: str, total: int) -> tuple[int, int]:
    return (1, THRESHOLD - 1) if reason == SMALL else (THRESHOLD, max(total, THRESHOLD))


def derivable(counts: Sequence[int], hidden: dict[int, str], total: int) -> list[int]:
    """The hidden cells whose exact value follows from the total, the visible cells and the
    ranges the hidden cells are known to lie in (interval reasoning, as an attacker would)."""
    if not hidden:
        return []
    remaining = total - sum(c for i, c in enumerate(counts) if i not in hidden)
    bounds = {i: _bounds(reason, total) for i, reason in hidden.items()}
    low_sum = sum(lo for lo, _ in bounds.values())
    high_sum = sum(hi for _, hi in bounds.values())
    out = []
    for i, (lo, hi) in bounds.items():
        at_least = max(lo, remaining - (high_sum - hi))
        at_most = min(hi, remaining - (low_sum - lo))
        if at_least >= at_most:
            out.append(i)
    return out


def protect_counts(counts: Sequence[int], total: int | None = None) -> Protected:
    """Decide what of a one-dimensional table of counts may be published.

    ``counts`` are the cells (every group of one breakdown, zeros included); ``total`` is the
    published total they add up to, or None when the table has no total (then each cell stands
    alone and only small cells are hidden). A total smaller than the cells' sum (groups not
    recorded) still constrains them, and is handled the same way with an unknown remainder.
    """
    hidden = {i: SMALL for i, c in enumerate(counts) if is_small(c)}
    if total is None:
        return Protected(hidden, None)
    if is_small(total):
        # every non-zero cell is then small too, and already hidden
        return Protected(hidden, SMALL)
    known = sum(counts)
    if known != total:
        # some people are in no group ("not recorded"): the remainder acts as one more cell,
        # hidden when small, so it must be protected with the rest
        extra = [*counts, max(total - known, 0)]
        inner = protect_counts(extra, max(total, known))
        hidden = {i: r for i, r in inner.hidden.items() if i < len(counts)}
        return Protected(hidden, inner.total_hidden)
    while derivable(counts, hidden, total):
        visible = sorted((c, i) for i, c in enumerate(counts) if i not in hidden and c > 0)
        if not visible:
            return Protected(hidden, COMPLEMENTARY)
        hidden[visible[0][1]] = COMPLEMENTARY
    return Protected(hidden, None)


def rate_shown(denominator: int | None) -> bool:
    """A rate is published only over at least 11 people (or with no denominator at all, for
    statistics supplied as a finished value)."""
    return denominator is None or denominator >= THRESHOLD
