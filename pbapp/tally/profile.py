"""Ranked ballots in compressed form: each distinct ranking once, with its count.

Counting each distinct ranking once (vectorised with numpy) rather than ballot by
ballot is what makes a million-ballot count take a fraction of a second.

Matrix codes in ``Profile.rankings`` (one row per distinct ranking, one column per rank):
  ``>= 0``      index into ``Profile.candidates``
  ``PAD``       nothing more on this ballot (always fills the rest of the row)
  ``SKIP``      an explicitly blank rank followed by more marks
  ``OVERVOTE``  several candidates at one rank; the set is in ``Profile.overvotes[(row, col)]``
  ``EXHAUST_*`` written by ballot rules (``ballot_rules.apply_rules``): the ballot stops here,
                for the reason named, once the count reaches this rank.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from numbers import Real

import numpy as np

from .errors import BallotError

PAD = -1
SKIP = -2
OVERVOTE = -3
EXHAUST_OVERVOTE = -4
EXHAUST_SKIPPED = -5
EXHAUST_DUPLICATE = -6

EXHAUST_REASONS = {
    EXHAUST_OVERVOTE: "overvote",
    EXHAUST_SKIPPED: "skipped_rankings",
    EXHAUST_DUPLICATE: "repeated_rankings",
}
#: Reasons a ballot stops counting, in the order reports list them.
REASONS = ("overvote", "skipped_rankings", "exhausted_choices", "repeated_rankings")


@dataclass
class Profile:
    """Distinct rankings as an int32 matrix plus a weight per row."""

    candidates: list[str]
    rankings: np.ndarray
    counts: np.ndarray
    overvotes: dict[tuple[int, int], frozenset[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rankings = np.asarray(self.rankings, dtype=np.int32)
        if self.rankings.ndim != 2:
            self.rankings = self.rankings.reshape(len(self.rankings), -1)
        self.counts = np.asarray(self.counts, dtype=np.float64)

    def __repr__(self) -> str:
        return (f"<Profile {len(self.candidates)} candidates, {len(self.counts)} distinct "
                f"rankings, {self.total:g} ballots>")

    @property
    def total(self) -> float:
        return float(self.counts.sum())

    @property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.candidates)}

    @property
    def is_clean(self) -> bool:
        """True when every mark is a candidate or padding (no skips, overvotes, repeats)."""
        r = self.rankings
        if r.size == 0:
            return True
        if ((r < PAD)).any():
            return False
        # padding must only trail
        valid = r >= 0
        if (valid[:, 1:] & ~valid[:, :-1]).any():
            return False
        srt = np.sort(r, axis=1)
        return not ((srt[:, 1:] == srt[:, :-1]) & (srt[:, 1:] >= 0)).any()

    def ballots(self) -> list[tuple[float, tuple]]:
        """Back to ``(count, ranking)`` pairs with names; overvotes as frozensets, skips as None."""
        out = []
        for row, count in zip(self.rankings.tolist(), self.counts.tolist()):
            ranking = []
            for col, code in enumerate(row):
                if code >= 0:
                    ranking.append(self.candidates[code])
                elif code == SKIP:
                    ranking.append(None)
                elif code == OVERVOTE:
                    ranking.append(frozenset(self.candidates[c] for c in
                                             self.overvotes[(len(out), col)]))
                elif code == PAD:
                    break
            out.append((count, tuple(ranking)))
        return out

    def restrict(self, keep: Sequence[int]) -> "Profile":
        """A copy with only the listed rows (e.g. to drop empty ballots)."""
        keep = np.asarray(keep, dtype=np.int64)
        remap = {int(old): new for new, old in enumerate(keep)}
        overvotes = {(remap[r], c): s for (r, c), s in self.overvotes.items() if r in remap}
        return Profile(list(self.candidates), self.rankings[keep], self.counts[keep], overvotes)


def is_pair(item) -> bool:
    """A ``(count, ballot)`` pair rather than a ballot (a ranking, set or dict)."""
    return (isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[0], Real)
            and not isinstance(item[0], bool) and isinstance(item[1], Iterable)
            and not isinstance(item[1], str | bytes))


def count_pairs(items: Sequence, key) -> Counter:
    """Sum ``(count, ballot)`` pairs per distinct ballot; ``key`` makes a ballot hashable."""
    counter: Counter = Counter()
    for item in items:
        if not is_pair(item):
            raise BallotError(f"expected a (count, ballot) pair, got {item!r}")
        count, ballot = item
        if count < 0:
            raise BallotError(f"a ballot count cannot be negative: {count!r}")
        counter[key(ballot)] += count
    return counter


def _as_key(ranking) -> tuple:
    if isinstance(ranking, str):
        raise BallotError(f"a ranking must be a sequence of candidates, not the string {ranking!r}")
    key = []
    for mark in ranking:
        if isinstance(mark, set | frozenset | list):
            mark = frozenset(str(m) for m in mark)
            if len(mark) == 1:
                mark = next(iter(mark))
            elif not mark:
                mark = None
        elif mark is not None:
            mark = str(mark)
            if mark == "":
                mark = None
        key.append(mark)
    while key and key[-1] is None:
        key.pop()
    return tuple(key)


def _hashable(ranking) -> tuple:
    return tuple(frozenset(m) if isinstance(m, set | list) else m for m in ranking)


def compress(ballots: Iterable) -> Counter:
    """Count distinct rankings. Accepts rankings, or ``(count, ranking)`` pairs.

    The first item decides which form the whole iterable uses; mixing forms is an error.
    Overvotes may be given as sets or lists inside a ranking.
    """
    if not isinstance(ballots, list | tuple):
        ballots = list(ballots)
    if not ballots:
        return Counter()
    if is_pair(ballots[0]):
        return count_pairs(ballots, _hashable)
    counter: Counter = Counter()
    try:
        counter.update(map(tuple, ballots))
    except TypeError:  # overvotes written as sets or lists: the slower, general path
        counter = Counter(map(_hashable, ballots))
    return counter


def from_ballots(ballots: Iterable, candidates: Sequence | None = None) -> Profile:
    """Build a Profile from rankings or ``(count, ranking)`` pairs.

    A mark in a ranking is a candidate (any value; compared as ``str``), ``None`` or ``""`` for a
    skipped rank, or a set/list of candidates for an overvote. Candidates default to every name
    seen, sorted, so the result does not depend on ballot order.
    """
    if isinstance(ballots, Profile):
        return ballots
    raw = compress(ballots)
    fast = _from_plain_rankings(raw, candidates)
    if fast is not None:
        return fast
    merged: Counter = Counter()
    for ranking, count in raw.items():
        merged[_as_key(ranking)] += count
    if candidates is None:
        seen: set[str] = set()
        for key in merged:
            for mark in key:
                if isinstance(mark, frozenset):
                    seen.update(mark)
                elif mark is not None:
                    seen.add(mark)
        names = sorted(seen, key=_natural_key)
    else:
        names = [str(c) for c in candidates]
        if len(set(names)) != len(names):
            raise BallotError("candidate names must be unique")
    index = {name: i for i, name in enumerate(names)}
    width = max((len(k) for k in merged), default=0)
    rows = np.full((len(merged), max(width, 1)), PAD, dtype=np.int32)
    counts = np.empty(len(merged), dtype=np.float64)
    overvotes: dict[tuple[int, int], frozenset[int]] = {}
    for r, (key, count) in enumerate(merged.items()):
        counts[r] = count
        for c, mark in enumerate(key):
            if mark is None:
                rows[r, c] = SKIP
            elif isinstance(mark, frozenset):
                try:
                    overvotes[(r, c)] = frozenset(index[m] for m in mark)
                except KeyError as exc:
                    raise BallotError(f"unknown candidate {exc.args[0]!r} in a ballot") from None
                rows[r, c] = OVERVOTE
            else:
                try:
                    rows[r, c] = index[mark]
                except KeyError:
                    raise BallotError(f"unknown candidate {mark!r} in a ballot") from None
    return Profile(names, rows, counts, overvotes)


def _from_plain_rankings(raw: Counter, candidates) -> Profile | None:
    """The common case, vectorised: every mark a non-empty name, no skips or overvotes.

    Returns None when any ranking needs the general path (numbers, blanks, sets).
    """
    keys = list(raw)
    marks = set().union(*keys) if keys else set()
    if not all(type(m) is str for m in marks) or "" in marks:
        return None
    if candidates is None:
        names = sorted(marks, key=_natural_key)
    else:
        names = [str(c) for c in candidates]
        if len(set(names)) != len(names):
            raise BallotError("candidate names must be unique")
        unknown = marks - set(names)
        if unknown:
            raise BallotError(f"unknown candidate {min(unknown)!r} in a ballot")
    index = {name: i for i, name in enumerate(names)}
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    width = max(int(lengths.max()) if len(keys) else 0, 1)
    flat = np.fromiter(map(index.__getitem__, chain.from_iterable(keys)), dtype=np.int32,
                       count=int(lengths.sum()))
    rows = np.full((len(keys), width), PAD, dtype=np.int32)
    rows[np.arange(width) < lengths[:, None]] = flat
    counts = np.fromiter(raw.values(), dtype=np.float64, count=len(keys))
    return Profile(names, rows, counts)


def _natural_key(name: str):
    """Numbers in numeric order (project ids 2 < 10), then names alphabetically."""
    return (0, int(name), "") if name.isdigit() else (1, 0, name)


def clean_rows(profile: Profile) -> np.ndarray:
    """Rankings with skips dropped and repeats removed (first mark kept), left-aligned.

    For methods (Condorcet, Borda) that read a ballot as an order and have no exhaustion rules.
    Overvotes end the ballot there (nothing is assumed about the order of the tied marks).
    """
    r = profile.rankings
    if profile.is_clean:
        return r
    out = np.full_like(r, PAD)
    for i, row in enumerate(r.tolist()):
        seen: set[int] = set()
        j = 0
        for code in row:
            if code >= 0:
                if code not in seen:
                    seen.add(code)
                    out[i, j] = code
                    j += 1
            elif code in (SKIP,):
                continue
            else:
                break
    return out
