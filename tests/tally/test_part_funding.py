"""Part-funding (issue 19): the money a budget rule leaves goes to the first proposal that does
not fit, when it covers the set share of its cost. Pure: no app, no database."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from pbapp.tally import BallotError, count
from pbapp.tally.cli import main
from pbapp.tally.part_funding import share

from pbfile import pb_file

BALLOTS = [["a", "b"], ["a"], ["b", "c"], ["c"]] * 3
COSTS = {"a": 60, "b": 60, "c": 30}


@pytest.mark.parametrize("method", ["greedy", "greedy-no-skip"])
def test_greedy_gives_what_is_left_to_the_first_that_does_not_fit(method):
    off = count(BALLOTS, method=method, budget=100, costs=COSTS)
    on = count(BALLOTS, method=method, budget=100, costs=COSTS, part_fund="10%")
    assert off.winners == ["a", "c"] and off.spent == 90
    assert on.winners == ["a", "c", "b"] and on.spent == 100
    b = next(p for p in on.projects if p.id == "b")
    assert (b.funded, b.reason, b.part) == (True, "part-funded", 10)
    assert on.to_dict()["projects"][1]["part_funded"] == 10
    assert on.to_dict()["options"]["part_fund"] == 0.1
    assert "part-funded with 10 of 60" in on.rounds[-1].note
    assert "part_funded" not in off.to_dict()["projects"][1]


def test_share_not_reached_funds_no_one_in_part():
    result = count(BALLOTS, method="greedy", budget=100, costs=COSTS, part_fund=0.5)
    assert result.winners == ["a", "c"]
    assert all(p.part is None for p in result.projects)


def test_only_the_first_that_does_not_fit_is_looked_at():
    # d (cost 15) comes after b in the order; 10 left is 2/3 of d, but b is the one looked at
    costs = {**COSTS, "d": 15}
    ballots = [*BALLOTS, ["d"]]
    result = count(ballots, method="greedy", budget=100, costs=costs, part_fund=0.5)
    assert result.winners == ["a", "c"] and all(p.part is None for p in result.projects)


def test_exact_cents_decide():
    costs = {"a": Decimal("60.00"), "b": Decimal("80.02")}
    result = count([["a"], ["a"], ["b"]], method="greedy", budget=Decimal("100.01"),
                   costs=costs, part_fund="50%")
    # 40.01 left: exactly half of 80.02 is 40.01, so b is part-funded
    assert result.winners == ["a", "b"]
    assert result.projects[1].part == Decimal("40.01")
    result = count([["a"], ["a"], ["b"]], method="greedy", budget=Decimal("100.00"),
                   costs=costs, part_fund="50%")
    assert result.winners == ["a"]


def test_over_budget_and_withdrawn_are_never_part_funded():
    result = count([["big"], ["big"], ["a"]], method="greedy", budget=100,
                   costs={"big": 150, "a": 40}, part_fund="1%")
    assert result.winners == ["a"]
    assert result.projects[0].reason == "over budget"


def test_equal_shares_order_is_its_completion_order():
    # equal shares funds c only; a and b (score order a first) cost more than the 70 left?
    # no: both cost 60 < 70, so they keep the rule's verdict and no one is part-funded
    result = count(BALLOTS, method="equal-shares", budget=100, costs=COSTS, part_fund="1%")
    assert result.winners == ["c"]
    costs = {"a": 90, "b": 80, "c": 30}
    result = count(BALLOTS, method="equal-shares", budget=100, costs=costs, part_fund="50%")
    assert result.winners[0] == "c"
    assert result.winners[-1] == "a" and result.projects[0].part == 70  # a outscores b
    assert result.spent == 100


@pytest.mark.parametrize("text, expected", [("0.5", Decimal("0.5")), ("50%", Decimal("0.5")),
                                            ("1", Decimal(1)), ("100%", Decimal(1)),
                                            (0.25, Decimal("0.25")), ("12.5%", Decimal("0.125"))])
def test_share_reads_fractions_and_percents(text, expected):
    assert share(text) == expected


@pytest.mark.parametrize("bad", ["0", "0%", "50", "150%", "-0.5", "½", "²", "0.5\x00", "nan",
                                 "", "1e-1", "50 %%", True, None, "9" * 40])
def test_share_refuses_anything_else(bad):
    with pytest.raises(BallotError, match="part_fund"):
        share(bad)


def test_ranked_methods_refuse_part_funding():
    with pytest.raises(BallotError, match="unknown option"):
        count([["a"]], method="irv", part_fund=0.5)


@st.composite
def elections(draw):
    n = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(n)]
    costs = {p: Decimal(draw(st.integers(1, 20_000))) / 100 for p in ids}
    budget = Decimal(draw(st.integers(0, 40_000))) / 100
    ballots = draw(st.lists(st.lists(st.sampled_from(ids), min_size=1, max_size=n, unique=True),
                            min_size=1, max_size=12))
    return ballots, costs, budget


@settings(max_examples=60, deadline=None)
@given(elections(), st.sampled_from(["greedy", "greedy-no-skip", "equal-shares"]),
       st.integers(1, 100))
def test_properties(election, method, percent):
    ballots, costs, budget = election
    result = count(ballots, method=method, budget=budget, costs=costs, part_fund=f"{percent}%")
    plain = count(ballots, method=method, budget=budget, costs=costs)
    parts = [p for p in result.projects if p.part is not None]
    assert len(parts) <= 1
    assert result.spent <= budget
    assert sum(p.part if p.part is not None else p.cost
               for p in result.projects if p.funded) == result.spent
    assert plain.winners == result.winners[:len(plain.winners)]  # only ever one added, last
    assert len(result.winners) - len(plain.winners) == len(parts)
    for p in parts:
        assert p.part < p.cost
        assert p.part * 100 >= p.cost * percent  # the share is respected
        assert p.part == budget - plain.spent  # it gets exactly what was left


def test_cli_part_fund_matches_the_library(tmp_path, capsys):
    path = pb_file(tmp_path, {"budget": "100", "vote_type": "approval"},
                   [{"project_id": "a", "cost": 60}, {"project_id": "b", "cost": 60},
                    {"project_id": "c", "cost": 30}],
                   [("a,b",), ("a",), ("a",), ("b,c",), ("c",)])
    assert main([str(path), "--json", "--part-fund", "0.1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winners"] == ["a", "c", "b"]
    assert data["projects"][1]["part_funded"] == 10 and data["spent"] == 100
    assert main([str(path), "--part-fund", "10%"]) == 0
    assert "part-funded: 10 of 60" in capsys.readouterr().out
    assert main([str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == ["a", "c"]


@pytest.mark.parametrize("bad", ["50", "0", "abc", "١"])
def test_cli_refuses_a_bad_share_in_one_line(tmp_path, capsys, bad):
    path = pb_file(tmp_path, {}, [{"project_id": "a", "cost": 60}], [("a",)])
    assert main([str(path), "--part-fund", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pbapp-tally: error:") and "part_fund" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_refuses_part_funding_a_ranked_count(tmp_path, capsys):
    path = tmp_path / "e.blt"
    path.write_text("2 1\n1 1 2 0\n0\n\"A\"\n\"B\"\n\"e\"\n", encoding="utf-8")
    assert main([str(path), "--part-fund", "0.5"]) == 2
    assert "budget methods" in capsys.readouterr().err
