"""The one tie-break rule every method uses, so a recount always ends the same way.

Rule (documented in the README and stored in each result):
1. **Previous rounds.** Look back at the tallies of earlier rounds, most recent first. At the first
   round where the tied candidates differ, keep only those with the fewest votes (when choosing
   whom to eliminate) or the most (when choosing whom to elect). If one remains, it is chosen.
2. **Seeded draw.** Otherwise each remaining candidate gets the key
   ``sha256(f"{seed}|{context}|{name}")`` (hex) and the smallest key is chosen. ``seed`` is an
   option of every count and is printed in the result; ``context`` names the decision (for example
   ``"round 3 eliminate"``), so different decisions in one count draw independently. Anyone can
   recompute the draw with any SHA-256 tool.

Counts that must reproduce another tabulator can ask for its rule instead (``TieBreaker`` and
``TIEBREAK_MODES``): a fixed candidate order, or RCTab's own draws, redone with the documented
``java.util.Random`` generator from the contest's seed.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from .errors import BallotError

DEFAULT_SEED = "0"


@dataclass
class TieBreak:
    """Why one of several tied candidates was picked; part of the result."""

    among: list[str]
    chosen: str
    rule: str  # "previous-round", "draw", or the mode that decided (see TIEBREAK_MODES)
    detail: str
    keys: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"among": self.among, "chosen": self.chosen, "rule": self.rule,
               "detail": self.detail}
        if self.keys:
            out["keys"] = self.keys
        return out


def draw_key(seed, context: str, name: str) -> str:
    return hashlib.sha256(f"{seed}|{context}|{name}".encode()).hexdigest()


def break_tie(tied: Sequence[int], names: Sequence[str], history: Sequence[Sequence[float]],
              *, lowest: bool, seed=DEFAULT_SEED, context: str = "",
              use_history: bool = True) -> tuple[int, TieBreak]:
    """Pick one of ``tied`` (candidate indices).

    ``history`` holds earlier rounds' tallies indexed by candidate, oldest first (the current
    round excluded). ``lowest`` is True when the pick is eliminated, False when it is elected.
    """
    pool = sorted(set(int(t) for t in tied))
    if len(pool) == 1:
        c = pool[0]
        return c, TieBreak([names[c]], names[c], "none", "no tie")
    label = [names[c] for c in pool]
    if use_history:
        for back, tallies in enumerate(reversed(history), start=1):
            values = {c: float(tallies[c]) for c in pool}
            target = min(values.values()) if lowest else max(values.values())
            narrowed = [c for c in pool if values[c] == target]
            if len(narrowed) < len(pool):
                pool = narrowed
                if len(pool) == 1:
                    c = pool[0]
                    word = "fewest" if lowest else "most"
                    round_no = len(history) - back + 1
                    return c, TieBreak(label, names[c], "previous-round",
                                       f"{names[c]} had the {word} votes in round {round_no}")
    keys = {names[c]: draw_key(seed, context, names[c]) for c in pool}
    c = min(pool, key=lambda i: keys[names[i]])
    return c, TieBreak(label, names[c], "draw",
                       f"seeded draw (seed {seed!s}, context {context!r}): smallest SHA-256 key",
                       keys)


#: every ``tiebreak`` option value and what it does; the rctab modes follow RCTab's published
#: source (Tiebreak.java), but no RCTab test case with a tie has been available to check them
TIEBREAK_MODES = {
    "previous-round": "earlier rounds' tallies, then the seeded SHA-256 draw (the default)",
    "draw": "the seeded SHA-256 draw only",
    "candidate-order": "the election's candidate order: the later candidate is eliminated and the "
                       "earlier one elected (RCTab useCandidateOrder)",
    "rctab-random": "RCTab's random draw, java.util.Random(seed) over the tied names in order",
    "previous-round-then-rctab-random": "earlier rounds, then RCTab's random draw "
                                        "(RCTab previousRoundCountsThenRandom)",
    "rctab-permutation": "a candidate order shuffled by java.util.Random(seed) "
                         "(RCTab generatePermutation)",
}
_JAVA_MASK = (1 << 48) - 1


class JavaRandom:
    """``java.util.Random``, the 48-bit LCG its documentation specifies: RCTab draws, redone."""

    def __init__(self, seed: int):
        self.state = (int(seed) ^ 0x5DEECE66D) & _JAVA_MASK

    def _next(self, bits: int) -> int:
        self.state = (self.state * 0x5DEECE66D + 0xB) & _JAVA_MASK
        value = self.state >> (48 - bits)
        return value - (1 << 32) if value >= 1 << 31 else value  # Java int

    def next_double(self) -> float:
        return ((self._next(26) << 27) + self._next(27)) * 2.0 ** -53

    def next_int(self, bound: int) -> int:
        r = self._next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < 1 << 31:  # Java rejects a draw when this sum overflows an int
                return r
            u = self._next(31)


def _java_key(name: str) -> bytes:
    """Java compares strings by UTF-16 code units."""
    return name.encode("utf-16-be")


def _java_hash(name: str) -> int:
    h = 0
    data = _java_key(name)
    for i in range(0, len(data), 2):
        h = (31 * h + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    return h


def _java_hashset_order(names: Sequence[str]) -> list[str]:
    """The iteration order of ``new HashSet<>(names)`` (RCTab lists tied candidates this way)."""
    wanted = max(int(len(names) / 0.75) + 1, 16)
    capacity = 1 << (wanted - 1).bit_length()

    def bucket(name: str) -> int:
        h = _java_hash(name)
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(names, key=bucket)  # stable: equal buckets keep insertion order


class TieBreaker:
    """The tie-break rule of one count; it keeps state because RCTab's random stream runs on
    from one tie to the next."""

    def __init__(self, mode: str, names: Sequence[str], seed=DEFAULT_SEED,
                 order: Sequence[str] | None = None):
        mode = {"previous-rounds": "previous-round"}.get(mode, mode)
        if mode not in TIEBREAK_MODES:
            raise BallotError(f"unknown tiebreak {mode!r}; choose one of "
                              f"{', '.join(TIEBREAK_MODES)}")
        self.mode, self.names, self.seed = mode, list(names), seed
        self.random: JavaRandom | None = None
        order = list(order if order is not None else names)
        if mode.startswith("rctab") or mode.endswith("rctab-random"):
            try:
                self.random = JavaRandom(int(str(seed)))
            except ValueError:
                raise BallotError(f"tiebreak {mode!r} needs a whole-number seed (RCTab's "
                                  f"randomSeed), not {seed!r}") from None
        if mode == "rctab-permutation":
            order = sorted(order, key=_java_key)
            for i in range(len(order) - 1, 0, -1):  # Collections.shuffle
                j = self.random.next_int(i + 1)
                order[i], order[j] = order[j], order[i]
        self.order = {name: i for i, name in enumerate(order)}

    def pick(self, tied: Sequence[int], history: Sequence[Sequence[float]], *, lowest: bool,
             context: str = "") -> tuple[int, TieBreak]:
        """Pick one of ``tied`` like ``break_tie``, by this count's mode."""
        mode, names = self.mode, self.names
        if mode in ("previous-round", "draw"):
            return break_tie(tied, names, history, lowest=lowest, seed=self.seed,
                             context=context, use_history=mode == "previous-round")
        pool = sorted(set(int(t) for t in tied))
        if len(pool) == 1:
            return pool[0], TieBreak([names[pool[0]]], names[pool[0]], "none", "no tie")
        label = [names[c] for c in pool]
        if mode in ("candidate-order", "rctab-permutation"):
            pos = {c: self.order.get(names[c], len(self.order)) for c in pool}
            c = max(pool, key=pos.get) if lowest else min(pool, key=pos.get)
            where = "latest" if lowest else "earliest"
            what = "candidate order" if mode == "candidate-order" else "shuffled candidate order"
            return c, TieBreak(label, names[c], mode, f"{names[c]} comes {where} in the {what}")
        contenders = sorted(pool, key=lambda i: _java_key(names[i]))
        if mode == "previous-round-then-rctab-random":
            for back, tallies in enumerate(reversed(history), start=1):
                contenders = [names.index(n) for n in
                              _java_hashset_order([names[c] for c in contenders])]
                target = (min if lowest else max)(float(tallies[c]) for c in contenders)
                contenders = [c for c in contenders if float(tallies[c]) == target]
                if len(contenders) == 1:
                    c = contenders[0]
                    word = "fewest" if lowest else "most"
                    return c, TieBreak(label, names[c], "previous-round", f"{names[c]} had the "
                                       f"{word} votes in round {len(history) - back + 1}")
        c = contenders[int(self.random.next_double() * len(contenders))]
        return c, TieBreak(label, names[c], "rctab-random", f"java.util.Random draw (seed "
                           f"{self.seed}) among {', '.join(names[i] for i in contenders)}")
