"""Issue 17: every tie is named in the result (``ties``), and ``tiebreak`` offers the rules
cities use, so a city's own choice can be reproduced."""
import pytest

from pbapp.tally import BallotError, count
from pbapp.tally.formats.pabulib import parse_pb
from pbapp.tally.ties import draw_key
from pbfile import pb_text

# p1 and p2 tie at 10 points; only one of them fits the 50; p3 fits after either
PROJECTS = [{"project_id": "p1", "cost": "40"}, {"project_id": "p2", "cost": "30"},
            {"project_id": "p3", "cost": "10"}]
VOTES = [("p1", "10"), ("p2,p3", "5,1"), ("p2", "5")]  # p2: 2 voters, p1: 1


def election(votes=VOTES, vote_type="cumulative", rule="greedy"):
    return parse_pb(pb_text({"budget": "50", "rule": rule}, PROJECTS, votes,
                            vote_type=vote_type))


@pytest.mark.parametrize("tiebreak, winners, rule", [
    (None, ["p2", "p3"], "lower-cost"),
    ("cheaper", ["p2", "p3"], "lower-cost"),
    ("dearer", ["p1", "p3"], "higher-cost"),
    ("more-votes", ["p2", "p3"], "more-votes"),
    ("file-order", ["p1", "p3"], "file-order"),
    ("dearer,more-votes", ["p1", "p3"], "higher-cost"),
    ("more-votes,file-order", ["p2", "p3"], "more-votes"),
])
def test_tie_break_choices(tiebreak, winners, rule):
    result = election().count(tiebreak=tiebreak)
    assert result.winners == winners
    (tie,) = result.to_dict()["ties"]
    assert tie["among"] == ["p1", "p2"] and tie["chosen"] == winners[0]
    assert tie["alternatives"] == [p for p in ("p1", "p2") if p != winners[0]]
    assert tie["rule"] == rule and tie["round"] == 1
    assert tie["decides_funding"] is True


def test_a_criterion_that_does_not_separate_falls_to_the_next():
    approval = [("p1",), ("p2,p3",)]  # approval: votes and score are the same count
    result = election(approval, "approval").count(tiebreak="more-votes,dearer")
    assert result.winners == ["p1", "p3"]
    assert result.to_dict()["ties"][0]["rule"] == "higher-cost"


@pytest.mark.parametrize("seed", ["1", "2", "3", "4", "5"])
def test_lottery_with_a_seed(seed):
    result = election().count(tiebreak="lottery", seed=seed)
    keys = {p: draw_key(seed, "greedy", p) for p in ("p1", "p2")}
    assert result.winners[0] == min(keys, key=keys.get)
    tie = result.to_dict()["ties"][0]
    assert tie["rule"] == "draw" and tie["keys"] == keys and seed in tie["detail"]


def test_lottery_outcome_depends_on_the_seed():
    firsts = {election().count(tiebreak="lottery", seed=str(s)).winners[0] for s in range(8)}
    assert firsts == {"p1", "p2"}


def test_a_tie_that_changes_nothing_is_named_but_not_decisive():
    projects = {"a": 10, "b": 10}
    result = count([{"a"}, {"b"}], method="greedy", budget=50, costs=projects)
    (tie,) = result.to_dict()["ties"]
    assert tie["among"] == ["a", "b"] and tie["decides_funding"] is False


def test_equal_shares_ties_are_named_and_follow_the_choice():
    costs = {"a": 30, "b": 30}
    ballots = [{"a", "b"}, {"a", "b"}]  # both priced alike; once one is paid, nothing is left
    for tiebreak, first in (("file-order", "a"), ("id", "a")):
        result = count(ballots, method="equal-shares", budget=30, costs=costs,
                       tiebreak=tiebreak)
        assert result.winners == [first]
        (tie,) = result.to_dict()["ties"]
        assert tie["among"] == ["a", "b"] and tie["decides_funding"] is True
    reverse = count(ballots, method="equal-shares", budget=30, costs={"b": 30, "a": 30},
                    tiebreak="file-order")
    assert reverse.winners == ["b"]


def test_ranked_methods_list_their_ties_too():
    result = count([("a",), ("b",), ("c",), ("c",)], method="irv")
    ties = result.to_dict()["ties"]
    assert ties and ties[0]["among"] == ["a", "b"] and ties[0]["rule"] in ("draw",
                                                                           "previous-round")


def test_unknown_tie_break_is_refused():
    with pytest.raises(BallotError, match="cheaper, dearer, more-votes, lottery, file-order"):
        election().count(tiebreak="coin")


def test_no_tie_no_ties():
    result = count([{"a"}, {"a", "b"}], method="greedy", budget=50, costs={"a": 10, "b": 10})
    assert result.to_dict()["ties"] == []
