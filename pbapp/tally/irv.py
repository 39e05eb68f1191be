"""Instant-runoff voting, round by round, counted the way certified US tabulators count it.

Each round every ballot counts for its highest-ranked continuing candidate. A candidate with a
majority of the votes on continuing ballots, ``floor(active / 2) + 1`` (RCTab's threshold), wins;
otherwise the last candidate is eliminated and their ballots move on. The ballot rules of
``ballot_rules`` (overvotes, skipped ranks, repeats, rank limit) decide when a ballot stops, and
inactive ballots are reported by reason, as RCTab's reports do. RCTab's other choices are kept
too: undeclared write-ins (``write_in``) are eliminated first and cannot win; with two candidates
left and neither over the threshold, the tie-break picks the winner; ``batch_elimination`` drops
every candidate who could not overtake the next one even with all their votes combined; and
``continue_until_two`` goes on after the winner is found (as RCTab does, the round after the
winner's repeats the tallies) until two candidates remain.

The count walks distinct rankings, not ballots: each row keeps a pointer to the mark it counts
for, only rows whose candidate was just eliminated move, and the tallies are one weighted
``bincount``, so a million ballots take milliseconds per round.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .ballot_rules import apply_rules, check_rules, has_marks
from .errors import BallotError
from .options import method_options, positive_int
from .profile import (EXHAUST_DUPLICATE, EXHAUST_OVERVOTE, EXHAUST_SKIPPED, OVERVOTE, PAD,
                      SKIP, Profile, from_ballots)
from .result import Result, Round
from .ties import DEFAULT_SEED, TieBreak, TieBreaker

UNDERVOTE = -7
_OFFSET = 7  # ``cur`` codes -7..-1 land in bincount slots 0..6, candidate c in slot c + 7
_REASON_CODES = {"overvote": EXHAUST_OVERVOTE, "skipped_rankings": EXHAUST_SKIPPED,
                 "exhausted_choices": PAD, "repeated_rankings": EXHAUST_DUPLICATE}
_COUNT, _PASS, _STOP, _ASK = 0, 1, 2, 3  # what the mark under a row's pointer means


class _Ballots:
    """Where each distinct ranking stands: ``ptr`` points at the mark it is on (an index into the
    flattened rankings), ``cur`` is the candidate it counts for or the code of why it stopped."""

    def __init__(self, profile: Profile, live: np.ndarray, counted: np.ndarray):
        n = len(profile.counts)
        table = np.hstack([profile.rankings, np.full((n, 1), PAD, dtype=np.int32)])
        self.width = table.shape[1]
        self.flat = table.ravel()
        self.counts = profile.counts
        self.overvotes = profile.overvotes
        self.live = live  # the caller's array: ``drop`` updates it
        self.k = len(live)
        self.ptr = np.arange(n, dtype=np.intp) * self.width
        self.cur = np.full(n, UNDERVOTE, dtype=np.int32)
        self.action = np.full(self.k + _OFFSET, _STOP, dtype=np.int8)
        self.action[SKIP + _OFFSET] = _PASS
        self.action[OVERVOTE + _OFFSET] = _ASK
        self.action[_OFFSET:] = np.where(live, _COUNT, _PASS)
        self.advance(np.flatnonzero(counted))

    def totals(self) -> np.ndarray:
        """Weight per ``cur`` slot: stop reasons first, then one slot per candidate."""
        return np.bincount(self.cur + _OFFSET, weights=self.counts, minlength=self.k + _OFFSET)

    def drop(self, losers: Sequence[int]) -> None:
        """Eliminate ``losers`` and move the ballots that counted for them."""
        self.live[list(losers)] = False
        self.action[np.asarray(losers) + _OFFSET] = _PASS
        if len(losers) == 1:
            moving = np.flatnonzero(self.cur == losers[0])
        else:
            gone = np.zeros(self.k + _OFFSET, dtype=bool)
            gone[np.asarray(losers) + _OFFSET] = True
            moving = np.flatnonzero(gone[self.cur + _OFFSET])
        self.advance(moving)

    def advance(self, rows: np.ndarray) -> None:
        """Move each row on to its next mark that counts or stops it."""
        cur, ptr = self.cur, self.ptr
        while rows.size:
            at = ptr[rows]
            code = self.flat[at]
            act = self.action[code + _OFFSET]
            moving = act == _PASS
            decided = {}
            if self.overvotes:
                for j in np.flatnonzero(act == _ASK).tolist():
                    choice = self._overvote(int(rows[j]), int(at[j]))
                    if choice is None:
                        moving[j] = True
                    else:
                        decided[j] = choice
            done = ~moving
            cur[rows[done]] = code[done]
            for j, choice in decided.items():
                cur[rows[j]] = choice
            rows = rows[moving]
            ptr[rows] = at[moving] + 1

    def _overvote(self, row: int, at: int) -> int | None:
        """exhaust_if_multiple: exhaust if 2+ marks continue, count the one, or pass on."""
        marks = self.overvotes[(row, at - row * self.width)]
        live = [c for c in marks if self.live[c]]
        if len(live) > 1:
            return EXHAUST_OVERVOTE
        return live[0] if live else None


def _flag(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise BallotError(f"{name} must be true or false, not {value!r}")


def _indices(name: str, values, index: dict[str, int]) -> list[int]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    unknown = [str(v) for v in values if str(v) not in index]
    if unknown:
        raise BallotError(f"{name}: unknown candidate(s) {', '.join(map(repr, unknown))}")
    return sorted({index[str(v)] for v in values})


def _threshold(active: float, whole: bool, decimals: int | None) -> float:
    """RCTab's: half the continuing votes rounded down, plus one vote (or one last decimal)."""
    if whole:
        return math.floor(active / 2) + 1
    d = 4 if decimals is None else decimals
    return round(math.floor(active / 2 * 10 ** d) / 10 ** d + 10 ** -d, d)


def _batch(tallies: np.ndarray, live: list[int], until_two: bool) -> list[int]:
    """Candidates whose combined votes cannot reach the next one up (RCTab batch elimination)."""
    values = sorted({float(tallies[c]) for c in live})
    running, seen, batch, previous = 0.0, [], [], []
    for value in values:
        if running < value and len(seen) > len(batch):
            previous, batch = batch, list(seen)
        group = [c for c in live if float(tallies[c]) == value]
        running += value * len(group)
        seen += group
    if until_two and len(batch) == len(live) - 1:
        batch = previous  # never batch away everyone but the winner
    return batch


def _winner(tallies, live, threshold, uwi, breaker, history, number
            ) -> tuple[int, TieBreak | None] | None:
    if uwi is not None and live[uwi] and tallies[uwi] > 0:
        return None  # nobody wins while undeclared write-ins still hold votes
    alive = np.flatnonzero(live).tolist()
    if len(alive) <= 1:
        return (alive[0], None) if alive else None
    over = [c for c in alive if c != uwi and tallies[c] >= threshold]
    if over:
        return max(over, key=lambda c: tallies[c]), None
    if len(alive) == 2:
        top = max(tallies[c] for c in alive)
        tied = [c for c in alive if tallies[c] == top and (c != uwi or top == 0)]
        c, tb = breaker.pick(tied, history, lowest=False, context=f"round {number} elect")
        return c, (tb if len(tied) > 1 else None)
    return None


def _losers(tallies, live, winner, uwi, batch, until_two, breaker, history, number
            ) -> tuple[list[int], TieBreak | None, str]:
    alive = np.flatnonzero(live).tolist()
    if uwi is not None and live[uwi] and tallies[uwi] > 0:
        return [uwi], None, "undeclared write-ins are eliminated first"
    if batch:
        losers = _batch(tallies, alive, until_two)
        if len(losers) > 1:
            return losers, None, "batch elimination: together they cannot overtake the next"
    pool = [c for c in alive if c != winner]
    low = min(tallies[c] for c in pool)
    tied = [c for c in pool if tallies[c] == low]
    c, tb = breaker.pick(tied, history, lowest=True, context=f"round {number} eliminate")
    return [c], (tb if len(tied) > 1 else None), ""


@method_options("overvote", "max_skipped", "duplicate", "max_rankings", "batch_elimination",
                "continue_until_two", "decimals", "write_in")
def count_irv(profile, *, seats=1, seed=DEFAULT_SEED, withdrawn=None, tiebreak="previous-round",
              overvote="exhaust", max_skipped=None, duplicate="skip", max_rankings=None,
              batch_elimination=False, continue_until_two=False, decimals=None, write_in=None,
              candidates=None) -> Result:
    """Single-winner instant runoff with every round (see the module docstring for the rules).

    Ballot rules: ``overvote``, ``max_skipped``, ``duplicate``, ``max_rankings`` (see
    ``ballot_rules``). ``withdrawn`` candidates are passed over on every ballot. ``write_in``
    names the undeclared write-in candidate, if the ballots have one. ``tiebreak`` is one of
    ``ties.TIEBREAK_MODES`` (default: earlier rounds, then the seeded draw). ``decimals`` sets
    the threshold's precision when ballot weights are fractional (whole ballots use whole votes,
    as RCTab does). Ballots that rank nobody are ``extra["undervotes"]``, not inactive ballots.
    """
    if not isinstance(profile, Profile):
        profile = from_ballots(profile, candidates)
    if positive_int("seats", seats) != 1:
        raise BallotError(f"irv fills one seat, not {seats}; use stv for several")
    rules = check_rules(overvote, max_skipped, duplicate, max_rankings)
    batch = _flag("batch_elimination", batch_elimination)
    until_two = _flag("continue_until_two", continue_until_two)
    if decimals is not None:
        decimals = positive_int("decimals", decimals, minimum=0)
    names, index = list(profile.candidates), profile.index
    out = _indices("withdrawn", withdrawn, index)
    uwi = index.get(str(write_in)) if write_in is not None else None
    live = np.ones(len(names), dtype=bool)
    live[out] = False
    if not live.any():
        raise BallotError("there is no candidate left to count: all are withdrawn")
    breaker = TieBreaker(tiebreak, names, seed)
    counted = has_marks(profile, rules.max_rankings)
    ballots = _Ballots(apply_rules(profile, **rules.to_dict()), live, counted)
    whole = bool(np.all(profile.counts == np.floor(profile.counts)))

    rounds: list[Round] = []
    history: list[np.ndarray] = []
    winner: int | None = None
    totals = ballots.totals()
    while live.any():
        number = len(rounds) + 1
        tallies = totals[_OFFSET:]
        alive = np.flatnonzero(live).tolist()
        threshold = _threshold(float(tallies[alive].sum()), whole, decimals)
        rnd = Round(number, {names[c]: float(tallies[c]) for c in alive}, threshold,
                    exhausted={k: float(totals[code + _OFFSET])
                               for k, code in _REASON_CODES.items()})
        rounds.append(rnd)
        found = _winner(tallies, live, threshold, uwi, breaker, history, number) \
            if winner is None else None
        if found:
            winner, rnd.tie_break = found
            rnd.elected = [names[winner]]
        elif winner is None or (until_two and len(alive) > 2):
            losers, rnd.tie_break, rnd.note = _losers(tallies, live, winner, uwi, batch,
                                                      until_two, breaker, history, number)
            if winner is not None and not rnd.note:
                rnd.note = "continuing until two candidates remain"
            rnd.eliminated = [names[c] for c in losers]
            ballots.drop(losers)
            after = ballots.totals()
            change = after[_OFFSET:] - tallies
            rnd.transfers = {names[c]: float(change[c])
                             for c in np.flatnonzero(np.abs(change) > 1e-9).tolist()}
            totals = after
        history.append(tallies.copy())
        if until_two:
            more = live.sum() > (winner is not None) + 1 or bool(rnd.eliminated)
        else:
            more = winner is None
        if not more or not (rnd.elected or rnd.eliminated):
            break

    options = {"seats": 1, "tiebreak": breaker.mode, **rules.to_dict(), "batch_elimination": batch,
               "continue_until_two": until_two, "withdrawn": [names[c] for c in out],
               "write_in": write_in, "decimals": decimals}
    return Result("irv", options, names, [names[winner]] if winner is not None else [], rounds,
                  ballots=profile.total, seed=str(seed),
                  extra={"undervotes": _whole(float(profile.counts[~counted].sum()))})


def _whole(x: float) -> float | int:
    return int(x) if x.is_integer() else x
