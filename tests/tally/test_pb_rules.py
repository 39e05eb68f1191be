"""Participatory-budgeting rules on small examples worked out by hand."""
import pytest

from pbapp.tally import BallotError, Project, count, from_ballots

COSTS = {"a": 5, "b": 4, "c": 6}
APPROVALS = [{"a", "b"}, {"a"}, {"c"}]  # scores a 2, b 1, c 1


def outcome(result):
    return {p.id: (p.funded, p.reason) for p in result.projects}


# -- greedy -------------------------------------------------------------------------------
def test_greedy_funds_by_score_and_skips_what_does_not_fit():
    r = count(APPROVALS, method="greedy", budget=10, costs=COSTS)
    assert r.winners == ["a", "b"]
    assert r.spent == 9 and r.budget == 10
    assert outcome(r) == {"a": (True, "funded"), "b": (True, "funded"),
                          "c": (False, "did not fit")}
    assert [p.score for p in r.projects] == [2, 1, 1]
    assert r.rounds[2].eliminated == ["c"] and "skipped" in r.rounds[2].note


def test_greedy_tie_goes_to_the_cheaper_project_and_is_recorded():
    r = count(APPROVALS, method="greedy", budget=10, costs=COSTS)
    tie = r.rounds[1].tie_break
    assert tie.among == ["b", "c"] and tie.chosen == "b" and tie.rule == "lower-cost"
    assert r.options["tiebreak"] == "cost"


def test_greedy_equal_cost_tie_is_a_seeded_draw_that_depends_on_the_seed():
    costs = {"x": 5, "y": 5}
    picks = set()
    for seed in range(8):
        r = count([{"x"}, {"y"}], method="greedy", budget=5, costs=costs, seed=seed)
        assert r.rounds[0].tie_break.rule == "draw"
        assert set(r.rounds[0].tie_break.keys) == {"x", "y"}
        picks.add(r.winners[0])
        again = count([{"x"}, {"y"}], method="greedy", budget=5, costs=costs, seed=seed)
        assert again.winners == r.winners
    assert picks == {"x", "y"}


def test_tiebreak_id_takes_the_lowest_id_numerically():
    r = count([{"10"}, {"9"}], method="greedy", budget=5, costs={"10": 5, "9": 5},
              tiebreak="id")
    assert r.winners == ["9"]


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit():
    costs = {"a": 8, "b": 5, "c": 1}
    ballots = [{"a", "b", "c"}, {"a", "b"}, {"a"}]
    assert count(ballots, method="greedy", budget=10, costs=costs).winners == ["a", "c"]
    r = count(ballots, method="greedy-no-skip", budget=10, costs=costs)
    assert r.winners == ["a"]
    assert outcome(r)["b"] == (False, "did not fit")
    assert outcome(r)["c"] == (False, "not reached")
    assert "stops" in r.rounds[-1].note


def test_a_project_over_the_whole_budget_takes_no_part():
    """How pabulib marks a withdrawn project (cost 999999999) without stopping no-skip."""
    costs = {"gone": 999_999_999, "a": 8, "b": 2}
    ballots = [{"gone"}, {"gone"}, {"gone", "a"}, {"a"}, {"b"}]
    r = count(ballots, method="greedy-no-skip", budget=10, costs=costs)
    assert r.winners == ["a", "b"]
    assert outcome(r)["gone"] == (False, "over budget")


def test_withdrawn_projects_are_left_out():
    r = count(APPROVALS, method="greedy", budget=10, costs=COSTS, withdrawn=["a"])
    assert r.winners == ["b", "c"]
    assert outcome(r)["a"] == (False, "withdrawn")
    with pytest.raises(BallotError, match="withdrawn project 'z'"):
        count(APPROVALS, method="greedy", budget=10, costs=COSTS, withdrawn=["z"])


def test_greedy_threshold():
    r = count(APPROVALS, method="greedy-threshold", budget=10, costs=COSTS, threshold=2)
    assert r.winners == ["a"]
    assert outcome(r)["b"] == (False, "below threshold")
    assert r.options["threshold"] == 2
    with pytest.raises(BallotError, match="needs threshold"):
        count(APPROVALS, method="greedy-threshold", budget=10, costs=COSTS)


# -- ballot forms and scoring -------------------------------------------------------------
RANKINGS = [("a", "b", "c"), ("a", "b", "c"), ("c", "a")]


def scores(result):
    return {p.id: p.score for p in result.projects}


def test_k_points_gives_k_for_a_first_choice():
    r = count(RANKINGS, method="greedy", budget=100, costs=COSTS)
    assert scores(r) == {"a": 8, "b": 4, "c": 5}  # 3-2-1
    assert r.options["scoring"] == "k-points" and r.options["max_length"] == 3
    r = count(RANKINGS, method="greedy", budget=100, costs=COSTS, max_length=5)
    assert scores(r) == {"a": 14, "b": 8, "c": 11}  # 5-4-3
    with pytest.raises(BallotError, match="k-points"):
        count(RANKINGS, method="greedy", budget=100, costs=COSTS, max_length=2)


def test_borda_dowdall_and_explicit_points():
    borda = count(RANKINGS, method="greedy", budget=100, costs=COSTS, scoring="borda")
    assert scores(borda) == {"a": 5, "b": 2, "c": 2}  # m - p with m = 3
    dowdall = count(RANKINGS, method="greedy", budget=100, costs=COSTS, scoring="dowdall")
    assert scores(dowdall) == pytest.approx({"a": 2.5, "b": 1, "c": 2 / 3 + 1})
    listed = count(RANKINGS, method="greedy", budget=100, costs=COSTS, scoring=[5, 3, 1])
    assert scores(listed) == {"a": 13, "b": 6, "c": 7}
    with pytest.raises(BallotError, match="unknown scoring"):
        count(RANKINGS, method="greedy", budget=100, costs=COSTS, scoring="plurality")


def test_pairs_profiles_and_plain_ballots_agree():
    plain = count(RANKINGS, method="greedy", budget=9, costs=COSTS)
    pairs = count([(2, ("a", "b", "c")), (1, ("c", "a"))], method="greedy", budget=9,
                  costs=COSTS)
    profile = count(from_ballots(RANKINGS), method="greedy", budget=9, costs=COSTS)
    assert plain.winners == pairs.winners == profile.winners == ["a", "b"]
    assert scores(plain) == scores(pairs) == scores(profile)
    assert pairs.ballots == 3


def test_a_repeated_rank_counts_once():
    r = count([("a", "b", "a")], method="greedy", budget=100, costs=COSTS)
    assert scores(r) == {"a": 2, "b": 1, "c": 0}  # k = 2 marks left after the repeat


def test_cumulative_and_choose_one_ballots():
    r = count([{"a": 3, "c": 7}, {"b": 10}, {"c": 2}], method="greedy", budget=10,
              costs=COSTS, vote_type="cumulative")
    assert scores(r) == {"a": 3, "b": 10, "c": 9}
    assert r.winners == ["b", "c"]
    r = count([["a"], ["b"], ["b"], []], method="greedy", budget=5, costs=COSTS,
              vote_type="choose-1")
    assert r.winners == ["b"] and r.ballots == 4
    with pytest.raises(BallotError, match="at most one project"):
        count([["a", "b"]], method="greedy", budget=5, costs=COSTS, vote_type="choose-1")


def test_projects_list_gives_costs_and_names():
    projects = [Project("a", 5, "Park"), Project("b", 4, "Library")]
    r = count([{"a"}, {"a", "b"}], method="greedy", budget=6, projects=projects)
    assert [(p.id, p.name, p.cost, p.funded) for p in r.projects] == [
        ("a", "Park", 5, True), ("b", "Library", 4, False)]


# -- errors -------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, ballots, message", [
    ({"budget": 10, "costs": COSTS}, [{"a", "z"}], "unknown project 'z'"),
    ({"budget": 10, "costs": COSTS}, [("a", "z")], "unknown project 'z'"),
    ({"budget": 10, "costs": {"a": -5}}, [{"a"}], "cost of project 'a' cannot be negative"),
    ({"budget": 10, "costs": {"a": "2.5e1"}}, [{"a"}], "amount of money"),  # 2.5 is fine
    ({"costs": COSTS}, [{"a"}], "needs a budget"),
    ({"budget": -1, "costs": COSTS}, [{"a"}], "budget cannot be negative"),
    ({"budget": 10}, [{"a"}], "project costs are missing"),
    ({"budget": 10, "costs": COSTS, "tiebreak": "coin"}, [{"a"}], "unknown tiebreak"),
    ({"budget": 10, "costs": COSTS, "seats": 3}, [{"a"}], "seats does not apply"),
    ({"budget": 10, "costs": COSTS, "colour": 3}, [{"a"}], "unknown option"),
    ({"budget": 10, "costs": COSTS, "vote_type": "ordinal"}, [{"a": 1}], "must be sequences"),
    ({"budget": 10, "costs": COSTS, "vote_type": "approval"}, [("a", "b", "a")],
     "more than once"),
    ({"budget": 10, "costs": COSTS, "vote_type": "cumulative"}, [{"a": -1}], "negative"),
    ({"budget": 10, "costs": COSTS, "vote_type": "cumulative"}, [["a"]], "dicts"),
    ({"budget": 10, "costs": COSTS, "vote_type": "plurality"}, [["a"]], "unknown vote_type"),
    ({"budget": 10, "costs": COSTS, "vote_type": "approval", "scoring": "borda"}, [["a"]],
     "scoring applies"),
    ({"budget": 10, "costs": COSTS}, ["abc"], "not the string"),
])
def test_bad_input_raises_a_clear_ballot_error(kwargs, ballots, message):
    with pytest.raises(BallotError, match=message):
        count(ballots, method="greedy", **kwargs)


def test_equal_shares_errors():
    with pytest.raises(BallotError, match="unknown completion"):
        count(APPROVALS, method="equal-shares", budget=10, costs=COSTS, completion="add2")
    with pytest.raises(BallotError, match="needs a budget"):
        count(APPROVALS, method="equal-shares", costs=COSTS)


# -- equal shares -------------------------------------------------------------------------
ES_BALLOTS = [{"a", "b"}, {"a", "b"}, {"a", "c"}, {"c"}]
ES_COSTS = {"a": 60, "b": 40, "c": 30}


def test_equal_shares_by_hand():
    """25 each. a: 3 x 20 (rho 1/3); b, c: 2 x 20, 2 x 15 (rho 1/2). After a, b's supporters
    hold 5 + 5 < 40; c's hold 5 + 25 = 30: the first pays 5, the second 25 (rho 25/30)."""
    r = count(ES_BALLOTS, method="equal-shares", budget=100, costs=ES_COSTS)
    assert r.winners == ["a", "c"] and r.spent == 90
    assert outcome(r) == {"a": (True, "equal shares"), "b": (False, "not affordable"),
                          "c": (True, "equal shares")}
    assert r.rounds[0].tallies == pytest.approx({"a": 1 / 3, "b": 0.5, "c": 0.5})
    assert r.rounds[1].tallies == pytest.approx({"c": 25 / 30})
    assert r.rounds[0].elected == ["a"] and r.rounds[1].elected == ["c"]
    assert r.options["completion"] is None and r.options["utility"] == "cost"
    assert r.extra["equal_shares"]["voter_budget"] == 25


def test_equal_shares_add1_raises_the_voter_budget_until_the_next_step_overspends():
    """5 each: a (3 + 3) leaves 2 + 2, b (4) unaffordable; at 7 each, a then b spend all 10."""
    ballots = [{"a", "b"}, {"a", "c"}]
    costs = {"a": 6, "b": 4, "c": 5}
    plain = count(ballots, method="equal-shares", budget=10, costs=costs)
    assert plain.winners == ["a"]
    assert count(ballots, method="equal-shares", budget=10, costs=costs,
                 completion="none").winners == ["a"]
    r = count(ballots, method="equal-shares", budget=10, costs=costs, completion="add1")
    assert r.winners == ["a", "b"] and r.spent == 10
    assert r.extra["equal_shares"]["voter_budget"] == 7
    assert r.options["completion"] == "add1"


def test_add1_keeps_the_last_outcome_within_budget_then_greedy_fills():
    """At 7 each a, b and c are all funded (14 > 10), so add1 keeps the outcome at 6: a only.
    add1-then-greedy then funds b (tied with c on score and cost; lowest id)."""
    ballots = [{"a", "b"}, {"a", "c"}]
    costs = {"a": 6, "b": 4, "c": 4}
    r = count(ballots, method="equal-shares", budget=10, costs=costs, completion="add1")
    assert r.winners == ["a"] and r.extra["equal_shares"]["voter_budget"] == 6
    r = count(ballots, method="equal-shares", budget=10, costs=costs,
              completion="add1-then-greedy", tiebreak="id")
    assert r.winners == ["a", "b"]
    assert outcome(r) == {"a": (True, "equal shares"), "b": (True, "completion"),
                          "c": (False, "did not fit")}
    assert r.rounds[1].tie_break.chosen == "b" and "completion" in r.rounds[1].note


def test_equal_shares_with_points_shares_cost_by_utility():
    """5 each; a costs 8: at rho 2 voter 1 (3 points) would pay 6 > 5, so pays 5 and voter 2
    (1 point) pays the other 3: rho 3. b (1 point, cost 4) has rho 4."""
    r = count([{"a": 3, "b": 1}, {"a": 1}], method="equal-shares", budget=10,
              costs={"a": 8, "b": 4})
    assert r.winners == ["a"]
    assert r.rounds[0].tallies == pytest.approx({"a": 3, "b": 4})
    assert r.options["utility"] == "points"


def test_equal_shares_on_ranked_ballots_uses_the_scoring_points():
    r = count([("a", "b")] * 3 + [("b",)], method="equal-shares", budget=12,
              costs={"a": 6, "b": 6}, scoring=[2, 1])
    # 3 each: a's 3 supporters (2 points) pay 1 per point; b gets 1 + 1 + 1 + 2 points
    assert r.winners == ["a", "b"] or r.winners == ["a"]
    assert r.rounds[0].elected == ["a"]
    assert r.rounds[0].tallies["a"] == pytest.approx(1.0)


def test_zero_cost_and_unsupported_projects():
    r = count([{"free"}], method="equal-shares", budget=10,
              costs={"free": 0, "lonely": 3})
    assert r.winners == ["free"]
    assert outcome(r)["lonely"] == (False, "no support")


def test_result_serialises():
    r = count(ES_BALLOTS, method="equal-shares", budget=100, costs=ES_COSTS,
              completion="add1-then-greedy")
    data = r.to_dict()
    assert data["money_left"] == 100 - r.spent
    assert data["equal_shares"]["runs"] >= 1
    r.to_json()
