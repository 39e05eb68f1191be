"""pbapp's counting engine: ranked and participatory-budgeting rules, with every round.

Pure Python and numpy; no Flask or database import, so the same code runs in the site, in the
``pbapp-tally`` command and in tests against published results.

    >>> from pbapp.tally import count
    >>> count([("a", "b"), ("b",), ("a",)], method="irv").winners
    ['a']
"""
from __future__ import annotations

from importlib import import_module

from .election import Election, Project
from .errors import BallotError, FileFormatError, TallyError
from .profile import Profile, from_ballots
from .result import ProjectOutcome, Result, Round
from .ties import TieBreak

#: method name -> "module:function"; ranked methods take a Profile, PB methods raw ballots
RANKED_METHODS = {
    "irv": "irv:count_irv",
    "stv": "stv:count_stv",
    "schulze": "condorcet:count_schulze",
    "ranked_pairs": "condorcet:count_ranked_pairs",
    "borda": "borda:count_borda",
}
PB_METHODS = {
    "greedy": "pb:count_greedy",
    "greedy-no-skip": "pb:count_greedy_no_skip",
    "greedy-threshold": "pb:count_greedy_threshold",
    "equal-shares": "pb:count_equal_shares",
}
METHODS = {**RANKED_METHODS, **PB_METHODS}

__all__ = ["count", "METHODS", "Election", "Project", "Profile", "from_ballots", "Result",
           "Round", "ProjectOutcome", "TieBreak", "TallyError", "BallotError", "FileFormatError"]


def _resolve(method: str):
    try:
        target = METHODS[method]
    except KeyError:
        raise BallotError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}") from None
    module, func = target.split(":")
    return getattr(import_module(f".{module}", __name__), func)


def count(ballots, method: str = "irv", *, candidates=None, **options) -> Result:
    """Count ``ballots`` with ``method`` and return the result with every round.

    ``ballots`` is an iterable of rankings (most preferred first) or of ``(count, ranking)``
    pairs; the first item decides which. PB methods also take approval sets or
    ``{project: points}`` dicts (see ``pbapp.tally.pb``) and need ``budget`` and ``costs``
    (or ``projects``). Options are those of the method's function.
    """
    fn = _resolve(method)
    if method in RANKED_METHODS:
        profile = ballots if isinstance(ballots, Profile) else from_ballots(ballots, candidates)
        return fn(profile, **options)
    return fn(ballots, candidates=candidates, **options)


def default_method(election: Election) -> str:
    """What a file implies when it names no method: PB rule, else STV for several seats."""
    if election.is_pb:
        return "greedy"
    return "stv" if election.seats > 1 else "irv"
