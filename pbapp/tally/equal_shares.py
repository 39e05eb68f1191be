"""The Method of Equal Shares (Peters–Skowron), vectorised, with the add1 completion.

The budget is split equally among the voters; a project is funded when its supporters can pay
its cost from their shares, each paying in proportion to the utility they get from it, and the
project whose supporters pay the least per unit of utility (``rho``) goes first. Utilities:
approval ballots use **cost utilities** (a supporter of a project gets utility equal to its cost,
the equalshares.net default, so each supporter pays an equal part and ``rho`` is the fraction of
the cost one supporter carries); points ballots (ranked with a scoring function, cumulative) use
the points. Voters with identical ballots always hold identical budgets, so each distinct ballot
is one row of the budget vector.

``completion``:
  ``None`` or ``"none"``  the plain method (it usually leaves money unspent);
  ``"add1"``              pabulib's ``equalshares/add1``: rerun with each voter's budget raised by
                          one currency unit (B/n, B/n + 1, B/n + 2, ...; one whole unit
                          whatever the decimals of the amounts) until the outcome uses the budget
                          up (no supported project fits the money left) or the next one would cost
                          more than the budget; keep the last outcome within budget. This is
                          pabutools' ``voter_budget_increment=1``.
  ``"add1-then-greedy"``  then fund what still fits, by descending score (reason "completion").

Speed: see ``equal_shares_engine`` (vectorised runs; the add1 loop skips budgets it can prove
give the same outcome).
"""
from __future__ import annotations

from .equal_shares_engine import Engine, Run, spent, add1
from .errors import BallotError
from .part_funding import part_fund
from .pb import PBCount, _fmt, greedy_order, run_greedy
from .result import Result, Round

COMPLETIONS = (None, "add1", "add1-then-greedy")


def equal_shares(pb: PBCount, completion=None) -> Result:
    """Count ``pb`` with the Method of Equal Shares and the chosen completion."""
    if completion == "none":  # spelled out, for callers that drop None-valued options
        completion = None
    if completion not in COMPLETIONS:
        raise BallotError(f"unknown completion {completion!r} for equal-shares; choose none, "
                          "add1 or add1-then-greedy")
    pb.options["completion"] = completion
    pb.options["utility"] = "cost" if pb.ballots.vote_type in ("approval", "choose-1") else "points"
    engine = Engine(pb)
    if engine.n <= 0:
        final_t, runs, selected = 0.0, 0, []
        record = Run(0.0, [])
    else:
        t = pb.budget / engine.n
        runs = 1
        if completion is not None:
            found, runs = add1(pb, engine)
            t = found.t
        record = engine.run(t, record=True)
        final_t, selected = t, record.selected
    rounds = _rounds(pb, engine, record)
    order = list(selected)
    funded = {c: "equal shares" for c in order}
    support = pb.ballots.supporters()
    reasons = {c: "not affordable" if support[c] > 0 else "no support"
               for c in range(len(pb.ids)) if c not in funded}
    if completion == "add1-then-greedy":
        pool = [c for c in range(len(pb.ids)) if c not in funded and c not in pb.excluded]
        more, why, extra_rounds = run_greedy(
            pb, greedy_order(pb, pool), remaining=pb.budget - spent(pb, order), skip=True,
            first_round=len(rounds) + 1, note_prefix="completion: ")
        rounds += extra_rounds
        order += more
        funded.update({c: "completion" for c in more})
        reasons.update(why)
    if pb.share is not None:
        pool = [c for c in range(len(pb.ids)) if c not in funded and c not in pb.excluded]
        part = part_fund(pb, greedy_order(pb, pool), order, reasons, rounds)
        if part is not None:
            funded[part] = "part-funded"
    extra = {"voter_budget": round(final_t / pb.unit, 6), "runs": runs}
    return pb.result(order, funded, reasons, rounds, {"equal_shares": extra})


def _rounds(pb: PBCount, engine: Engine, run: Run) -> list[Round]:
    rounds = []
    supporters = pb.ballots.supporters()
    per_point = 1 if engine.cost_utility else pb.unit  # rho per point in currency units
    for number, (prices, chosen, tied, alpha) in enumerate(run.steps, start=1):
        tallies = {pb.ids[c]: float(prices[c]) / per_point
                   for c in sorted(prices, key=prices.__getitem__)}
        alpha = alpha / pb.unit
        tie = pb.tie_break(tied, chosen, "equal shares") if len(tied) > 1 else None
        pid = pb.ids[chosen]
        if engine.cost_utility:
            pay = (f"its {_fmt(supporters[chosen])} supporters pay at most {_fmt(alpha)} each "
                   f"(rho {prices[chosen]:.6g}: the share of the cost one supporter carries)")
        else:
            pay = f"its supporters pay {_fmt(alpha)} per point (rho), at most their budget"
        rounds.append(Round(number, tallies, elected=[pid], tie_break=tie,
                            note=f"{pid} costs {pb.show(pb.costs[chosen])}; {pay}. Tallies are "
                                 "each affordable project's rho; the lowest is funded."))
    return rounds
