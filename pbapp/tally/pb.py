"""Participatory-budgeting rules: greedy by score (three variants) and the Method of Equal Shares.

Every rule takes ballots in any form ``pb_scoring`` accepts, a ``budget`` (an exact amount, see
``money``) and the project costs (``costs={id: cost}`` or ``projects=[Project, ...]``), and
returns a ``Result`` listing every project with its cost, score, whether it was funded and why.

Rules shared by all PB methods:
* A project that costs more than the whole budget can never be funded (reason ``"over budget"``);
  greedy rules pass over it, which is how pabulib marks a withdrawn project (cost 999999999)
  without stopping ``greedy-no-skip``. (Equal shares keeps it in its runs, as pabutools does: it
  can only become affordable at a raised voter budget, and that run then overspends.) Projects
  in ``withdrawn`` take no part in any rule.
* **Ties** (equal scores; for equal shares, equal prices within 1e-9) follow ``tiebreak``: one
  choice or several, comma-separated, tried in turn: ``cheaper`` (the default, also spelled
  ``cost``) funds the cheaper project first, ``dearer`` the dearer one, ``more-votes`` the one
  more voters support (for points ballots this differs from the score), ``file-order`` the one
  listed first (the PROJECTS table, or the ``costs`` mapping), ``id`` the lowest project id
  (numeric ids compare as numbers, 2 before 11; pabutools' lexicographic rule for such names),
  ``lottery`` (also ``draw``) a seeded draw. Whatever is still tied after the choices goes to the
  draw, which sorts by ``sha256(f"{seed}|{rule}|{project}")`` (see ``ties``), ``rule`` being
  ``"greedy"`` or ``"equal shares"``. Every tie decided is recorded in its round and listed in
  the result's ``ties``.
* Money is exact (``money``): amounts may have up to 6 decimal places and are counted in whole
  minor units (``PBCount.unit`` per currency unit), so no float sum decides who is funded.
* A greedy rule funds a project that fits even if it scored nothing (as pabutools' greedy does);
  use ``threshold=1`` to require support. Every greedy rule takes ``threshold`` (pabulib's
  ``min_project_score_threshold``: Gdynia counts ``greedy-no-skip`` with one);
  ``greedy-threshold`` requires it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Real
from typing import Any

import numpy as np

from . import money
from .errors import BallotError
from .options import method_options
from .part_funding import part_fund as give_part, share as part_share
from .pb_scoring import PBBallots, pb_ballots
from .profile import _natural_key
from .result import ProjectOutcome, Result, Round
from .ties import DEFAULT_SEED, TieBreak, draw_key

PB_OPTIONS = ("budget", "costs", "projects", "vote_type", "scoring", "max_length", "part_fund")
#: tie-break choices and the rule name each records; then the aliases of earlier versions
TIEBREAKS = {"cheaper": "lower-cost", "dearer": "higher-cost", "more-votes": "more-votes",
             "lottery": "draw", "file-order": "file-order", "id": "id"}
TIEBREAK_ALIASES = {"cost": "cheaper", "draw": "lottery"}
#: relative tolerance under which two scores or prices count as equal
TOL = 1e-9


def tie_choices(method: str, value) -> list[str]:
    """``tiebreak`` as the list of choices tried in turn (see the module docstring)."""
    parts = [p.strip() for p in str(value).split(",")] if isinstance(value, str) else [None]
    chain = [TIEBREAK_ALIASES.get(p, p) for p in parts]
    if not chain or any(p not in TIEBREAKS for p in chain):
        raise BallotError(f"unknown tiebreak {value!r} for {method}; choose "
                          f"{', '.join(TIEBREAKS)} (or several, comma-separated, tried in turn)")
    return chain


@dataclass
class PBCount:
    """A PB count's inputs, checked once: projects by index, costs, budget, points."""

    method: str
    ids: list[str]
    names: list[str]
    costs: np.ndarray  # int64, in minor units
    budget: int  # in minor units
    ballots: PBBallots
    scores: np.ndarray
    #: projects left out before counting: index -> reason
    excluded: dict[int, str]
    seed: Any
    tiebreak: list[str]
    options: dict[str, Any] = field(default_factory=dict)
    #: minor units per currency unit (100 when some amount has cents)
    unit: int = 1
    #: part-funding's share (see ``part_funding``), None when off
    share: Decimal | None = None
    #: the part-funded project, if any: index -> the amount it gets, in minor units
    part: dict[int, int] = field(default_factory=dict)

    def amount(self, minor) -> money.Amount:
        """Minor units back to the amount as published."""
        return money.from_minor(int(minor), self.unit)

    def show(self, minor) -> str:
        return money.show(self.amount(minor))

    def _key(self, choice: str, c: int, context: str):
        if choice == "cheaper":
            return int(self.costs[c])
        if choice == "dearer":
            return -int(self.costs[c])
        if choice == "more-votes":
            return -round(float(self.voters[c]), 9)
        if choice == "file-order":
            return c
        if choice == "id":
            return _natural_key(self.ids[c])
        return draw_key(self.seed, context, self.ids[c])

    @property
    def voters(self) -> np.ndarray:
        if not hasattr(self, "_voters"):
            self._voters = self.ballots.supporters()
        return self._voters

    def tie_order(self, context: str) -> np.ndarray:
        """Rank of each project under the tie rule (lower is funded first among equals)."""
        chain = [*self.tiebreak, "lottery"]
        keys = [tuple(self._key(x, c, context) for x in chain) for c in range(len(self.ids))]
        rank = np.empty(len(self.ids), dtype=np.int64)
        rank[sorted(range(len(self.ids)), key=keys.__getitem__)] = np.arange(len(self.ids))
        return rank

    def tie_break(self, tied: list[int], chosen: int, context: str) -> TieBreak:
        """The record of why ``chosen`` went first among ``tied`` (project indices): the first
        choice of the tie rule that leaves it alone, else the draw."""
        among = [self.ids[c] for c in sorted(tied, key=lambda c: _natural_key(self.ids[c]))]
        name = self.ids[chosen]
        pool = list(tied)
        for choice in self.tiebreak:
            if choice == "lottery":
                break
            best = min(self._key(choice, c, context) for c in pool)
            pool = [c for c in pool if self._key(choice, c, context) == best]
            if len(pool) == 1:
                return TieBreak(among, name, TIEBREAKS[choice], self._why(choice, chosen))
        keys = {self.ids[c]: draw_key(self.seed, context, self.ids[c]) for c in pool}
        return TieBreak(among, name, "draw", f"seeded draw (seed {self.seed!s}, context "
                        f"{context!r}): smallest SHA-256 key", keys)

    def _why(self, choice: str, c: int) -> str:
        name = self.ids[c]
        return {"cheaper": f"{name} costs least ({self.show(self.costs[c])})",
                "dearer": f"{name} costs most ({self.show(self.costs[c])})",
                "more-votes": f"{name} has the most voters ({_fmt(self.voters[c])})",
                "file-order": f"{name} comes first in the order of the projects",
                "id": f"{name} has the lowest project id"}[choice]

    def outcomes(self, funded: dict[int, str], reasons: dict[int, str]) -> list[ProjectOutcome]:
        out = []
        for c, pid in enumerate(self.ids):
            if c in funded:
                reason = funded[c]
            else:
                reason = self.excluded.get(c) or reasons.get(c, "not reached")
            part = self.amount(self.part[c]) if c in self.part else None
            out.append(ProjectOutcome(pid, self.amount(self.costs[c]), float(self.scores[c]),
                                      c in funded, "part-funded" if part is not None else reason,
                                      self.names[c], part))
        return out

    def result(self, order: list[int], funded: dict[int, str], reasons: dict[int, str],
               rounds: list[Round], extra: dict | None = None) -> Result:
        spent = sum(self.part.get(c, int(self.costs[c])) for c in order)
        return Result(self.method, dict(self.options), list(self.ids),
                      [self.ids[c] for c in order], rounds, self.ballots.total, str(self.seed),
                      projects=self.outcomes(funded, reasons), budget=self.amount(self.budget),
                      spent=self.amount(spent), extra=extra or {})


def _project_table(costs, projects, candidates) -> tuple[list[str], list[str], list]:
    if costs is not None and projects is not None:
        raise BallotError("give the project costs once: costs={id: cost} or projects=[...]")
    if projects is not None:
        ids = [str(p.id) for p in projects]
        names = [p.name or "" for p in projects]
        values = [money.amount(p.cost, f"the cost of project {p.id!r}") for p in projects]
    elif costs is not None:
        if not isinstance(costs, Mapping):
            raise BallotError("costs must map each project id to its cost")
        ids = [str(p) for p in costs]
        names = [""] * len(ids)
        values = [money.amount(c, f"the cost of project {p!r}") for p, c in costs.items()]
    else:
        raise BallotError("the project costs are missing: pass costs={project: cost} or "
                          "projects=[Project, ...]")
    if len(set(ids)) != len(ids):
        raise BallotError("project ids must be unique")
    if candidates is not None:
        unknown = [str(c) for c in candidates if str(c) not in set(ids)]
        if unknown:
            raise BallotError(f"no cost given for project(s) {', '.join(unknown)}")
    return ids, names, values


def prepare(method: str, ballots, *, candidates=None, budget=None, costs=None, projects=None,
            vote_type=None, scoring=None, max_length=None, seed=DEFAULT_SEED, withdrawn=None,
            tiebreak=None, seats=None, part_fund=None) -> PBCount:
    """Check the options every PB rule shares and turn the ballots into points."""
    if seats not in (None, 1):
        raise BallotError(f"{method} chooses projects within a budget; seats does not apply")
    if budget is None:
        raise BallotError(f"{method} needs a budget: pass budget=<amount>")
    budget = money.amount(budget, "budget")
    tiebreak = "cost" if tiebreak in (None, "default") else tiebreak
    chain = tie_choices(method, tiebreak)
    ids, names, values = _project_table(costs, projects, candidates)
    points = pb_ballots(ballots, ids, vote_type=vote_type, scoring=scoring, max_length=max_length)
    unit = money.unit_of([budget, *values])
    cost_array = np.array([money.to_minor(v, unit) for v in values], dtype=np.int64)
    excluded: dict[int, str] = {}
    index = {p: i for i, p in enumerate(ids)}
    for pid in withdrawn or ():
        if str(pid) not in index:
            raise BallotError(f"withdrawn project {pid!r} is not one of the projects")
        excluded[index[str(pid)]] = "withdrawn"
    for c, cost in enumerate(values):
        if cost > budget:
            excluded.setdefault(c, "over budget")
    seed = DEFAULT_SEED if seed is None else seed
    options: dict[str, Any] = {"budget": money.to_json(budget), "vote_type": points.vote_type}
    if points.vote_type == "ordinal":
        options["scoring"] = points.scoring
        if points.scoring == "k-points":
            options["max_length"] = (points.max_length if points.max_length is not None
                                     else int(np.bincount(points.rows).max(initial=0)))
    if withdrawn:
        options["withdrawn"] = [str(p) for p in withdrawn]
    options["tiebreak"] = tiebreak
    share = None
    if part_fund is not None:
        share = part_share(part_fund)
        options["part_fund"] = money.to_json(money.whole_or_decimal(share))
    return PBCount(method, ids, names, cost_array, money.to_minor(budget, unit), points,
                   points.scores(), excluded, seed, chain, options, unit, share)


def greedy_order(pb: PBCount, pool: list[int], context: str = "greedy") -> list[int]:
    """``pool`` by descending score, ties by the tie rule."""
    rank = pb.tie_order(context)
    rounded = np.round(pb.scores, 9)
    return sorted(pool, key=lambda c: (-rounded[c], rank[c]))


def run_greedy(pb: PBCount, order: list[int], *, remaining: int, skip: bool,
               first_round: int = 1, context: str = "greedy",
               note_prefix: str = "") -> tuple[list[int], dict[int, str], list[Round]]:
    """Fund ``order`` while money lasts; returns funded projects, reasons for the rest, rounds."""
    funded: list[int] = []
    reasons: dict[int, str] = {}
    rounds: list[Round] = []
    rounded = np.round(pb.scores, 9)
    for pos, c in enumerate(order):
        pending = order[pos:]
        tallies = {pb.ids[d]: float(pb.scores[d]) for d in pending}
        tied = [d for d in pending if rounded[d] == rounded[c]]
        tie = pb.tie_break(tied, c, context) if len(tied) > 1 else None
        cost = int(pb.costs[c])
        shown = pb.show(cost)
        rnd = Round(first_round + len(rounds), tallies, tie_break=tie)
        if cost <= remaining:
            remaining -= cost
            funded.append(c)
            rnd.elected = [pb.ids[c]]
            rnd.note = (f"{note_prefix}{pb.ids[c]} has the highest score left "
                        f"({_fmt(pb.scores[c])}) and fits: {shown} funded, "
                        f"{pb.show(remaining)} left")
        else:
            reasons[c] = "did not fit"
            rnd.eliminated = [pb.ids[c]]
            if skip:
                rnd.note = (f"{note_prefix}{pb.ids[c]} costs {shown}, more than the "
                            f"{pb.show(remaining)} left: skipped")
            else:
                rnd.note = (f"{note_prefix}{pb.ids[c]} costs {shown}, more than the "
                            f"{pb.show(remaining)} left: the count stops here")
                rounds.append(rnd)
                break
        rounds.append(rnd)
    return funded, reasons, rounds


def _fmt(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.6g}"


def _greedy(method: str, ballots, *, skip: bool, threshold=None, **options) -> Result:
    pb = prepare(method, ballots, **options)
    pool = [c for c in range(len(pb.ids)) if c not in pb.excluded]
    reasons: dict[int, str] = {}
    if threshold is not None:
        threshold = _threshold(threshold)
        pb.options["threshold"] = threshold
        for c in list(pool):
            if pb.scores[c] < threshold * (1 - TOL):
                pool.remove(c)
                reasons[c] = "below threshold"
    order = greedy_order(pb, pool)
    funded, more, rounds = run_greedy(pb, order, remaining=pb.budget, skip=skip)
    reasons.update(more)
    whole = {c: "funded" for c in funded}
    if (part := give_part(pb, order, funded, reasons, rounds)) is not None:
        whole[part] = "part-funded"
    return pb.result(funded, whole, reasons, rounds)


def _threshold(value) -> float | int:
    if isinstance(value, Decimal):
        value = float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, bool) or not isinstance(value, Real) or not value >= 0 or \
            not np.isfinite(value):
        raise BallotError(f"threshold must be a non-negative number, not {value!r}")
    return value


@method_options(*PB_OPTIONS, "threshold")
def count_greedy(ballots, **options) -> Result:
    """Fund projects by descending score, skipping any that no longer fits the money left."""
    return _greedy("greedy", ballots, skip=True, **options)


@method_options(*PB_OPTIONS, "threshold")
def count_greedy_no_skip(ballots, **options) -> Result:
    """Fund by descending score and stop at the first project that does not fit (Wrocław rule)."""
    return _greedy("greedy-no-skip", ballots, skip=False, **options)


@method_options(*PB_OPTIONS, "threshold")
def count_greedy_threshold(ballots, *, threshold=None, **options) -> Result:
    """Greedy among projects scoring at least ``threshold`` points (a minimum-support rule)."""
    if threshold is None:
        raise BallotError("greedy-threshold needs threshold=<minimum score> (pabulib: META "
                          "min_project_score_threshold)")
    return _greedy("greedy-threshold", ballots, skip=True, threshold=threshold, **options)


@method_options(*PB_OPTIONS, "completion")
def count_equal_shares(ballots, *, completion=None, **options) -> Result:
    """Method of Equal Shares, optionally completed (see ``equal_shares``)."""
    from .equal_shares import equal_shares

    return equal_shares(prepare("equal-shares", ballots, **options), completion)


__all__ = ["count_greedy", "count_greedy_no_skip", "count_greedy_threshold",
           "count_equal_shares", "prepare", "PBCount"]
