"""Our PB rules fund what pabutools funds, on small random instances.

Ties: pabutools breaks them by project name (lexicographic). We count with ``tiebreak="id"``,
which does the same for these names (p0..p6), so every instance is compared, ties included;
a tie counts when prices agree within 1e-9 (pabutools uses exact fractions, and with these
small integers distinct prices differ far more than that).

The reference calls: greedy = ``greedy_utilitarian_welfare`` (it ranks by satisfaction per
unit of cost, so the satisfaction is "points x cost", making it rank by points, our greedy;
with ``Cost_Sat`` on approval ballots that is the number of approvals); equal shares =
``method_of_equal_shares`` with ``Cost_Sat`` (approval) or ``Additive_Cardinal_Sat`` (points);
add1 = the same with ``voter_budget_increment=1``.
"""
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pabutools.election import (  # noqa: E402
    AdditiveSatisfaction, ApprovalBallot, ApprovalProfile, Additive_Cardinal_Sat, CardinalBallot,
    CardinalProfile, Cost_Sat, Instance, Project)
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares  # noqa: E402

from pbapp.tally import count, equal_shares_engine  # noqa: E402
from pbapp.tally.equal_shares_engine import Engine, add1, exhaustive, spent  # noqa: E402
from pbapp.tally.pb import prepare  # noqa: E402

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


class PointsTimesCost(AdditiveSatisfaction):
    """Satisfaction whose total per unit of cost is the project's points: greedy by score."""

    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot,
                         lambda inst, prof, bal, proj, pre: bal.get(proj, 0) * proj.cost)


@st.composite
def instances(draw, cardinal: bool, wide: bool = False):
    m = draw(st.integers(2, 7 if wide else 6))
    names = [f"p{i}" for i in range(m)]
    costs = {p: draw(st.integers(1, 300 if wide else 20)) for p in names}
    budget = draw(st.integers(1, 900 if wide else 50))
    voters = draw(st.integers(1, 12 if wide else 8))
    ballots = []
    for _ in range(voters):
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=m, unique=True))
        if cardinal:
            ballots.append({p: draw(st.integers(1, 5)) for p in sorted(chosen)})
        else:
            ballots.append(frozenset(chosen))
    return costs, budget, ballots


def reference(costs, budget, ballots):
    projects = {p: Project(p, c) for p, c in costs.items()}
    instance = Instance(projects.values(), budget_limit=budget)
    if isinstance(ballots[0], dict):
        profile = CardinalProfile([CardinalBallot({projects[p]: v for p, v in b.items()})
                                   for b in ballots])
    else:
        profile = ApprovalProfile([ApprovalBallot({projects[p] for p in b}) for b in ballots])
    return instance, profile


def names(allocation) -> list[str]:
    return [p.name for p in allocation]


def ours(ballots, costs, budget, method, **options):
    vote_type = "cumulative" if isinstance(ballots[0], dict) else "approval"
    return count(ballots, method=method, budget=budget, costs=costs, vote_type=vote_type,
                 tiebreak="id", **options).winners


@SETTINGS
@given(st.booleans().flatmap(instances))
def test_greedy_matches_pabutools(case):
    costs, budget, ballots = case
    instance, profile = reference(costs, budget, ballots)
    sat = PointsTimesCost if isinstance(ballots[0], dict) else Cost_Sat
    expected = names(greedy_utilitarian_welfare(instance, profile, sat_class=sat))
    assert ours(ballots, costs, budget, "greedy") == expected


@SETTINGS
@given(st.booleans().flatmap(instances))
def test_equal_shares_matches_pabutools(case):
    costs, budget, ballots = case
    instance, profile = reference(costs, budget, ballots)
    sat = Additive_Cardinal_Sat if isinstance(ballots[0], dict) else Cost_Sat
    expected = names(method_of_equal_shares(instance, profile, sat_class=sat))
    assert ours(ballots, costs, budget, "equal-shares") == expected


@SETTINGS
@given(st.booleans().flatmap(instances))
def test_equal_shares_add1_matches_pabutools(case):
    costs, budget, ballots = case
    instance, profile = reference(costs, budget, ballots)
    sat = Additive_Cardinal_Sat if isinstance(ballots[0], dict) else Cost_Sat
    expected = names(method_of_equal_shares(instance, profile, sat_class=sat,
                                            voter_budget_increment=1))
    assert ours(ballots, costs, budget, "equal-shares", completion="add1") == expected


@SETTINGS
@given(st.booleans().flatmap(instances))
def test_equal_shares_rare_price_paths_match_pabutools(case):
    """Force the price search's fallbacks (sorting; all supporters instead of the poorest)."""
    costs, budget, ballots = case
    instance, profile = reference(costs, budget, ballots)
    sat = Additive_Cardinal_Sat if isinstance(ballots[0], dict) else Cost_Sat
    expected = names(method_of_equal_shares(instance, profile, sat_class=sat))
    with patch.object(equal_shares_engine, "_FIXED_POINT_PASSES", 0), \
            patch.object(equal_shares_engine, "_CAP", 1.0000001):
        assert ours(ballots, costs, budget, "equal-shares") == expected


@SETTINGS
@given(st.booleans().flatmap(instances))
def test_add1_then_greedy_adds_greedy_picks_within_budget(case):
    """No reference rule exists for the combination: check it is add1 plus greedy's fill."""
    costs, budget, ballots = case
    base = ours(ballots, costs, budget, "equal-shares", completion="add1")
    full = ours(ballots, costs, budget, "equal-shares", completion="add1-then-greedy")
    assert full[:len(base)] == base
    left = budget - sum(costs[p] for p in full)
    assert left >= 0
    assert all(costs[p] > left for p in costs if p not in full)


def unit_by_unit(pb, engine):
    """add1 as defined: every per-voter budget B/n, B/n + 1, ... in turn."""
    t0 = pb.budget / engine.n
    current, step = engine.run(t0), 0
    while not exhaustive(pb, engine, current.selected):
        trial = engine.run(t0 + step + 1)
        if spent(pb, trial.selected) > pb.budget:
            break
        current, step = trial, step + 1
    return current.selected, t0 + step


@SETTINGS
@given(st.booleans().flatmap(lambda cardinal: instances(cardinal, wide=True)),
       st.sampled_from(["id", "cost", "draw"]))
def test_add1_skipping_matches_the_unit_by_unit_loop(case, tiebreak):
    """The add1 loop skips voter budgets it proves give the same run: it must not change the
    outcome nor the final voter budget, over wide budget ranges (hundreds of units)."""
    costs, budget, ballots = case
    vote_type = "cumulative" if isinstance(ballots[0], dict) else "approval"
    pb = prepare("equal-shares", ballots, budget=budget, costs=costs, vote_type=vote_type,
                 tiebreak=tiebreak)
    engine = Engine(pb)
    expected, t = unit_by_unit(pb, engine)
    found, _ = add1(pb, engine)
    assert found.selected == expected
    assert found.t == pytest.approx(t)
