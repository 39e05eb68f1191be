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
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

DEFAULT_SEED = "0"


@dataclass
class TieBreak:
    """Why one of several tied candidates was picked; part of the result."""

    among: list[str]
    chosen: str
    rule: str  # "previous-round" or "draw"
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
