"""Single transferable vote for several seats, with every stage, exactly as published counts do it.

``variant`` picks the rules:

``"scottish"`` (default)
    The Scottish Local Government Elections Order 2007 (SSI 2007/42, schedule 1, rules 45-52):
    quota floor(valid / (seats + 1)) + 1; everyone reaching it is elected; surpluses are moved
    one per stage, largest first, by weighted inclusive Gregory: every paper of the elected
    candidate moves at ``surplus x value / total``, truncated to ``decimals`` places (5); excluded
    candidates' papers move at their current value; ties look at the most recent earlier stage
    where the tied candidates differed, then a seeded draw stands in for the lot; when as many
    candidates continue as seats remain they are all elected and nothing more is moved.
``"rctab"``
    RCTab's multi-winner rules, to reproduce its reports: threshold from the first round's active
    votes; each round either elects (``multiple_per_round``: everyone over the threshold, else only
    the top one) and moves all their surpluses at once, at a surplus fraction truncated to
    ``decimals`` (4) and then a per-paper value truncated again, or eliminates the lowest. After
    the last seat is filled one more round shows the final surpluses leaving the count.
``"meek"``
    Meek STV (``stv_meek``): keep values iterated until elected candidates hold the quota within
    ``tolerance``; the quota is recomputed from the votes not yet exhausted.

Other options: ``seats``, ``seed``, ``withdrawn`` (names), ``tiebreak`` (a mode of
``ties.TIEBREAK_MODES``; ``"previous-round"``, the default, is the Scottish rule), ``quota``:
``"droop"`` (whole votes, the default), ``"droop-exact"`` (floored to ``decimals`` plus one unit;
Meek's default, where it is active / (seats + 1) and must be exceeded), ``"hare"`` and
``"hare-exact"`` (valid / seats, rounded up). Ballot rules go to ``ballot_rules.apply_rules``
(skipped ranks, overvotes, repeats): ``overvote``, ``max_skipped``, ``duplicate``,
``max_rankings``. Ballots marking nothing are undervotes: not counted, reported in ``extra``.

``Result.extra``: ``quota``; ``undervotes``; ``residual_surplus`` (value lost to truncation, in no
tally and no inactive reason); ``final_round_surplus`` (rctab); ``iterations`` and
``keep_values`` (meek). "Valid" votes for the quota are those counting at the first stage.

RCTab config -> options: ``winnerElectionMode`` multiWinnerAllowMultipleWinnersPerRound ->
``variant="rctab", multiple_per_round=True`` (``...OnlyOneWinnerPerRound`` -> False);
``decimalPlacesForVoteArithmetic`` -> ``decimals``; ``nonIntegerWinningThreshold`` ->
``quota="droop-exact"``; ``hareQuota`` -> ``quota="hare"`` (or ``"hare-exact"``).

Arithmetic is exact: a paper's value is an int64 count of 10**-decimals units and the new values
of a transfer are computed once per distinct value with Python integers. Each distinct ranking is
one row (see ``profile``); a transfer moves only the rows sitting with the candidate concerned.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .ballot_rules import apply_rules, check_rules, has_marks
from .errors import BallotError
from .options import method_options, positive_int
from .profile import (EXHAUST_DUPLICATE, EXHAUST_OVERVOTE, EXHAUST_SKIPPED, OVERVOTE, PAD,
                      REASONS, Profile)
from .result import Result, Round
from .ties import DEFAULT_SEED, TieBreak, TieBreaker

VARIANTS = ("scottish", "rctab", "meek")
QUOTAS = ("droop", "droop-exact", "hare", "hare-exact")
RULE_OPTIONS = ("overvote", "max_skipped", "duplicate", "max_rankings")
DEFAULT_DECIMALS = {"scottish": 5, "rctab": 4}
MAX_DECIMALS = 9

#: stop code -> index into REASONS ("why a ballot stops counting"); other negative codes are passed
#: (an ``OVERVOTE`` left by ``overvote="exhaust_if_multiple"`` is decided as the count reaches it)
_STOP = {PAD: "exhausted_choices", OVERVOTE: "overvote", EXHAUST_OVERVOTE: "overvote",
         EXHAUST_SKIPPED: "skipped_rankings", EXHAUST_DUPLICATE: "repeated_rankings"}
STOP_LUT = np.full(16, -1, dtype=np.int64)  # indexed by -code
for _code, _reason in _STOP.items():
    STOP_LUT[-_code] = REASONS.index(_reason)
UNKNOWN_STOP = REASONS.index("exhausted_choices")


@dataclass
class Setup:
    """Checked options shared by the fixed-point and Meek counts."""

    profile: Profile
    seats: int
    variant: str
    decimals: int | None
    quota: str
    multiple_per_round: bool
    tolerance: float
    seed: str
    breaker: TieBreaker
    withdrawn: list[int]
    counted: np.ndarray  # rows that mark anything; the others are undervotes, not counted
    options: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return self.profile.candidates

    def pick(self, tied, history, *, lowest: bool, context: str) -> tuple[int, TieBreak | None]:
        """One of ``tied`` (a single candidate needs no tie-break)."""
        tied = sorted(int(c) for c in tied)
        if len(tied) == 1:
            return tied[0], None
        return self.breaker.pick(tied, history, lowest=lowest, context=context)

    def order(self, cands, values, history, context: str) -> tuple[list[int], TieBreak | None]:
        """Candidates by value, highest first; equal values settled by the tie-break rule."""
        left = sorted(int(c) for c in cands)
        out, last_tb = [], None
        while left:
            top = max(values[c] for c in left)
            c, tb = self.pick([c for c in left if values[c] == top], history, lowest=False,
                              context=context)
            last_tb = tb or last_tb
            out.append(c)
            left.remove(c)
        return out, last_tb


@method_options("variant", "decimals", "quota", "multiple_per_round", "tolerance", *RULE_OPTIONS)
def count_stv(profile: Profile, *, seats=1, seed=DEFAULT_SEED, withdrawn=None,
              tiebreak="previous-round",
              variant: str = "scottish", decimals=None, quota: str | None = None,
              multiple_per_round=None, tolerance=None, **rules) -> Result:
    """Count ``profile`` by STV; see the module docstring for the variants and options."""
    setup = _setup(profile, seats=seats, seed=seed, withdrawn=withdrawn, tiebreak=tiebreak,
                   variant=variant, decimals=decimals, quota=quota,
                   multiple_per_round=multiple_per_round, tolerance=tolerance, rules=rules)
    if setup.variant == "meek":
        from .stv_meek import count_meek
        return count_meek(setup)
    return FixedCount(setup).run()


def _setup(profile: Profile, *, seats, seed, withdrawn, tiebreak, variant, decimals, quota,
           multiple_per_round, tolerance, rules) -> Setup:
    if not isinstance(profile, Profile):
        raise BallotError("stv counts a Profile (see pbapp.tally.from_ballots)")
    if variant not in VARIANTS:
        raise BallotError(f"stv: unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    quota = quota or ("droop-exact" if variant == "meek" else "droop")
    if quota not in QUOTAS:
        raise BallotError(f"stv: unknown quota {quota!r}; choose one of {', '.join(QUOTAS)}")
    seats = positive_int("seats", seats)
    names = list(profile.candidates)
    gone = _withdrawn(names, withdrawn)
    if seats > len(names) - len(gone):
        raise BallotError(f"stv: {seats} seats but only {len(names) - len(gone)} candidate(s) "
                          "standing")
    places = _places(variant, decimals)
    multiple = _multiple(variant, multiple_per_round)
    tol = _tolerance(tolerance)
    tiebreak = tiebreak or "previous-round"
    breaker = TieBreaker(tiebreak, names, seed)
    checked = check_rules(**{k: v for k, v in rules.items() if v is not None})
    if variant == "meek" and checked.overvote == "exhaust_if_multiple":
        raise BallotError("overvote='exhaust_if_multiple' depends on who is still continuing, "
                          "which Meek STV does not settle one ballot at a time; use 'exhaust' "
                          "or 'skip'")
    counted = has_marks(profile, checked.max_rankings)
    prepared = profile
    if any(v is not None for v in rules.values()) or not profile.is_clean:
        prepared = apply_rules(profile, **checked.to_dict())
    options = {"seats": seats, "variant": variant, "quota": quota, "tiebreak": tiebreak}
    if places is not None:
        options["decimals"] = places
    if variant == "rctab":
        options["multiple_per_round"] = multiple
    if variant == "meek":
        options["tolerance"] = tol
    if gone:
        options["withdrawn"] = [names[i] for i in gone]
    options.update(checked.to_dict())
    return Setup(prepared, seats, variant, places, quota, multiple, tol, str(seed), breaker,
                 gone, counted, options)


def _withdrawn(names: list[str], withdrawn) -> list[int]:
    if withdrawn is None:
        return []
    if isinstance(withdrawn, str):
        withdrawn = [withdrawn]
    index = {n: i for i, n in enumerate(names)}
    unknown = [str(w) for w in withdrawn if str(w) not in index]
    if unknown:
        raise BallotError(f"withdrawn candidate {unknown[0]!r} is not a candidate")
    return sorted({index[str(w)] for w in withdrawn})


def _places(variant: str, decimals) -> int | None:
    """Fixed-point decimals (Meek keeps full precision and only records the option)."""
    if decimals is None:
        return DEFAULT_DECIMALS.get(variant)
    places = positive_int("decimals", decimals, minimum=0)
    if places > MAX_DECIMALS:
        raise BallotError(f"decimals must be at most {MAX_DECIMALS}, not {decimals!r}")
    return places


def _multiple(variant: str, value) -> bool:
    if value is None:
        return True
    if not isinstance(value, bool):
        raise BallotError(f"multiple_per_round must be true or false, not {value!r}")
    if not value and variant != "rctab":
        raise BallotError(f"multiple_per_round=False applies to variant='rctab' (RCTab's "
                          f"one-winner-per-round rule); {variant} elects everyone who reaches "
                          "the quota")
    return value


def _tolerance(value) -> float:
    if value is None:
        return 1e-9
    try:
        tol = float(value)
    except (TypeError, ValueError):
        raise BallotError(f"tolerance must be a number, not {value!r}") from None
    if not 0 < tol < 1:
        raise BallotError(f"tolerance must be between 0 and 1, not {value!r}")
    return tol


def whole_counts(profile: Profile) -> np.ndarray:
    """Ballot counts as int64; fixed-point rules truncate per paper, so a paper must be whole."""
    counts = profile.counts
    whole = np.rint(counts)
    if (np.abs(counts - whole) > 1e-9).any() or (counts < 0).any():
        raise BallotError("fixed-point STV needs whole, non-negative ballot counts; use "
                          "variant='meek' for weighted ballots")
    return whole.astype(np.int64)


class Papers:
    """Where each distinct ranking stands and what one paper of it is worth (in units)."""

    def __init__(self, profile: Profile, continuing: np.ndarray, unit: int):
        codes = profile.rankings
        n = codes.shape[0]
        self.overvotes = profile.overvotes
        self.codes = np.concatenate([codes, np.full((n, 1), PAD, dtype=np.int32)], axis=1)
        self.count = whole_counts(profile)
        self.value = np.full(n, unit, dtype=np.int64)
        self.pos = np.full(n, -1, dtype=np.int64)
        self.cur = np.full(n, -1, dtype=np.int64)  # candidate index; -1 once the ballot stops
        self.continuing = continuing
        self.tally = np.zeros(len(continuing), dtype=np.float64)  # exact: whole units < 2**53
        self.inactive = np.zeros(len(REASONS), dtype=np.float64)
        self.final_surplus = 0
        if int(self.count.sum()) * unit >= 2 ** 53:
            raise BallotError("too many ballots for this many decimals; lower decimals")

    def advance(self, rows: np.ndarray, final: bool = False) -> None:
        """Move ``rows`` on to their next continuing preference, or stop them with a reason.

        ``final``: what stops counts as the final-round surplus, not as inactive ballots (RCTab).
        """
        ncand = len(self.continuing)
        while rows.size:
            pos = self.pos[rows] + 1
            self.pos[rows] = pos
            code = self.codes[rows, pos]
            is_cand = code >= 0
            ok = is_cand.copy()
            ok[is_cand] = self.continuing[code[is_cand]]
            why = np.full(rows.size, -1, dtype=np.int64)
            neg = ~is_cand
            why[neg] = STOP_LUT[np.minimum(-code[neg], len(STOP_LUT) - 1)]
            why[neg & (code < -(len(STOP_LUT) - 1))] = UNKNOWN_STOP
            for j in np.flatnonzero(code == OVERVOTE).tolist():
                live = self._overvote(int(rows[j]), int(pos[j]))
                if live is None:
                    why[j] = -1  # none of the marks continues: on to the next rank
                elif live >= 0:
                    why[j], ok[j], code[j] = -1, True, live
            stop = neg & (why >= 0)
            if ok.any():
                moved = rows[ok]
                self.cur[moved] = code[ok]
                self.tally += np.bincount(code[ok], weights=self._weight(moved), minlength=ncand)
            if stop.any():
                ended = rows[stop]
                self.cur[ended] = -1
                if final:
                    self.final_surplus += int(self._weight(ended).sum())
                else:
                    self.inactive += np.bincount(why[stop], weights=self._weight(ended),
                                                 minlength=len(REASONS))
            rows = rows[~(ok | stop)]

    def _overvote(self, row: int, col: int) -> int | None:
        """``exhaust_if_multiple``: -1 (exhaust) if two or more marks continue, the one that
        does, or None to go on."""
        live = [c for c in self.overvotes[(row, col)] if self.continuing[c]]
        if len(live) > 1:
            return -1
        return live[0] if live else None

    def _weight(self, rows: np.ndarray) -> np.ndarray:
        return (self.count[rows] * self.value[rows]).astype(np.float64)

    def rows_of(self, c: int) -> np.ndarray:
        return np.flatnonzero(self.cur == c)

    def exclude(self, c: int) -> None:
        self.continuing[c] = False
        self.advance(self.rows_of(c))
        self.tally[c] = 0.0

    def transfer_surplus(self, c: int, quota: int, unit: int, fraction_first: bool,
                         final: bool = False) -> int:
        """Move every paper of elected ``c`` on at its share of the surplus; return the residual.

        Scottish rule 48(3): new value = surplus x value / total, truncated. RCTab first truncates
        the fraction surplus / total, then truncates value x fraction.
        """
        total = int(self.tally[c])
        surplus = total - quota
        rows = self.rows_of(c)
        if surplus <= 0 or rows.size == 0:
            return 0
        values, inverse = np.unique(self.value[rows], return_inverse=True)
        if fraction_first:
            frac = surplus * unit // total
            new = [int(v) * frac // unit for v in values.tolist()]
        else:
            new = [surplus * int(v) // total for v in values.tolist()]
        self.value[rows] = np.asarray(new, dtype=np.int64)[inverse]
        moved = int(np.dot(self.count[rows], self.value[rows]))
        self.advance(rows, final=final)
        self.tally[c] = quota
        return surplus - moved


def quota_units(kind: str, active: int, seats: int, unit: int) -> int:
    """The quota in units from the active votes (in units)."""
    if kind == "droop":
        return (active // unit // (seats + 1) + 1) * unit
    if kind == "droop-exact":
        return active // (seats + 1) + 1
    if kind == "hare":
        return -(-active // (seats * unit)) * unit
    return -(-active // seats)  # hare-exact


class FixedCount:
    """Scottish and RCTab counts: one Round per stage, tallies in exact units."""

    def __init__(self, setup: Setup):
        self.s = setup
        self.names = setup.names
        n = len(self.names)
        self.unit = 10 ** setup.decimals
        cont = np.ones(n, dtype=bool)
        cont[setup.withdrawn] = False
        self.shown = cont.copy()  # candidates listed in the round tallies
        self.p = Papers(setup.profile, cont, self.unit)
        self.rounds: list[Round] = []
        self.history: list[np.ndarray] = []
        self.winners: list[int] = []
        self.residual = 0
        self.just_excluded: int | None = None

    def snapshot(self) -> Round:
        """Record the stage totals; the previous round's transfers are what changed since."""
        u = self.unit
        tallies = {self.names[c]: float(self.p.tally[c]) / u for c in np.flatnonzero(self.shown)}
        exhausted = {r: float(self.p.inactive[i]) / u for i, r in enumerate(REASONS)}
        rnd = Round(len(self.rounds) + 1, tallies, self.quota / u, exhausted=exhausted)
        if self.rounds:
            prev = self.rounds[-1]
            prev.transfers = {k: (round((tallies.get(k, 0.0) - v) * u) / u)
                              for k, v in prev.tallies.items() if tallies.get(k, 0.0) != v}
        self.rounds.append(rnd)
        return rnd

    def show(self, units) -> str:
        """A number of units as the decimal the count works in, without trailing zeros."""
        text = f"{int(units) / self.unit:.{self.s.decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    def continuing(self) -> list[int]:
        return np.flatnonzero(self.p.continuing).tolist()

    def elect(self, rnd: Round, cands: list[int]) -> None:
        for c in cands:
            self.p.continuing[c] = False
            self.winners.append(c)
            rnd.elected.append(self.names[c])

    def exclude_lowest(self, rnd: Round) -> None:
        tally = self.p.tally
        cont = self.continuing()
        low = min(tally[c] for c in cont)
        c, tb = self.s.pick([c for c in cont if tally[c] == low], self.history, lowest=True,
                            context=f"round {rnd.number} eliminate")
        rnd.tie_break = rnd.tie_break or tb
        self.p.exclude(c)
        rnd.eliminated.append(self.names[c])
        self.just_excluded = c

    def run(self) -> Result:
        p = self.p
        p.advance(np.flatnonzero(self.s.counted))
        active = int(p.tally.sum())
        self.quota = quota_units(self.s.quota, active, self.s.seats, self.unit)
        if self.s.variant == "rctab":
            self._run_rctab()
        else:
            self._run_scottish()
        return self._result()

    def _stage_end(self) -> None:
        """Keep the stage for later tie-breaks; an excluded candidate leaves later tallies."""
        self.history.append(self.p.tally.copy())
        if self.just_excluded is not None:
            self.shown[self.just_excluded] = False
            self.just_excluded = None

    def _run_scottish(self) -> None:
        seats, tally, quota = self.s.seats, self.p.tally, self.quota
        pending: list[int] = []
        while True:
            rnd = self.snapshot()
            left = seats - len(self.winners)
            reached = [c for c in self.continuing() if tally[c] >= quota]
            if reached:
                order, tb = self.s.order(reached, tally, self.history,
                                         f"round {rnd.number} elect")
                rnd.tie_break = tb
                self.elect(rnd, order[:left])
                pending += [c for c in order[:left] if tally[c] > quota]
                left = seats - len(self.winners)
            if left == 0:
                return
            cont = self.continuing()
            if len(cont) <= left:  # rule 52: the rest are elected, nothing more is moved
                order, tb = self.s.order(cont, tally, self.history, f"round {rnd.number} elect")
                rnd.tie_break = rnd.tie_break or tb
                self.elect(rnd, order)
                rnd.note = "as many candidates continue as seats remain: all elected"
                return
            if pending:  # rule 49: the largest surplus first
                top = max(tally[c] for c in pending)
                c, tb = self.s.pick([c for c in pending if tally[c] == top], self.history,
                                    lowest=False, context=f"round {rnd.number} surplus")
                rnd.tie_break = rnd.tie_break or tb
                pending.remove(c)
                surplus = self.show(tally[c] - quota)
                self.residual += self.p.transfer_surplus(c, quota, self.unit, False)
                rnd.note = f"surplus of {self.names[c]} ({surplus}) transferred"
            else:
                self.exclude_lowest(rnd)
            self._stage_end()

    def _run_rctab(self) -> None:
        seats, tally, quota = self.s.seats, self.p.tally, self.quota
        while True:
            rnd = self.snapshot()
            left = seats - len(self.winners)
            cont = self.continuing()
            if len(cont) <= left:
                won = cont
            else:
                won = [c for c in cont if tally[c] >= quota]
            if won:
                order, tb = self.s.order(won, tally, self.history, f"round {rnd.number} elect")
                rnd.tie_break = tb
                order = order[:left] if self.s.multiple_per_round else order[:1]
                self.elect(rnd, order)
                final = len(self.winners) == seats
                for c in order:
                    self.residual += self.p.transfer_surplus(c, quota, self.unit, True, final)
                if final:
                    self._stage_end()
                    last = self.snapshot()
                    if self.p.final_surplus:
                        gone = self.show(self.p.final_surplus)
                        last.note = f"final surpluses ({gone}) leave the count"
                    return
            else:
                self.exclude_lowest(rnd)
            self._stage_end()

    def _result(self) -> Result:
        u = self.unit
        extra = {"quota": self.quota / u, "residual_surplus": self.residual / u,
                 "undervotes": float(self.s.profile.counts[~self.s.counted].sum())}
        if self.s.variant == "rctab":
            extra["final_round_surplus"] = self.p.final_surplus / u
        return Result("stv", dict(self.s.options), list(self.names),
                      [self.names[c] for c in self.winners], self.rounds,
                      ballots=self.s.profile.total, seed=self.s.seed, extra=extra)
