"""Head-to-head counts and the ordering machinery the one-shot ranked methods share.

A ballot prefers ``a`` to ``b`` when it ranks ``a`` above ``b``, or ranks ``a`` and leaves ``b``
unranked. Two unranked candidates are tied on that ballot: it counts for neither. Skipped ranks
and repeats are ignored and an overvote ends the ballot (``profile.clean_rows``).

Schulze, ranked pairs and Borda each reduce the ballots to a strict partial order ("x beats
y"); ``order_winners`` turns that into the ordered winners, breaking a tie for a seat with the
seeded draw of ``ties.break_tie``. With no earlier rounds to look back on, the draw is the whole
rule: ``tiebreak`` may be "draw" or "previous-round" (the same here), and other modes are refused.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import BallotError
from .options import positive_int
from .profile import Profile, clean_rows
from .result import Round
from .ties import DEFAULT_SEED, TieBreak, break_tie


#: a one-shot count has no earlier rounds, so both of these come down to the seeded draw
ONE_SHOT_TIEBREAKS = (None, "draw", "previous-round")


def pairwise_matrix(profile: Profile) -> np.ndarray:
    """``m[a, b]`` = ballots preferring ``a`` to ``b`` (float64, zero diagonal).

    Works over distinct rankings, never single ballots, and never loops in Python over rows:
    with ``ranked[a]`` the ballots ranking ``a`` and ``before[b, a]`` those ranking ``b`` above
    ``a``, a ballot prefers ``a`` to ``b`` exactly when it ranks ``a`` and does not put ``b``
    first, so ``m[a, b] = ranked[a] - before[b, a]``. ``before`` needs one weighted bincount per
    pair of rank columns, so the cost grows with rows x ranks², not rows x candidates².
    """
    n = len(profile.candidates)
    r = clean_rows(profile)
    weights = profile.counts
    if r.size == 0 or n == 0:
        return np.zeros((n, n))
    # padding becomes candidate n, a spare slot that is sliced away
    codes = np.where(r >= 0, r, n).astype(np.int64)
    size = n + 1
    width = codes.shape[1]
    ranked = np.zeros(size)
    for col in range(width):
        ranked += np.bincount(codes[:, col], weights=weights, minlength=size)
    before = np.zeros(size * size)
    for i in range(width - 1):
        first = codes[:, i] * size
        for j in range(i + 1, width):
            before += np.bincount(first + codes[:, j], weights=weights, minlength=size * size)
    before = before.reshape(size, size)[:n, :n]
    m = ranked[:n, None] - before.T
    np.fill_diagonal(m, 0.0)
    return m


def condorcet_winner(m: np.ndarray, standing: Sequence[int]) -> int | None:
    """The standing candidate who beats every other standing one head to head, if any."""
    for a in standing:
        if all(m[a, b] > m[b, a] for b in standing if b != a):
            return a
    return None


# --- options every one-shot method shares ---------------------------------------------------

def common_options(profile: Profile, seats=1, seed=DEFAULT_SEED, withdrawn=None,
                   tiebreak=None) -> tuple[int, str, list[int]]:
    """Check ``seats``/``seed``/``withdrawn``; return seats, seed and the standing candidates."""
    if not profile.candidates:
        raise BallotError("there are no candidates to count")
    if tiebreak not in ONE_SHOT_TIEBREAKS:
        raise BallotError(f"tiebreak {tiebreak!r} is not available here: with no earlier rounds "
                          f"to compare, ties go to the seeded draw (tiebreak 'draw' or "
                          f"'previous-round')")
    seats = positive_int("seats", seats)
    index = profile.index
    if withdrawn is None:
        withdrawn = []
    elif isinstance(withdrawn, str):
        withdrawn = [withdrawn]
    gone = set()
    for name in withdrawn:
        if str(name) not in index:
            raise BallotError(f"withdrawn candidate {name!r} is not a candidate")
        gone.add(index[str(name)])
    standing = [c for c in range(len(profile.candidates)) if c not in gone]
    if seats > len(standing):
        raise BallotError(f"seats ({seats}) is more than the {len(standing)} standing "
                          f"candidate(s)")
    return seats, str(seed), standing


def used_options(seats: int, withdrawn, tiebreak, **more) -> dict:
    """The options as the result records them (seed is kept apart, in ``Result.seed``)."""
    out = {"seats": seats, **more}
    if withdrawn:
        out["withdrawn"] = [withdrawn] if isinstance(withdrawn, str) else list(withdrawn)
    if tiebreak is not None:
        out["tiebreak"] = tiebreak
    return out


# --- from a strict partial order to winners and rounds --------------------------------------

def order_winners(beats: np.ndarray, standing: Sequence[int], seats: int, names: Sequence[str],
                  seed: str, context: str) -> tuple[list[int], dict[int, TieBreak]]:
    """Fill ``seats`` places in turn with a candidate no remaining candidate beats.

    ``beats`` must be transitive and irreflexive (a strict partial order), so such a candidate
    always exists. When several do, the seeded draw picks one (``context`` names the seat, so
    each seat draws independently); the TieBreak is returned under the seat number (1-based).
    """
    remaining = list(standing)
    order: list[int] = []
    draws: dict[int, TieBreak] = {}
    for seat in range(1, seats + 1):
        sub = beats[np.ix_(remaining, remaining)]
        top = [c for c, beaten in zip(remaining, sub.any(axis=0)) if not beaten]
        if len(top) == 1:
            pick = top[0]
        else:
            pick, tb = break_tie(top, names, [], lowest=False, seed=seed,
                                 context=f"{context} seat {seat}", use_history=False)
            draws[seat] = tb
        order.append(pick)
        remaining.remove(pick)
    return order, draws


def layers(beats: np.ndarray, standing: Sequence[int]) -> list[list[int]]:
    """The full order as groups: each group is what no remaining candidate beats."""
    remaining = list(standing)
    out = []
    while remaining:
        sub = beats[np.ix_(remaining, remaining)]
        top = [c for c, beaten in zip(remaining, sub.any(axis=0)) if not beaten]
        out.append(top)
        remaining = [c for c in remaining if c not in top]
    return out


def decision_rounds(tallies: dict[str, float], order: Sequence[int],
                    draws: dict[int, TieBreak], names: Sequence[str], note: str,
                    what: str) -> list[Round]:
    """Round 1 holds the count; each seat decided by a draw after seat 1 opens a new round.

    So every round carries at most one tie-break, and reading the rounds in turn gives the
    winners in order. ``what`` words the tallies in the tie notes, e.g. ``"points"``.
    """
    rounds: list[Round] = []
    for seat, c in enumerate(order, start=1):
        tb = draws.get(seat)
        if not rounds or tb is not None:
            text = note if not rounds else ""
            if tb is not None:
                values = {tallies.get(name) for name in tb.among}
                value = values.pop() if len(values) == 1 else None
                same = f" (each {value:g} {what})" if value is not None else ""
                text = "; ".join(t for t in (text, f"tie for seat {seat}{same}") if t)
            rounds.append(Round(len(rounds) + 1, dict(tallies), tie_break=tb, note=text))
        rounds[-1].elected.append(names[c])
    return rounds
