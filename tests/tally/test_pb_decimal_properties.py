"""``pbapp-tally`` agrees with pabutools on random files with decimal costs, decimal budgets
and score thresholds (issue 17).

Each instance is written as a ``.pb`` file and counted by the command itself (in-process,
``--json``); pabutools counts the same instance with exact fractions. Ties: ``--tie-break id``
is pabutools' lexicographic order for these names (p0..p6). The greedy reference ranks by
points as in ``test_pb_properties``; a threshold drops the projects below it first, which is
what ``min_project_score_threshold`` means.
"""
import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.election import (
    Additive_Cardinal_Sat, ApprovalBallot, ApprovalProfile, CardinalBallot, CardinalProfile,
    Cost_Sat, Instance, Project)
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from pbapp.tally.cli import main
from pbfile import pb_text
from test_pb_properties import PointsTimesCost

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def money(draw, low, high):
    return Decimal(draw(st.integers(low, high))) / 100


@st.composite
def instances(draw):
    cumulative = draw(st.booleans())
    m = draw(st.integers(2, 6))
    names = [f"p{i}" for i in range(m)]
    costs = {p: money(draw, 1, 2000) for p in names}
    budget = money(draw, 100, 5000)
    votes = []
    for _ in range(draw(st.integers(1, 8))):
        chosen = sorted(draw(st.lists(st.sampled_from(names), min_size=1, max_size=m,
                                      unique=True)))
        if cumulative:
            votes.append({p: draw(st.integers(1, 5)) for p in chosen})
        else:
            votes.append({p: 1 for p in chosen})
    threshold = Decimal(draw(st.integers(0, 12))) / (2 if cumulative else 1)
    rule = draw(st.sampled_from(["greedy", "greedy-threshold", "equalshares",
                                 "equalshares/add1"]))
    return cumulative, costs, budget, votes, threshold, rule


def write(tmp_path, case) -> str:
    cumulative, costs, budget, votes, threshold, rule = case
    meta = {"budget": str(budget), "rule": rule}
    if rule == "greedy-threshold":
        meta["min_project_score_threshold"] = str(threshold)
    rows = [(",".join(v), ",".join(str(x) for x in v.values())) if cumulative
            else (",".join(v),) for v in votes]
    path = tmp_path / "random.pb"
    path.write_text(pb_text(meta, [{"project_id": p, "cost": str(c)} for p, c in costs.items()],
                            rows, vote_type="cumulative" if cumulative else "approval"),
                    encoding="utf-8")
    return str(path)


def reference(case) -> list[str]:
    cumulative, costs, budget, votes, threshold, rule = case
    scores = {p: sum(v.get(p, 0) for v in votes) for p in costs}
    keep = [p for p in costs if rule != "greedy-threshold" or scores[p] >= threshold]
    projects = {p: Project(p, Fraction(str(costs[p]))) for p in keep}
    instance = Instance(projects.values(), budget_limit=Fraction(str(budget)))
    if cumulative:
        profile = CardinalProfile([CardinalBallot({projects[p]: x for p, x in v.items()
                                                   if p in projects}) for v in votes])
    else:
        profile = ApprovalProfile([ApprovalBallot({projects[p] for p in v if p in projects})
                                   for v in votes])
    if rule.startswith("greedy"):
        sat = PointsTimesCost if cumulative else Cost_Sat
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    else:
        sat = Additive_Cardinal_Sat if cumulative else Cost_Sat
        chosen = method_of_equal_shares(instance, profile, sat_class=sat,
                                        voter_budget_increment=1 if "add1" in rule else None)
    return [p.name for p in chosen]


@SETTINGS
@given(case=instances())
def test_pbapp_tally_matches_pabutools_with_decimal_money(tmp_path, capsys, case):
    path = write(tmp_path, case)
    assert main([path, "--json", "--tie-break", "id"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    expected = reference(case)
    assert sorted(data["winners"]) == sorted(expected)
    if case[-1].startswith("greedy"):
        assert data["winners"] == expected
    spent = sum((case[1][p] for p in data["winners"]), Decimal(0))
    assert Decimal(str(data["spent"])) == spent <= case[2]
    assert Decimal(str(data["money_left"])) == case[2] - spent
