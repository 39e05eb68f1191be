"""RCTab contest configurations: the rules and CVR files of a real count, read as one Election.

An RCTab config (JSON) lists the candidates (with ``excluded`` and ``aliases``), the cast-vote
record files (``cvrFileSources``, paths relative to the config) and the counting ``rules``.
``read_rctab`` loads all of it; ``rules_from_config`` maps just the rules to our method and
options, so ``pbapp-tally FILE --rules CONFIG.json`` can count any file under a jurisdiction's
rules. The mapping:

=================================  ================================================================
RCTab rule                         option
=================================  ================================================================
winnerElectionMode                 ``singleWinnerMajority`` -> irv; ``multiWinner...`` -> stv with
                                   ``variant="rctab"``, ``multiple_per_round``
numberOfWinners                    ``seats``
overvoteRule                       ``overvote``: exhaustImmediately -> exhaust,
                                   alwaysSkipToNextRank -> skip, exhaustIfMultipleContinuing ->
                                   exhaust_if_multiple
maxSkippedRanksAllowed             ``max_skipped`` ("unlimited" -> None)
maxRankingsAllowed                 ``max_rankings`` ("max" -> None)
exhaustOnDuplicateCandidate        ``duplicate``: exhaust / skip
tiebreakMode                       ``tiebreak``: random -> rctab-random, previousRoundCountsThen-
                                   Random -> previous-round-then-rctab-random, useCandidateOrder ->
                                   candidate-order, generatePermutation -> rctab-permutation; the
                                   "ask" modes (an operator decides) -> our seeded draw, recorded
randomSeed                         ``seed``
decimalPlacesForVoteArithmetic     ``decimals``
batchElimination                   ``batch_elimination``
continueUntilTwoCandidatesRemain   ``continue_until_two``
candidates[].excluded              ``withdrawn``
=================================  ================================================================

Undeclared write-ins are counted as the candidate "Undeclared Write-ins" (``write_in``). Rules we
do not implement (minimum vote threshold, first-round threshold, bottoms-up and multi-pass modes,
stopping early) raise ``BallotError`` rather than being ignored. Whole-number settings are ASCII
digits within ``LIMITS``; a setting of the wrong JSON type (an object where text belongs) is
refused naming it.
"""
from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any

from ..election import Election
from ..errors import BallotError, FileFormatError
from ..numbers import MAX_COUNT, MAX_RANK, ascii_int
from ..profile import from_ballots
from . import parse_json, read_text
from .cdf import WRITE_IN, read_cdf
from .csvcvr import read_csv

OVERVOTE = {"exhaustImmediately": "exhaust", "alwaysSkipToNextRank": "skip",
            "exhaustIfMultipleContinuing": "exhaust_if_multiple"}
TIEBREAK = {"random": "rctab-random",
            "previousRoundCountsThenRandom": "previous-round-then-rctab-random",
            "useCandidateOrder": "candidate-order", "usePermutationInConfig": "candidate-order",
            "generatePermutation": "rctab-permutation",
            "stopCountingAndAsk": "draw", "interactive": "draw",
            "previousRoundCountsThenAsk": "previous-round",
            "previousRoundCountsThenInteractive": "previous-round"}
#: the STV count knows only these two tie-break rules
STV_TIEBREAK = {"random": "draw", "stopCountingAndAsk": "draw", "interactive": "draw",
                "previousRoundCountsThenRandom": "previous-rounds",
                "previousRoundCountsThenAsk": "previous-rounds",
                "previousRoundCountsThenInteractive": "previous-rounds"}
MULTI_WINNER = {"multiWinnerAllowOnlyOneWinnerPerRound": False,
                "multiWinnerAllowMultipleWinnersPerRound": True}
#: (lowest, highest) of each whole-number setting
LIMITS = {"numberOfWinners": (1, MAX_RANK), "maxSkippedRanksAllowed": (0, MAX_RANK),
          "maxRankingsAllowed": (1, MAX_RANK), "decimalPlacesForVoteArithmetic": (0, 20),
          "minimumVoteThreshold": (0, MAX_COUNT), "firstVoteColumnIndex": (1, 100_000),
          "firstVoteRowIndex": (1, 100_000)}
_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60


def _text(value, key: str = "setting") -> str:
    if isinstance(value, dict | list):
        raise BallotError(f"RCTab {key} must be text, a number or true/false, not "
                          f"{_short.repr(value)}")
    return "" if value is None else str(value).strip()


def _get(mapping: dict, key: str) -> str:
    return _text(mapping.get(key), key)


def _whole(rules: dict, key: str, default=None, *, none_word: str | None = None):
    raw = _get(rules, key)
    if raw == "" or (none_word and raw.lower() == none_word):
        return default
    low, high = LIMITS.get(key, (None, None))
    try:
        return ascii_int(raw, what=f"RCTab rule {key}", minimum=low, maximum=high)
    except FileFormatError as exc:
        raise BallotError(exc.reason) from None


def _true(rules: dict, key: str) -> bool:
    value = rules.get(key, False)
    return value is True or _text(value, key).lower() == "true"


def _objects(config: dict, key: str, path: str | None) -> list[dict]:
    value = config.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise FileFormatError(f"RCTab {key} must be a list of objects, not "
                              f"{_short.repr(value)}", path=path)
    return value


def _section(config: dict, key: str, path: str | None) -> dict:
    value = config.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FileFormatError(f"RCTab {key} must be an object, not {_short.repr(value)}",
                              path=path)
    return value


def _refuse_unsupported(rules: dict, multi: bool) -> None:
    problems = []
    if (_whole(rules, "minimumVoteThreshold", 0) or 0) > 0:
        problems.append("minimumVoteThreshold")
    if _true(rules, "doesFirstRoundDetermineThreshold"):
        problems.append("doesFirstRoundDetermineThreshold")
    if _get(rules, "stopTabulationEarlyAfterRound"):
        problems.append("stopTabulationEarlyAfterRound")
    if _true(rules, "treatBlankAsUndeclaredWriteIn"):
        problems.append("treatBlankAsUndeclaredWriteIn")
    if not multi:
        problems += [k for k in ("nonIntegerWinningThreshold", "hareQuota") if _true(rules, k)]
    elif _true(rules, "batchElimination") or _true(rules, "continueUntilTwoCandidatesRemain"):
        problems.append("batchElimination/continueUntilTwoCandidatesRemain with several seats")
    if problems:
        raise BallotError(f"RCTab rule(s) not supported: {', '.join(problems)}")


def rules_from_config(config: dict, path: str | None = None) -> tuple[str, dict[str, Any]]:
    """The method and options an RCTab config's ``rules`` (and candidate exclusions) ask for.

    ``path`` only labels errors about the config's shape."""
    if not isinstance(config, dict):
        raise FileFormatError("not an RCTab contest config: the JSON is not an object", path=path)
    rules = _section(config, "rules", path)
    mode = _get(rules, "winnerElectionMode") or "singleWinnerMajority"
    if mode != "singleWinnerMajority" and mode not in MULTI_WINNER:
        raise BallotError(f"RCTab winnerElectionMode {mode!r} is not supported; use "
                          "singleWinnerMajority or a multiWinner mode")
    multi = mode in MULTI_WINNER
    _refuse_unsupported(rules, multi)
    overvote = _get(rules, "overvoteRule") or "exhaustImmediately"
    if overvote not in OVERVOTE:
        raise BallotError(f"RCTab overvoteRule {overvote!r} is unknown")
    tiebreak = _get(rules, "tiebreakMode") or "random"
    if tiebreak not in TIEBREAK:
        raise BallotError(f"RCTab tiebreakMode {tiebreak!r} is unknown")
    options: dict[str, Any] = {
        "seats": _whole(rules, "numberOfWinners", 1),
        "overvote": OVERVOTE[overvote],
        "max_skipped": _whole(rules, "maxSkippedRanksAllowed", none_word="unlimited"),
        "max_rankings": _whole(rules, "maxRankingsAllowed", none_word="max"),
        "duplicate": "exhaust" if _true(rules, "exhaustOnDuplicateCandidate") else "skip",
        "withdrawn": [_get(c, "name") for c in _objects(config, "candidates", path)
                      if _true(c, "excluded")],
    }
    if _whole(rules, "decimalPlacesForVoteArithmetic") is not None:
        options["decimals"] = _whole(rules, "decimalPlacesForVoteArithmetic")
    if _get(rules, "randomSeed"):
        options["seed"] = _get(rules, "randomSeed")
    if multi:
        options.update(variant="rctab", multiple_per_round=MULTI_WINNER[mode])
        exact = _true(rules, "nonIntegerWinningThreshold")
        if _true(rules, "hareQuota"):
            options["quota"] = "hare-exact" if exact else "hare"
        elif exact:
            options["quota"] = "droop-exact"
        if tiebreak in STV_TIEBREAK:
            options["tiebreak"] = STV_TIEBREAK[tiebreak]
        return "stv", options
    if options["seats"] != 1:
        raise BallotError(f"RCTab singleWinnerMajority with numberOfWinners {options['seats']}")
    options.update(tiebreak=TIEBREAK[tiebreak], write_in=WRITE_IN,
                   batch_elimination=_true(rules, "batchElimination"),
                   continue_until_two=_true(rules, "continueUntilTwoCandidatesRemain"))
    return "irv", options


def load_config(path: str | Path) -> dict:
    """An RCTab config file as a JSON object (any JSON object: ``--rules`` needs no CVR list)."""
    data = parse_json(read_text(path), str(path))
    if not isinstance(data, dict):
        raise FileFormatError("not an RCTab contest config: the JSON is not an object",
                              path=str(path))
    return data


def _load(path: Path) -> dict:
    data = load_config(path)
    if not isinstance(data.get("cvrFileSources"), list):
        raise FileFormatError("not an RCTab contest config: no cvrFileSources list",
                              path=str(path))
    return data


def _read_source(source: dict, base: Path, config_path: Path) -> Election:
    if not _get(source, "filePath"):
        raise FileFormatError("a cvrFileSources entry has no filePath", path=str(config_path))
    file = base / _get(source, "filePath")
    provider = _get(source, "provider")
    label = lambda key: _get(source, key) or None  # noqa: E731
    if _true(source, "treatBlankAsUndeclaredWriteIn"):
        raise BallotError("RCTab treatBlankAsUndeclaredWriteIn is not supported")
    try:
        if provider == "cdf":
            if label("overvoteLabel"):
                raise BallotError("RCTab overvoteLabel for CDF files is not supported")
            return read_cdf(file, contest=label("contestId"))
        if provider == "genericCsv":
            first_col = _whole(source, "firstVoteColumnIndex")
            first_row = _whole(source, "firstVoteRowIndex", 2)
            return read_csv(file, layout="candidates", first_vote_column=first_col,
                            first_vote_row=first_row,
                            write_in_label=label("undeclaredWriteInLabel"))
    except OSError as exc:
        raise FileFormatError(f"cannot read the CVR file {str(file)!r}: "
                              f"{exc.strerror or exc}", path=str(config_path)) from None
    raise FileFormatError(f"cvrFileSources provider {provider!r} is not supported; use cdf or "
                          "genericCsv", path=str(config_path))


def read_rctab(config_path: str | Path) -> Election:
    """An RCTab config with its CVR files: ballots, candidates in config order, rules as options."""
    path = Path(config_path)
    config = _load(path)
    method, options = rules_from_config(config, str(path))
    candidates_in = _objects(config, "candidates", str(path))
    names = [_get(c, "name") for c in candidates_in]
    if not all(names) or len(set(names)) != len(names):
        raise FileFormatError("candidate names in the config must be present and unique",
                              path=str(path))
    alias = {name: name for name in names}
    for c in candidates_in:
        aliases = c.get("aliases") or []
        if not isinstance(aliases, list):
            raise FileFormatError(f"the aliases of {_get(c, 'name')!r} must be a list",
                                  path=str(path))
        alias.update({_text(a, "alias"): _get(c, "name") for a in aliases})
    alias[WRITE_IN] = WRITE_IN
    ballots: list[tuple[float, tuple]] = []
    for source in _objects(config, "cvrFileSources", str(path)):
        election = _read_source(source, path.parent, path)
        unknown = [c for c in election.candidates if c not in alias]
        if unknown:
            raise FileFormatError(f"candidate {unknown[0]!r} is in the CVR file but not among "
                                  "the config's candidates",
                                  path=str(path.parent / _get(source, "filePath")))
        for count, ranking in election.profile.ballots():
            ballots.append((count, tuple(
                frozenset(alias[m] for m in mark) if isinstance(mark, frozenset)
                else None if mark is None else alias[mark] for mark in ranking)))
    seen = {m for _, r in ballots for mark in r if mark is not None
            for m in (mark if isinstance(mark, frozenset) else (mark,))}
    candidates = names + ([WRITE_IN] if WRITE_IN in seen and WRITE_IN not in names else [])
    out = _section(config, "outputSettings", str(path))
    meta = {"format": "rctab", "config": str(path)}
    meta.update({k: _get(out, key) for k, key in (("date", "contestDate"),
                 ("jurisdiction", "contestJurisdiction"), ("office", "contestOffice"))
                 if out.get(key)})
    return Election(title=_get(out, "contestName") or path.stem, candidates=candidates,
                    profile=from_ballots(ballots, candidates), seats=options["seats"],
                    method=method, options=options, withdrawn=list(options["withdrawn"]),
                    meta=meta)
