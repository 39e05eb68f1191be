"""Meek STV: every elected candidate keeps only the fraction of each vote it needs.

Each candidate has a keep value (1 while hopeful, 0 once excluded). A ballot gives each candidate
it reaches ``weight x keep`` and passes the rest on, so surpluses flow through elected candidates
to later preferences on every ballot at once, including ballots that reached them before they
were elected. Keep values of elected candidates are scaled by ``quota / votes`` until each holds
the quota within ``tolerance``; the quota is recomputed each time from the votes not exhausted.

Vectorised: per round, ballots whose vote reaches a hopeful candidate before any elected one
("static" rows) are counted once; only the other rows are re-flowed on each iteration.
"""
from __future__ import annotations

import numpy as np

from .profile import REASONS
from .result import Result, Round
from .stv import STOP_LUT, UNKNOWN_STOP, Setup

MAX_ITERATIONS = 1000
DIGITS = 9  # decisions compare tallies rounded to this many places, so float noise never decides


def count_meek(setup: Setup) -> Result:
    return MeekCount(setup).run()


def flow_matrix(rankings: np.ndarray, ncand: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate per rank (``ncand`` where a rank gives nothing) and why each ballot ends.

    A ballot ends at its first stop code (padding, overvote, exhaust marker); skipped ranks and
    repeated candidates pass the vote on untouched.
    """
    n, m = rankings.shape
    cand = np.full((n, m), ncand, dtype=np.int64)
    why = np.full(n, REASONS.index("exhausted_choices"), dtype=np.int64)
    live = np.ones(n, dtype=bool)
    seen = np.zeros((n, ncand + 1), dtype=bool)
    rows = np.arange(n)
    for col in range(m):
        code = rankings[:, col].astype(np.int64)
        is_cand = live & (code >= 0)
        fresh = is_cand.copy()
        fresh[is_cand] = ~seen[rows[is_cand], code[is_cand]]
        cand[fresh, col] = code[fresh]
        seen[rows[fresh], code[fresh]] = True
        neg = live & (code < 0)
        stop_idx = np.full(n, -1, dtype=np.int64)
        stop_idx[neg] = STOP_LUT[np.minimum(-code[neg], len(STOP_LUT) - 1)]
        stop_idx[neg & (code < -(len(STOP_LUT) - 1))] = UNKNOWN_STOP
        stops = neg & (stop_idx >= 0)
        why[stops] = stop_idx[stops]
        live &= ~stops
    return cand, why


def _merge(cand: np.ndarray, counts: np.ndarray, why: np.ndarray, ncand: int):
    """Add up rows that flow alike (same candidates up to the first hopeful, same ending)."""
    if cand.shape[0] < 2:
        return cand, counts, why
    base = ncand + 1
    width = cand.shape[1]
    if base ** (width + 1) * len(REASONS) < 2 ** 62:
        key = why.astype(np.int64)
        for col in range(width):
            key = key * base + cand[:, col]
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(np.column_stack([cand, why]), axis=0,
                                      return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    merged = np.bincount(inverse, weights=counts, minlength=len(first))
    return cand[first], merged, why[first]


class MeekCount:
    """One Round per decision (elections, or one exclusion), tallies after keep values settle."""

    def __init__(self, setup: Setup):
        self.s = setup
        self.names = setup.names
        prof = setup.profile
        self.n = len(self.names)
        self.cand, self.why = flow_matrix(prof.rankings[setup.counted], self.n)
        rows = len(self.why)
        self.padded = np.concatenate([self.cand, np.full((rows, 1), self.n)], axis=1)
        self.counts = prof.counts[setup.counted].astype(np.float64)
        self.total = float(self.counts.sum())
        self.keep = np.ones(self.n + 1)
        self.keep[self.n] = 0.0
        self.keep[setup.withdrawn] = 0.0
        self.hopeful = np.ones(self.n, dtype=bool)
        self.hopeful[setup.withdrawn] = False
        self.elected = np.zeros(self.n, dtype=bool)
        self.shown = self.hopeful.copy()
        self.rounds: list[Round] = []
        self.history: list[np.ndarray] = []
        self.winners: list[int] = []
        self.quota = 0.0
        self.iterations = 0
        self.lead = np.full(rows, -1, dtype=np.int64)  # column of each row's first live candidate
        self._advance(np.arange(rows))

    # -- flowing votes -------------------------------------------------------------------------
    def _flow(self, cand: np.ndarray, counts: np.ndarray, why: np.ndarray):
        """Votes per candidate and exhausted votes per reason for these rows and keep values."""
        keep = self.keep[cand]
        passed = np.cumprod(1.0 - keep, axis=1)
        before = np.empty_like(passed)
        before[:, 0] = 1.0
        before[:, 1:] = passed[:, :-1]
        share = (counts[:, None] * before) * keep
        votes = np.bincount(cand.ravel(), weights=share.ravel(), minlength=self.n + 1)[:self.n]
        exhausted = np.bincount(why, weights=counts * passed[:, -1], minlength=len(REASONS))
        return votes, exhausted

    def _advance(self, rows: np.ndarray) -> None:
        """Move each row's lead to its first candidate still in the count (or to the end)."""
        in_count = np.append(self.hopeful | self.elected, False)
        end = self.cand.shape[1]
        while rows.size:
            pos = self.lead[rows] + 1
            self.lead[rows] = pos
            done = in_count[self.padded[rows, pos]] | (pos == end)
            rows = rows[~done]

    def _split(self):
        """Rows whose vote stops at a hopeful candidate before meeting an elected one are fixed
        for the whole round: count them once, and keep only the others for the iterations,
        stripped of excluded candidates and merged when they flow alike."""
        n = self.n
        lead = self.padded[np.arange(len(self.lead)), self.lead]
        hope = np.append(self.hopeful, False)[lead]
        none = lead == n
        static_votes = np.bincount(lead[hope], weights=self.counts[hope], minlength=n)[:n]
        static_exh = np.bincount(self.why[none], weights=self.counts[none],
                                 minlength=len(REASONS))
        dyn = np.flatnonzero(np.append(self.elected, False)[lead])
        sub = self.padded[dyn]
        reached = np.append(self.hopeful, False)[sub]
        stops = reached.any(axis=1)
        first = np.where(stops, reached.argmax(axis=1), sub.shape[1])
        in_count = np.append(self.hopeful | self.elected, False)[sub]
        keep = in_count & (np.arange(sub.shape[1])[None, :] <= first[:, None])
        slot = np.cumsum(keep, axis=1) - 1  # close the gaps: order is all that matters
        width = max(int(slot[:, -1].max()) + 1 if len(dyn) else 0, 1)
        cand = np.full((len(dyn), width), n, dtype=sub.dtype)
        cand[np.nonzero(keep)[0], slot[keep]] = sub[keep]
        why = self.why[dyn]
        why[stops] = 0  # a hopeful takes the rest: how the ballot would end never matters
        cand, counts, why = _merge(cand, self.counts[dyn], why, n)
        return static_votes, static_exh, cand, counts, why

    def quota_for(self, active: float) -> float:
        seats = self.s.seats
        if self.s.quota == "droop":
            return float(np.floor(active / (seats + 1)) + 1)
        if self.s.quota == "droop-exact":
            return active / (seats + 1)
        return active / seats

    def reaches(self, votes: float, quota: float) -> bool:
        v, q = round(votes, DIGITS), round(quota, DIGITS)
        return v > q if self.s.quota == "droop-exact" else v >= q

    def converge(self) -> tuple[np.ndarray, np.ndarray, bool]:
        static_votes, static_exh, cand, counts, why = self._split()
        el = np.flatnonzero(self.elected)
        tol = self.s.tolerance
        for _ in range(MAX_ITERATIONS):
            self.iterations += 1
            votes, exh = self._flow(cand, counts, why)
            votes = votes + static_votes
            exh = exh + static_exh
            self.quota = self.quota_for(self.total - float(exh.sum()))
            if el.size == 0:
                return votes, exh, True
            got = votes[el]
            if np.all(np.abs(got - self.quota) <= tol * max(self.quota, 1.0)):
                return votes, exh, True
            scale = np.divide(self.quota, got, out=np.ones_like(got), where=got > 0)
            self.keep[el] = np.minimum(1.0, self.keep[el] * scale)
        return votes, exh, False

    # -- the count -----------------------------------------------------------------------------
    def snapshot(self, votes: np.ndarray, exh: np.ndarray) -> Round:
        shown = np.flatnonzero(self.shown)
        tallies = {self.names[c]: round(float(votes[c]), DIGITS) for c in shown}
        exhausted = {r: round(float(exh[i]), DIGITS) for i, r in enumerate(REASONS)}
        rnd = Round(len(self.rounds) + 1, tallies, round(self.quota, DIGITS),
                    exhausted=exhausted)
        if self.rounds:
            prev = self.rounds[-1]
            prev.transfers = {k: round(tallies.get(k, 0.0) - v, DIGITS)
                              for k, v in prev.tallies.items()
                              if round(tallies.get(k, 0.0) - v, DIGITS) != 0}
        self.rounds.append(rnd)
        return rnd

    def elect(self, rnd: Round, cands) -> None:
        for c in cands:
            self.hopeful[c] = False
            self.elected[c] = True
            self.winners.append(c)
            rnd.elected.append(self.names[c])

    def run(self) -> Result:
        seats = self.s.seats
        while True:
            votes, exh, settled = self.converge()
            rnd = self.snapshot(votes, exh)
            if not settled:
                rnd.note = (f"keep values still moving after {MAX_ITERATIONS} iterations; "
                            "counted as they stand")
            value = np.round(votes, DIGITS)
            left = seats - len(self.winners)
            hopeful = np.flatnonzero(self.hopeful).tolist()
            reached = [c for c in hopeful if self.reaches(votes[c], self.quota)]
            surplus = False
            if reached:
                order, tb = self.s.order(reached, value, self.history,
                                         f"round {rnd.number} elect")
                rnd.tie_break = tb
                self.elect(rnd, order[:left])
                surplus = any(value[c] > round(self.quota, DIGITS) for c in order[:left])
                left = seats - len(self.winners)
            if left == 0:
                break
            hopeful = np.flatnonzero(self.hopeful).tolist()
            if len(hopeful) <= left:
                order, tb = self.s.order(hopeful, value, self.history,
                                         f"round {rnd.number} elect")
                rnd.tie_break = rnd.tie_break or tb
                self.elect(rnd, order)
                rnd.note = "as many candidates continue as seats remain: all elected"
                break
            if not surplus:
                low = min(value[c] for c in hopeful)
                c, tb = self.s.pick([c for c in hopeful if value[c] == low], self.history,
                                    lowest=True, context=f"round {rnd.number} eliminate")
                rnd.tie_break = rnd.tie_break or tb
                self.hopeful[c] = False
                self.keep[c] = 0.0
                leads = self.padded[np.arange(len(self.lead)), self.lead]
                self._advance(np.flatnonzero(leads == c))
                rnd.eliminated.append(self.names[c])
                self.shown[c] = False
            self.history.append(value)
        undervotes = float(self.s.profile.counts[~self.s.counted].sum())
        extra = {"quota": round(self.quota, DIGITS), "iterations": self.iterations,
                 "undervotes": undervotes,
                 "keep_values": {self.names[c]: round(float(self.keep[c]), DIGITS)
                                 for c in self.winners}}
        return Result("stv", dict(self.s.options), list(self.names),
                      [self.names[c] for c in self.winners], self.rounds,
                      ballots=self.s.profile.total, seed=self.s.seed, extra=extra)
