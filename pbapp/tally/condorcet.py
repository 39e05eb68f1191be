"""Condorcet methods: Schulze and ranked pairs, both from the head-to-head matrix.

Both elect the Condorcet winner (the candidate who beats each other one head to head) whenever
there is one; they differ only in how they settle a cycle. Truncated ballots read as in
``pairwise``: ranked candidates above unranked ones, unranked ones tied with each other.

With ``seats`` > 1 the winners are the top of the method's full order, filled seat by seat
(``pairwise.order_winners``); a tie for a seat goes to the seeded draw and is recorded.
"""
from __future__ import annotations

import numpy as np

from .errors import BallotError
from .options import method_options
from .pairwise import (common_options, condorcet_winner, decision_rounds, layers, order_winners,
                       pairwise_matrix, used_options)
from .profile import Profile
from .result import Result
from .ties import DEFAULT_SEED, draw_key

STRENGTHS = ("winning_votes", "margins")


def _cw_note(m: np.ndarray, standing: list[int], names: list[str]) -> tuple[int | None, str]:
    cw = condorcet_winner(m, standing)
    if cw is not None:
        return cw, f"{names[cw]} is the Condorcet winner (beats every other candidate head to head)"
    return None, "no Condorcet winner: the head-to-head results contain a cycle or a tie"


def _full(sub: np.ndarray, standing: list[int], n: int, dtype=float) -> np.ndarray:
    """A standing-candidates matrix placed back in the n x n one (withdrawn rows stay zero)."""
    out = np.zeros((n, n), dtype=dtype)
    out[np.ix_(standing, standing)] = sub
    return out


def strongest_paths(d: np.ndarray) -> np.ndarray:
    """Widest-path (Floyd-Warshall) strengths; 0 means no path. One numpy step per candidate."""
    p = d.astype(float, copy=True)
    for k in range(len(p)):
        p = np.maximum(p, np.minimum(p[:, k:k + 1], p[k:k + 1, :]))
    np.fill_diagonal(p, 0.0)
    return p


@method_options("strength")
def count_schulze(profile: Profile, *, seats=1, seed=DEFAULT_SEED, withdrawn=None,
                  tiebreak=None, strength: str = "winning_votes") -> Result:
    """Schulze (beatpath): ``a`` beats ``b`` when a's strongest path to b is stronger than back.

    A link a→b exists when more ballots prefer a to b than b to a. Its strength is, by default,
    Schulze's own **winning votes** (the ballots preferring a to b); ``strength="margins"`` uses
    the margin instead. With complete rankings the two agree; with truncated ballots they can
    differ, and winning votes is the measure Schulze recommends. A path is as strong as its
    weakest link.
    """
    seats, seed, standing = common_options(profile, seats, seed, withdrawn, tiebreak)
    if strength not in STRENGTHS:
        raise BallotError(f"schulze: strength must be one of {', '.join(STRENGTHS)}, "
                          f"not {strength!r}")
    names = list(profile.candidates)
    n = len(names)
    m = pairwise_matrix(profile)
    sub = m[np.ix_(standing, standing)]
    wins = sub > sub.T
    d = np.where(wins, sub if strength == "winning_votes" else sub - sub.T, 0.0)
    p = strongest_paths(d)
    beats = _full(p > p.T, standing, n, bool)
    order, draws = order_winners(beats, standing, seats, names, seed, "schulze")
    tallies = {names[c]: float(beats[c].sum()) for c in standing}
    cw, note = _cw_note(m, standing, names)
    note += ("; tallies: opponents each candidate beats by strongest path "
             f"({strength.replace('_', ' ')})")
    rounds = decision_rounds(tallies, order, draws, names, note, "opponents beaten")
    return Result(
        method="schulze",
        options=used_options(seats, withdrawn, tiebreak, strength=strength),
        candidates=names, winners=[names[c] for c in order], rounds=rounds,
        ballots=profile.total, seed=seed, pairwise=m.tolist(),
        extra={"condorcet_winner": names[cw] if cw is not None else None,
               "strongest_paths": _full(p, standing, n).tolist(),
               "ranking": [[names[c] for c in group] for group in layers(beats, standing)]})


def _lock_pairs(margins: np.ndarray, standing: list[int], names: list[str], seed: str):
    """Lock pairs from the largest margin down, skipping any that would close a cycle.

    Pairs with equal margins are taken in the order of their seeded-draw keys
    ``sha256(f"{seed}|ranked pairs order|{winner}>{loser}")``, smallest first, so the order is
    fixed by the seed and anyone can recompute it. Tied pairs (margin 0) are never locked.
    Returns the reachability of the locked graph (a strict partial order) and the steps.
    """
    n = len(names)
    pairs = []
    for a in standing:
        for b in standing:
            if margins[a, b] > 0:
                key = draw_key(seed, "ranked pairs order", f"{names[a]}>{names[b]}")
                pairs.append((-float(margins[a, b]), key, a, b))
    pairs.sort()
    shared = {}
    for neg, *_ in pairs:
        shared[neg] = shared.get(neg, 0) + 1
    reach = np.zeros((n, n), dtype=bool)
    eye = np.eye(n, dtype=bool)
    steps = []
    for neg, key, a, b in pairs:
        locked = not reach[b, a]
        if locked:
            reach |= np.outer(reach[:, a] | eye[a], reach[b] | eye[b])
        step = {"winner": names[a], "loser": names[b], "margin": -neg, "locked": locked}
        if shared[neg] > 1:
            step["draw_key"] = key
        steps.append(step)
    return reach, steps


@method_options()
def count_ranked_pairs(profile: Profile, *, seats=1, seed=DEFAULT_SEED, withdrawn=None,
                       tiebreak=None) -> Result:
    """Ranked pairs (Tideman) by **margins**: lock the biggest wins first, never a cycle.

    Every head-to-head win is weighed by its margin (ballots for minus ballots against), then
    locked in from the largest down unless it contradicts the pairs already locked. The winner
    is the candidate nothing locked beats; the locked pairs give the full order.
    """
    seats, seed, standing = common_options(profile, seats, seed, withdrawn, tiebreak)
    names = list(profile.candidates)
    m = pairwise_matrix(profile)
    reach, steps = _lock_pairs(m - m.T, standing, names, seed)
    order, draws = order_winners(reach, standing, seats, names, seed, "ranked pairs")
    tallies = {names[c]: float(reach[c].sum()) for c in standing}
    cw, note = _cw_note(m, standing, names)
    told = [f"{'locked' if s['locked'] else 'skipped'} {s['winner']}>{s['loser']} "
            f"({s['margin']:g})" for s in steps]
    note += ("; pairs by margin, largest first, equal margins in seeded-draw order: "
             + (", ".join(told) if told else "none (every pair tied)")
             + ("; a skipped pair would have closed a cycle" if len(told) > sum(
                 s["locked"] for s in steps) else "")
             + "; tallies: candidates each one is locked above")
    rounds = decision_rounds(tallies, order, draws, names, note, "candidates below")
    return Result(
        method="ranked_pairs", options=used_options(seats, withdrawn, tiebreak),
        candidates=names, winners=[names[c] for c in order], rounds=rounds,
        ballots=profile.total, seed=seed, pairwise=m.tolist(),
        extra={"condorcet_winner": names[cw] if cw is not None else None, "locked": steps,
               "ranking": [[names[c] for c in group] for group in layers(reach, standing)]})
