"""The engine behind ``equal_shares``: runs of the method, vectorised, and the add1 loop.

Voters with identical ballots always hold identical budgets, so each distinct ballot is one
entry of the budget vector; each project's supporters are a slice of a compressed-column index.

A price is found by a few vectorised passes over the project's supporters (poor supporters pay
all they have; the rest share equally) instead of sorting them, and prices are re-evaluated
lazily: budgets only fall, so a stale price is a lower bound and only projects whose stale
price beats the current best are recomputed.

The add1 loop skips budgets it can prove give the same run. For a fixed sequence of funded
projects, raising the starting budget ``t`` never lowers anyone's remaining budget and so never
raises a price. Hence, if runs at ``t_lo < t_hi`` fund the same sequence and, at every step, the
funded project's price at ``t_lo`` (its highest over the interval) still beats every rival's
price at ``t_hi`` (their lowest), every budget in between funds that same sequence; a price with
no poor supporter at ``t_lo`` stays exactly as it is, so ties between such prices are decided
the same way throughout. The same fact makes a run at a higher budget a *floor* for the runs
below it: its prices are lower bounds there, which spares most re-pricing. The loop returns
exactly what the unit-by-unit loop returns (checked against it in the tests' reference runs).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .pb import TOL, PBCount

_FIXED_POINT_PASSES = 8
#: supporters under this multiple of the equal share are the ones checked for being poor
_CAP = 2.0


@dataclass
class Run:
    """One run of the method at per-voter budget ``t``."""

    t: float
    selected: list[int]
    #: per step: the funded project's price (rho)
    keys: list[float] = field(default_factory=list)
    #: per step: projects priced exactly with no poor supporter (that price holds for larger t)
    steady: list[dict[int, float]] = field(default_factory=list)
    #: per step: the price (or a lower bound of it) of every project still affordable
    bounds: list[dict[int, float]] = field(default_factory=list)
    #: whether every budget between the compared run's and this one gives this run
    certified: bool = False
    #: per step (record runs): (prices of every affordable project, chosen, tied, unit price)
    steps: list[tuple[dict[int, float], int, list[int], float]] = field(default_factory=list)


def _solve(cost, total, ratio, wb, wu, alpha, limit, cap):
    """Fixed point of the price over a subset of supporters holding every possibly poor one.

    Returns (price, number of poor supporters, exact), or None when the price reaches ``cap``
    (voters outside the subset might then be poor too).
    """
    poor = ratio < alpha
    npoor = int(np.count_nonzero(poor))
    passes = 0
    while npoor:
        if alpha > limit:
            return alpha, npoor, False
        passes += 1
        if passes > _FIXED_POINT_PASSES:
            alpha, poor = _sorted_price(cost, ratio, wb, wu, total)
            break
        rich = total - float(wu[poor].sum())
        if rich <= total * 1e-12:  # everyone pays all they have
            alpha = float(ratio.max())
            poor = ratio < alpha
            break
        alpha = (cost - float(wb[poor].sum())) / rich
        poor = ratio < alpha
        more = int(np.count_nonzero(poor))
        if more == npoor:
            break
        npoor = more
    if alpha >= cap:
        return None
    return alpha, int(np.count_nonzero(poor)), True


def _sorted_price(cost, ratio, wb, wu, total):
    """Exact price by sorting supporters (the fallback when budgets are very spread).

    With the k poorest paying all they have, the rest share what is left at price
    ``candidate[k]``; the answer is the first k whose next supporter can pay that share (or,
    over a subset, k = all of it when supporters outside the subset remain to share).
    """
    order = np.argsort(ratio, kind="stable")
    paid = np.concatenate(([0.0], np.cumsum(wb[order])))
    rich = total - np.concatenate(([0.0], np.cumsum(wu[order])))
    with np.errstate(divide="ignore", invalid="ignore"):
        candidate = (cost - paid) / rich
    ok = np.append(ratio[order] >= candidate[:-1] * (1 - TOL), rich[-1] > total * 1e-12)
    alpha = float(candidate[int(np.argmax(ok))]) if ok.any() else float(ratio.max())
    return alpha, ratio < alpha


class Engine:
    """Supporters of each project in compressed-column form, and the run loop."""

    def __init__(self, pb: PBCount):
        ballots = pb.ballots
        m = len(pb.ids)
        # a project over the whole budget still takes part: at a raised voter budget (add1)
        # it may become affordable, and that run then overspends, which stops the loop
        eligible = np.ones(m, dtype=bool)
        eligible[[c for c, why in pb.excluded.items() if why == "withdrawn"]] = False
        keep = eligible[ballots.cols]
        cols = ballots.cols[keep]
        # a stable sort of small integers is a radix sort: keep the column type narrow
        narrow = np.int16 if m < 2 ** 15 else np.int32
        order = np.argsort(cols.astype(narrow), kind="stable")
        cols = cols[order]
        self.grp = ballots.rows[keep][order]
        self.cost_utility = ballots.vote_type in ("approval", "choose-1")
        # with cost utilities every supporter pays the same: work in unit utilities and
        # divide the per-supporter price by the cost to get rho
        self.util = (np.ones(len(cols)) if self.cost_utility
                     else ballots.points[keep][order].astype(np.float64))
        self.ptr = np.searchsorted(cols, np.arange(m + 1))
        self.w = ballots.weights
        self.we = self.w[self.grp]
        self.wu = self.we * self.util
        self.total_wu = np.bincount(cols, weights=self.wu, minlength=m)
        self.costs = pb.costs.astype(np.float64)
        self.scale = np.where((pb.costs > 0) & self.cost_utility, 1.0 / np.maximum(self.costs, 1),
                              1.0)
        self.n = float(self.w.sum())
        self.candidates = [c for c in range(m) if eligible[c] and self.total_wu[c] > 0]
        self.rank = pb.tie_order("equal shares")

    # -- one project's price -------------------------------------------------------------
    def first_price(self, c: int, t: float):
        """``price`` while every budget is still ``t``, for approval: all supporters pay alike."""
        cost, total = self.costs[c], self.total_wu[c]
        if total * t < cost * (1 - TOL):
            return None, True, False
        if cost > total * t:  # affordable only within rounding: everyone pays all they have
            return t, True, False
        return cost / total, True, True

    def price(self, c: int, b: np.ndarray, limit: float = math.inf, start: float = 0.0):
        """(price per unit of utility or None if unaffordable, exact, steady).

        Starting from "everyone shares equally", supporters who cannot pay their share pay all
        they have and the rest share what is left; each pass only raises the price, so once it
        passes ``limit`` (the best price so far) the project cannot win and we stop early with
        a lower bound (``exact`` False). Any lower bound is a valid start, so we start from the
        last price known (``start``; budgets only fall, so prices only rise), and the passes run
        over the supporters whose budget is under twice that, falling back to all of them if
        the price climbs that far. ``steady``: no supporter is poor.
        """
        s, e = self.ptr[c], self.ptr[c + 1]
        bi = b[self.grp[s:e]]
        we = self.we[s:e]
        cost = self.costs[c]
        wb = we * bi
        if float(wb.sum()) < cost * (1 - TOL):
            return None, True, False
        total = self.total_wu[c]
        ratio = bi if self.cost_utility else bi / self.util[s:e]
        alpha = max(cost / total, start)
        low = np.flatnonzero(ratio < alpha * _CAP)
        if not len(low):
            return alpha, True, alpha * total <= cost * (1 + TOL)
        wu = self.wu[s:e]
        found = _solve(cost, total, ratio[low], wb[low], wu[low], alpha, limit,
                       alpha * _CAP if len(low) < len(ratio) else math.inf)
        if found is None:
            found = _solve(cost, total, ratio, wb, wu, alpha, limit, math.inf)
        alpha, npoor, exact = found
        return alpha, exact, exact and npoor == 0

    # -- a whole run -----------------------------------------------------------------------
    def run(self, t: float, *, record: bool = False, against: Run | None = None,
            floor: Run | None = None) -> Run:
        """The method with every voter starting at budget ``t``.

        ``record`` prices every affordable project at every step (for the published rounds)
        instead of lazily. ``against``: a run at a lower budget to certify this one against.
        ``floor``: a run at a higher budget; while this run funds what it funded, its prices
        are lower bounds here (and what it could not afford, neither can we), which spares
        most re-pricing.
        """
        b = np.full(len(self.w), float(t))
        out = Run(t, [], certified=against is not None)
        key: dict[int, float] = {}  # price (rho), or a lower bound of it while not exact
        alpha_of: dict[int, float] = {}
        exact: set[int] = set()
        steady: dict[int, float] = {}

        def reprice(c: int, limit: float) -> bool:
            if self.cost_utility and not out.selected:
                alpha, ok, still = self.first_price(c, t)
            else:
                alpha, ok, still = self.price(c, b, limit / self.scale[c], alpha_of.get(c, 0.0))
            if alpha is None:
                return False
            key[c], alpha_of[c] = alpha * self.scale[c], alpha
            if ok:
                exact.add(c)
                if still:
                    steady[c] = key[c]
            return True

        active = [c for c in self.candidates if reprice(c, math.inf)]
        while active:
            step = len(out.selected)
            if floor is not None and step < len(floor.bounds):
                if step and out.selected[-1] != floor.selected[step - 1]:
                    floor = None
                else:
                    self._raise(floor.bounds[step], active, key, alpha_of, exact)
            active.sort(key=key.__getitem__)
            best = math.inf
            for c in list(active):
                if not record and key[c] > best * (1 + TOL):
                    break
                if c not in exact:
                    if not reprice(c, math.inf if record else best * (1 + TOL)):
                        active.remove(c)
                        continue
                    if c not in exact:  # priced above the best so far: cannot win this step
                        continue
                best = min(best, key[c])
            if not active:
                break
            tied = [c for c in active if c in exact and key[c] <= best * (1 + TOL)]
            chosen = min(tied, key=self.rank.__getitem__)
            if out.certified:
                out.certified = self._certify(against, len(out.selected), chosen, active, key,
                                              exact, reprice)
            if record:
                out.steps.append(({c: key[c] for c in active}, chosen, tied, alpha_of[chosen]))
            out.keys.append(key[chosen])
            out.steady.append(dict(steady))
            out.bounds.append({c: key[c] for c in active})
            self._pay(chosen, alpha_of[chosen], b)
            out.selected.append(chosen)
            active.remove(chosen)
            exact.clear()
            steady.clear()
        if against is not None and len(against.selected) != len(out.selected):
            out.certified = False
        return out

    def _raise(self, bounds: dict[int, float], active: list[int], key, alpha_of, exact):
        """Lift stale prices to a higher-budget run's bounds; drop what it could not afford."""
        for c in list(active):
            bound = bounds.get(c)
            if bound is None:
                active.remove(c)
            elif c not in exact and bound > key[c]:
                key[c] = bound
                alpha_of[c] = bound / self.scale[c]

    def _certify(self, lo: Run, step: int, chosen: int, active: list[int], key, exact,
                 reprice) -> bool:
        """Whether every budget from ``lo.t`` up to now makes the same choice at this step.

        Rivals' prices here are their lowest over the interval, the chosen project's price in
        ``lo`` its highest; a rival whose bound is too weak is priced exactly first.
        """
        if step >= len(lo.selected) or lo.selected[step] != chosen:
            return False
        top = lo.keys[step]
        rivals = [d for d in active if d != chosen]
        if not rivals or min(key[d] for d in rivals) > top * (1 + TOL):
            return True  # the common case: every rival's bound clears the bar outright
        fixed = lo.steady[step]
        first = self.rank[chosen]
        for d in rivals:
            while True:
                low = max(key[d], fixed.get(d, 0.0))
                ok = top <= low * (1 + TOL) if self.rank[d] > first else low > top * (1 + TOL)
                if ok or d in exact:
                    break
                if not reprice(d, math.inf):  # unaffordable now, so all the way down too
                    active.remove(d)
                    ok = True
                    break
            if not ok:
                return False
        return True

    def _pay(self, c: int, alpha: float, b: np.ndarray) -> None:
        s, e = self.ptr[c], self.ptr[c + 1]
        g = self.grp[s:e]
        share = alpha if self.cost_utility else alpha * self.util[s:e]
        b[g] = np.maximum(b[g] - share, 0.0)


def spent(pb: PBCount, selected: list[int]) -> int:
    return int(sum(int(pb.costs[c]) for c in selected))


def exhaustive(pb: PBCount, engine: Engine, selected: list[int]) -> bool:
    left = pb.budget - spent(pb, selected)
    chosen = set(selected)
    return all(pb.costs[c] > left for c in engine.candidates if c not in chosen)


def add1(pb: PBCount, engine: Engine, min_stride: int = 4) -> tuple[Run, int]:
    """The add1 loop; returns the last run within budget and how many runs it took.

    Steps count currency units; a run's budget is in minor units (``pb.unit`` per step).

    It looks ``stride`` units ahead: if that run certifies the interval, the loop jumps there
    and doubles the stride. Otherwise the interval is bisected: each midpoint run is certified
    against the current run (jumping there if it holds) and takes the nearest failed run above
    it as its floor; failed runs wait on a stack and become unit steps when reached, so none is
    wasted and every unit step is checked exactly as the one-by-one loop would.
    """
    t0, unit = pb.budget / engine.n, pb.unit
    current = engine.run(t0)
    step, runs, stride = 0, 1, min_stride  # the current run is at per-voter budget t0 + step
    above: list[tuple[int, Run]] = []  # failed look-aheads, nearest last
    while not exhaustive(pb, engine, current.selected):
        if not above:
            trial = engine.run(t0 + (step + stride) * unit, against=current)
            runs += 1
            if trial.certified:
                current, step, stride = trial, step + stride, stride * 2
            else:
                above.append((step + stride, trial))
                stride = max(min_stride, stride // 2)
            continue
        target, ahead = above[-1]
        if target == step + 1:
            above.pop()
            if spent(pb, ahead.selected) > pb.budget:
                break
            current, step = ahead, target
            continue
        mid = (step + target) // 2
        trial = engine.run(t0 + mid * unit, against=current, floor=ahead)
        runs += 1
        if trial.certified:
            current, step = trial, mid
        else:
            above.append((mid, trial))
    current.t = t0 + step * unit
    return current, runs
