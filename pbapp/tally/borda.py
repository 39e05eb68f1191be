"""Borda and other positional counts: each rank is worth fixed points, the most points win.

``scoring`` chooses the points for rank r (1 = first choice):

* ``"borda"`` (default): ``n - r``, with n the number of standing candidates, so a full
  ranking gives n-1, ..., 1, 0. A **truncated ballot** keeps those same values for the ranks it
  fills and gives **0 to every unranked candidate**: leaving candidates off never raises the
  points of the ones ranked (it equals counting each ranked candidate's rivals placed below).
* ``"dowdall"``: ``1 / r`` (Nauru); unranked 0.
* ``"k-points"``: ``k - r + 1`` for the first k ranks, so k, ..., 1, then 0; ``k`` defaults
  to the longest ranking on any ballot.
* a list of points per rank, e.g. ``[3, 2, 1]`` (Kraków's participatory budget), or the same
  as text ``"3,2,1"``; ranks beyond the list get 0.

Skipped ranks and repeats are ignored and an overvote ends the ballot (``profile.clean_rows``);
withdrawn candidates are struck off, so the candidates below them move up a rank.
"""
from __future__ import annotations

import math

import numpy as np

from .errors import BallotError
from .options import method_options, positive_int
from .pairwise import common_options, decision_rounds, layers, order_winners, used_options
from .profile import PAD, Profile, clean_rows
from .result import Result
from .ties import DEFAULT_SEED

SCHEMES = ("borda", "dowdall", "k-points")
#: scores are compared after rounding, so 1/2 + 1/6 ties with 1/3 + 1/3 under Dowdall
DECIMALS = 9


def _rows_without(profile: Profile, standing: list[int]) -> np.ndarray:
    """Clean rankings with withdrawn candidates struck off and the rest moved up."""
    rows = clean_rows(profile)
    if len(standing) == len(profile.candidates):
        return rows
    rows = np.where(np.isin(rows, standing), rows, PAD)
    shift = np.argsort(rows < 0, axis=1, kind="stable")
    return np.take_along_axis(rows, shift, axis=1)


def _point_list(scoring) -> list[float]:
    if isinstance(scoring, str):
        try:
            scoring = [float(part) for part in scoring.split(",")]
        except ValueError:
            raise BallotError(f"borda: scoring must be one of {', '.join(SCHEMES)} or points "
                              f"per rank such as [3, 2, 1], not {scoring!r}") from None
    try:
        points = list(scoring)
    except TypeError:
        raise BallotError(f"borda: scoring must be a name or a list of points, "
                          f"not {scoring!r}") from None
    if not points:
        raise BallotError("borda: the list of points per rank is empty")
    for p in points:
        if isinstance(p, bool) or not isinstance(p, int | float) or not math.isfinite(p):
            raise BallotError(f"borda: points per rank must be numbers, not {p!r}")
        if p < 0:
            raise BallotError(f"borda: points per rank cannot be negative ({p!r}): an unranked "
                              "candidate gets 0, so ranking someone must not cost them points")
    if any(b > a for a, b in zip(points, points[1:])):
        raise BallotError(f"borda: points per rank must not rise from one rank to the next: "
                          f"{points}")
    return [float(p) for p in points]


def rank_points(scoring, width: int, standing: int, k=None) -> tuple[np.ndarray, dict]:
    """Points for each of ``width`` rank columns, and the scoring as the result records it."""
    name = scoring.strip().lower().replace("_", "-") if isinstance(scoring, str) else None
    if k is not None and name != "k-points":
        raise BallotError("borda: k applies only to scoring='k-points'")
    ranks = np.arange(1, width + 1, dtype=float)
    if name == "borda":
        return np.maximum(standing - ranks, 0.0), {"scoring": "borda"}
    if name == "dowdall":
        return 1.0 / ranks, {"scoring": "dowdall"}
    if name == "k-points":
        k = width if k is None else positive_int("k", k)
        return np.maximum(k - ranks + 1, 0.0), {"scoring": "k-points", "k": k}
    points = _point_list(scoring)
    out = np.zeros(width)
    out[:min(width, len(points))] = points[:width]
    return out, {"scoring": points}


@method_options("scoring", "k")
def count_borda(profile: Profile, *, seats=1, seed=DEFAULT_SEED, withdrawn=None, tiebreak=None,
                scoring="borda", k=None) -> Result:
    """Positional count in one round; the ``seats`` highest scores win, in order.

    Equal scores for a seat go to the seeded draw (there are no earlier rounds to compare).
    """
    seats, seed, standing = common_options(profile, seats, seed, withdrawn, tiebreak)
    names = list(profile.candidates)
    n = len(names)
    rows = _rows_without(profile, standing)
    width = int((rows >= 0).sum(axis=1).max()) if rows.size else 0
    points, more = rank_points(scoring, width, len(standing), k)
    codes = np.where(rows >= 0, rows, n).astype(np.int64)
    scores = np.zeros(n + 1)
    for col in range(width):
        scores += np.bincount(codes[:, col], weights=profile.counts * points[col],
                              minlength=n + 1)
    scores = np.round(scores[:n], DECIMALS)
    beats = scores[:, None] > scores[None, :]
    order, draws = order_winners(beats, standing, seats, names, seed, "borda")
    tallies = {names[c]: float(scores[c]) for c in standing}
    shown = ", ".join(f"{p:g}" for p in points[:8]) + (", ..." if width > 8 else "")
    note = f"points for ranks 1, 2, ...: {shown or 'none'}; unranked candidates get 0"
    return Result(
        method="borda", options=used_options(seats, withdrawn, tiebreak, **more),
        candidates=names, winners=[names[c] for c in order],
        rounds=decision_rounds(tallies, order, draws, names, note, "points"),
        ballots=profile.total, seed=seed,
        extra={"points": [float(p) for p in points],
               "ranking": [[names[c] for c in group] for group in layers(beats, standing)]})
