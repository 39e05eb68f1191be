"""Borda and other positional counts on examples worked by hand."""
import json

import pytest

from pbapp.tally import BallotError, count
from pbapp.tally.ties import draw_key

#: Tennessee capital (Wikipedia): Borda 194 Nashville, 173 Chattanooga, 126 Memphis, 107 Knoxville
TENNESSEE = [(42, ("M", "N", "C", "K")), (26, ("N", "C", "K", "M")),
             (15, ("C", "K", "N", "M")), (17, ("K", "C", "N", "M"))]
#: four candidates, truncated ballots
SHORT = [(2, ("a",)), (1, ("b", "c", "d")), (1, ("c", "b"))]


def test_borda_tennessee():
    r = count(TENNESSEE, method="borda", seats=4)
    assert r.rounds[0].tallies == {"C": 173, "K": 107, "M": 126, "N": 194}
    assert r.winners == ["N", "C", "M", "K"]
    assert len(r.rounds) == 1 and r.rounds[0].elected == r.winners
    assert r.extra["points"] == [3, 2, 1, 0]
    assert r.options == {"seats": 4, "scoring": "borda"}
    json.loads(r.to_json())


def test_dowdall_tennessee():
    # N: 42/2 + 26 + 15/3 + 17/3 = 57.67; M: 42 + 58/4 = 56.5
    r = count(TENNESSEE, method="borda", scoring="dowdall")
    assert r.rounds[0].tallies["N"] == pytest.approx(57 + 2 / 3)
    assert r.rounds[0].tallies["M"] == pytest.approx(56.5)
    assert r.winners == ["N"]


def test_dowdall_rounding_keeps_exact_ties():
    # a: 1/2 + 1/3 + 1/6 and b: 1/3 + 1/3 + 1/3 are both 1, but not in floating point
    ballots = [("x", "a"), ("x", "y", "a"), ("x", "y", "z", "w", "v", "a"),
               ("y", "x", "b"), ("z", "x", "b"), ("w", "x", "b")]
    r = count(ballots, method="borda", scoring="dowdall")
    assert r.rounds[0].tallies["a"] == r.rounds[0].tallies["b"] == 1
    assert ["a", "b"] in r.extra["ranking"]


@pytest.mark.parametrize("scoring", [[1], "1", (1,), "1,0"])
def test_points_list_one_point_for_a_first_choice_is_plurality(scoring):
    r = count(TENNESSEE, method="borda", scoring=scoring)
    assert r.winners == ["M"]
    assert r.rounds[0].tallies == {"C": 15, "K": 17, "M": 42, "N": 26}


def test_krakow_style_three_two_one():
    # ranks beyond the third get nothing
    ballots = [(2, ("a", "b", "c", "d")), (1, ("d", "c", "b", "a")), (2, ("c", "d"))]
    r = count(ballots, method="borda", scoring=[3, 2, 1], seats=4)
    assert r.rounds[0].tallies == {"a": 2 * 3, "b": 2 * 2 + 1, "c": 2 * 1 + 2 + 2 * 3,
                                   "d": 3 + 2 * 2}
    assert r.winners == ["c", "d", "a", "b"]
    assert r.options["scoring"] == [3, 2, 1]


def test_truncated_ballot_keeps_n_minus_r_and_unranked_get_nothing():
    # n = 4: a 2*3; b 3 + 2; c 2 + 3; d 1
    r = count(SHORT, method="borda", seats=2)
    assert r.rounds[0].tallies == {"a": 6, "b": 5, "c": 5, "d": 1}
    assert r.winners[0] == "a"
    assert [rd.elected for rd in r.rounds] == [["a"], [r.winners[1]]]
    tb = r.rounds[1].tie_break
    keys = {c: draw_key("0", "borda seat 2", c) for c in "bc"}
    assert tb.rule == "draw" and tb.among == ["b", "c"] and tb.keys == keys
    assert r.winners[1] == min(keys, key=keys.get)
    assert "tie for seat 2 (each 5 points)" in r.rounds[1].note
    assert r.extra["ranking"] == [["a"], ["b", "c"], ["d"]]


def test_k_points():
    # default k = the longest ballot (3): 3, 2, 1
    r = count(SHORT, method="borda", scoring="k-points")
    assert r.rounds[0].tallies == {"a": 6, "b": 5, "c": 5, "d": 1}
    assert r.options["k"] == 3
    r = count(SHORT, method="borda", scoring="k_points", k=2)
    assert r.rounds[0].tallies == {"a": 4, "b": 3, "c": 3, "d": 0}


def test_withdrawn_candidate_is_struck_off_and_the_rest_move_up():
    # three standing: 2, 1, 0 points; Memphis voters now rank N first
    r = count(TENNESSEE, method="borda", withdrawn=["M"])
    assert r.rounds[0].tallies == {"C": 115, "K": 49, "N": 136}
    assert r.winners == ["N"]


def test_skips_and_repeats_do_not_cost_a_rank():
    r = count([("a", None, "b", "a")], method="borda", candidates=["a", "b", "c"])
    assert r.rounds[0].tallies == {"a": 2, "b": 1, "c": 0}


@pytest.mark.parametrize("options,message", [
    ({"scoring": "plurality"}, "scoring must be one of"),
    ({"scoring": []}, "empty"),
    ({"scoring": [1, 2]}, "must not rise"),
    ({"scoring": [1, -1]}, "cannot be negative"),
    ({"scoring": [1, "x"]}, "must be numbers"),
    ({"scoring": 3}, "name or a list"),
    ({"k": 2}, "k applies only"),
    ({"scoring": "k-points", "k": 0}, "k must be at least 1"),
    ({"points": [3, 2, 1]}, "unknown option"),
    ({"seats": 5}, "more than the 4 standing"),
])
def test_bad_options_are_refused(options, message):
    with pytest.raises(BallotError, match=message):
        count(TENNESSEE, method="borda", **options)
