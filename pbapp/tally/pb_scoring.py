"""Participatory-budgeting ballots as points: every ballot form becomes one sparse matrix.

Greedy rules add the points up; the Method of Equal Shares reads them as utilities. Identical
ballots are counted once (with a weight), which is what keeps a million-ballot count cheap.

Ballot forms (``vote_type``):
  ``ordinal``     rankings, most preferred first, or a ``Profile``; points come from ``scoring``.
                  Skipped ranks and repeats are dropped and an overvote ends the ballot, as
                  ``profile.clean_rows`` does for every ranked method.
  ``approval``    collections of project ids, 1 point each (``choose-1``: at most one project)
  ``cumulative``  ``{project: points}`` dicts (``scoring`` is the pabulib name for the same shape)
Any form may come as ``(count, ballot)`` pairs. Without ``vote_type`` the first ballot decides:
a ``Profile``, list or tuple is a ranking, a set an approval ballot, a dict points.

Scoring functions for rankings (``p`` = position, 1 for the first choice):
  ``k-points``  k + 1 - p points, with k = ``max_length`` (default: the longest ballot); the
                Kraków 3-2-1 rule. A ballot ranking more than k projects is an error.
  ``borda``     m - p points, m = number of projects (the classic Borda count: a first choice
                gets m - 1, an unranked project 0).
  ``dowdall``   1 / p (the Nauru rule).
  a sequence of numbers: points for the 1st, 2nd, ... choice.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from .errors import BallotError
from .profile import Profile, clean_rows, count_pairs, from_ballots, is_pair

VOTE_TYPES = ("ordinal", "approval", "choose-1", "cumulative", "scoring")
SCORINGS = ("k-points", "borda", "dowdall")


@dataclass
class PBBallots:
    """Distinct ballots as triples: ballot ``rows[k]`` gives ``points[k]`` to ``cols[k]``."""

    projects: list[str]
    weights: np.ndarray  # voters per distinct ballot
    rows: np.ndarray
    cols: np.ndarray
    points: np.ndarray
    vote_type: str
    scoring: str | list[float] | None = None
    max_length: int | None = None

    @property
    def total(self) -> float:
        return float(self.weights.sum())

    def scores(self) -> np.ndarray:
        """Total points per project (approval: number of voters who approve it)."""
        return np.bincount(self.cols, weights=self.points * self.weights[self.rows],
                           minlength=len(self.projects))

    def supporters(self) -> np.ndarray:
        """Voters giving each project any points."""
        return np.bincount(self.cols, weights=self.weights[self.rows],
                           minlength=len(self.projects))


class _Points(tuple):
    """A ``{project: points}`` ballot frozen to ``(project, points)`` items, hashable."""


def _key(ballot):
    if isinstance(ballot, Mapping):
        return _Points(ballot.items())
    if isinstance(ballot, str | bytes):
        raise BallotError(f"a ballot must be a collection of projects, not the string {ballot!r}")
    if isinstance(ballot, set | frozenset):
        return frozenset(ballot)
    if isinstance(ballot, Iterable):  # a ranking may hold an overvote as a set or list
        return tuple(frozenset(m) if isinstance(m, set | list) else m for m in ballot)
    raise BallotError(f"a ballot must be a collection of projects, not {ballot!r}")


def group_ballots(ballots) -> Counter:
    """Distinct ballots with their counts, from ballots or ``(count, ballot)`` pairs."""
    items = ballots if isinstance(ballots, list | tuple) else list(ballots)
    if not items:
        return Counter()
    if is_pair(items[0]):
        return count_pairs(items, _key)
    try:
        counter = Counter(items)  # tuples and frozensets hash as they are: the fast path
    except TypeError:
        return Counter(map(_key, items))
    if not {type(k) for k in counter} <= {tuple, frozenset}:
        return Counter(map(_key, items))
    return counter


def infer_vote_type(ballots) -> str:
    """The ballot form the first ballot shows (see the module docstring)."""
    if isinstance(ballots, Profile):
        return "ordinal"
    first = next(iter(ballots), None) if isinstance(ballots, list | tuple) else None
    if first is None:
        return "approval"
    if is_pair(first):
        first = first[1]
    if isinstance(first, Mapping):
        return "cumulative"
    if isinstance(first, set | frozenset):
        return "approval"
    return "ordinal"


def _indexer(projects: Sequence[str]):
    index = {p: i for i, p in enumerate(projects)}

    def lookup(values: list) -> np.ndarray:
        try:
            return np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
        except (KeyError, TypeError):
            out = np.empty(len(values), dtype=np.int64)
            for k, v in enumerate(values):
                try:
                    out[k] = index[str(v)]
                except KeyError:
                    raise BallotError(f"unknown project {v!r} in a ballot; the projects are "
                                      f"{', '.join(projects)}") from None
            return out

    return lookup


def _check_repeats(keys: list) -> None:
    """A project named twice on one ballot is an error (sets and dicts cannot repeat)."""
    for key in keys:
        if type(key) is tuple and len(set(key)) != len(key):
            seen: set = set()
            bad = next(p for p in key if p in seen or seen.add(p))
            raise BallotError(f"project {bad!r} appears more than once on one ballot")


def _unranked(ballots, projects: list[str], vote_type: str) -> PBBallots:
    counter = group_ballots(ballots)
    keys = list(counter)
    weights = np.fromiter(counter.values(), dtype=np.float64, count=len(keys))
    lookup = _indexer(projects)
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    if any(isinstance(k, _Points) for k in keys):
        flat = list(chain.from_iterable(k if isinstance(k, _Points) else ((p, 1) for p in k)
                                        for k in keys))
        names = [p for p, _ in flat]
        try:
            points = np.array([v for _, v in flat], dtype=np.float64)
        except (TypeError, ValueError):
            raise BallotError("points on a ballot must be numbers") from None
    else:
        if vote_type in ("cumulative", "scoring"):
            raise BallotError(f"{vote_type} ballots must be {{project: points}} dicts")
        names = list(chain.from_iterable(keys))
        points = np.ones(len(names), dtype=np.float64)
    rows = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
    cols = lookup(names)
    if not np.isfinite(points).all() or (points < 0).any():
        raise BallotError("points on a ballot must be finite and not negative")
    if vote_type in ("approval", "choose-1") and (points != 1).any():
        raise BallotError(f"{vote_type} ballots give 1 point to each project they name")
    if vote_type == "choose-1" and (lengths > 1).any():
        raise BallotError("a choose-1 ballot may name at most one project")
    _check_repeats(keys)
    keep = points > 0
    return PBBallots(projects, weights, rows[keep], cols[keep], points[keep], vote_type)


def rank_points(scoring, width: int, n_projects: int, max_length: int | None) -> np.ndarray:
    """Points for the 1st..``width``-th choice under a scoring function (see module docstring)."""
    if isinstance(scoring, str):
        if scoring == "k-points":
            k = width if max_length is None else max_length
            if width > k:
                raise BallotError(f"a ballot ranks {width} projects but k-points scoring "
                                  f"(k = max_length = {k}) gives points to only {k}")
            return np.arange(k, k - width, -1, dtype=np.float64)
        if scoring == "borda":
            return np.arange(n_projects - 1, n_projects - 1 - width, -1, dtype=np.float64)
        if scoring == "dowdall":
            return 1.0 / np.arange(1, width + 1, dtype=np.float64)
        raise BallotError(f"unknown scoring {scoring!r}; choose {', '.join(SCORINGS)} "
                          "or give the points for each rank as a list")
    try:
        table = np.array([float(x) for x in scoring], dtype=np.float64)
    except (TypeError, ValueError):
        raise BallotError(f"scoring must be a name or a list of points, not {scoring!r}") from None
    if not np.isfinite(table).all() or (table < 0).any():
        raise BallotError("the points of a scoring list must be finite and not negative")
    if width > len(table):
        raise BallotError(f"a ballot ranks {width} projects but the scoring list gives points "
                          f"to only {len(table)}")
    return table[:width]


def _ranked(ballots, projects: list[str], scoring, max_length: int | None) -> PBBallots:
    if isinstance(ballots, Profile):
        profile = ballots
    else:
        counter = group_ballots(ballots)
        if any(type(k) is not tuple for k in counter):
            raise BallotError("ranked ballots must be sequences (most preferred first), not "
                              "sets or dicts; pass vote_type for other ballot forms")
        profile = from_ballots([(n, k) for k, n in counter.items()])
    lookup = _indexer(projects)
    to_project = lookup(list(profile.candidates)) if profile.candidates else \
        np.zeros(0, dtype=np.int64)
    ranks = clean_rows(profile)
    valid = ranks >= 0
    width = int(valid.sum(axis=1).max()) if ranks.size and valid.any() else 0
    table = rank_points(scoring, width, len(projects), max_length)
    rows, pos = np.nonzero(valid)
    cols = to_project[ranks[rows, pos]]
    points = table[pos]
    keep = points > 0
    return PBBallots(projects, np.asarray(profile.counts, dtype=np.float64),
                     rows[keep].astype(np.int64), cols[keep], points[keep], "ordinal",
                     scoring, max_length)


def pb_ballots(ballots, projects: list[str], *, vote_type: str | None = None,
               scoring=None, max_length: int | None = None) -> PBBallots:
    """Turn any accepted ballot form into points per project (see the module docstring)."""
    if vote_type is None:
        vote_type = infer_vote_type(ballots if isinstance(ballots, Profile | list | tuple)
                                    else (ballots := list(ballots)))
    if vote_type not in VOTE_TYPES:
        raise BallotError(f"unknown vote_type {vote_type!r}; choose {', '.join(VOTE_TYPES)}")
    if vote_type == "ordinal":
        if max_length is not None and (isinstance(max_length, bool) or int(max_length) < 1):
            raise BallotError(f"max_length must be a positive whole number, not {max_length!r}")
        return _ranked(ballots, projects, "k-points" if scoring is None else scoring,
                       None if max_length is None else int(max_length))
    if scoring is not None:
        raise BallotError(f"scoring applies to ranked (ordinal) ballots, not {vote_type} ones")
    if isinstance(ballots, Profile):
        raise BallotError(f"ranked ballots given but vote_type is {vote_type!r}")
    return _unranked(ballots, projects, vote_type)
