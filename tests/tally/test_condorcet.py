"""Schulze and ranked pairs on examples worked by hand, plus the head-to-head matrix."""
import json

import numpy as np
import pytest

from pbapp.tally import BallotError, count, from_ballots
from pbapp.tally.pairwise import pairwise_matrix
from pbapp.tally.ties import draw_key

#: Wikipedia's Schulze example: 45 voters, 5 candidates
WIKI = [(5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"), (7, "CAEBD"), (2, "CBADE"),
        (7, "DCEBA"), (8, "EBADC")]
WIKI = [(n, tuple(r)) for n, r in WIKI]
#: Tennessee capital (Wikipedia): Nashville beats every other city head to head
TENNESSEE = [(42, ("M", "N", "C", "K")), (26, ("N", "C", "K", "M")),
             (15, ("C", "K", "N", "M")), (17, ("K", "C", "N", "M"))]
#: a cycle a>b (6:3), b>c (7:2), c>a (5:4)
CYCLE = [(4, ("a", "b", "c")), (3, ("b", "c", "a")), (2, ("c", "a", "b"))]
#: the same strength everywhere: a>b, b>c, c>a each 2:1
ROCK_PAPER = [("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b")]


def test_pairwise_counts_truncated_ballots_by_hand():
    # unranked candidates come after the ranked ones and are tied with each other
    ballots = [(3, ("a", "b")), (2, ("c",)), (1, ("b", "d", "a"))]
    m = pairwise_matrix(from_ballots(ballots, ["a", "b", "c", "d"]))
    assert m.tolist() == [[0, 3, 4, 3],
                          [1, 0, 4, 4],
                          [2, 2, 0, 2],
                          [1, 0, 1, 0]]


def test_pairwise_matches_a_ballot_by_ballot_count():
    rng = np.random.default_rng(5)
    names = list("abcdefg")
    ballots = [tuple(rng.permutation(names)[:rng.integers(1, 8)]) for _ in range(500)]
    expected = np.zeros((7, 7))
    for b in ballots:
        place = {c: b.index(c) if c in b else len(names) for c in names}
        for i, x in enumerate(names):
            for j, y in enumerate(names):
                expected[i, j] += place[x] < place[y]
    assert np.array_equal(pairwise_matrix(from_ballots(ballots, names)), expected)


def test_pairwise_ignores_skips_and_repeats_and_stops_at_an_overvote():
    messy = [("a", None, "b", "a"), ("c", {"a", "b"}, "d")]
    plain = [("a", "b"), ("c",)]
    names = ["a", "b", "c", "d"]
    assert np.array_equal(pairwise_matrix(from_ballots(messy, names)),
                          pairwise_matrix(from_ballots(plain, names)))


def test_schulze_wikipedia_example():
    r = count(WIKI, method="schulze", seats=5)
    assert r.pairwise == [[0, 20, 26, 30, 22], [25, 0, 16, 33, 18], [19, 29, 0, 17, 24],
                          [15, 12, 28, 0, 14], [23, 27, 21, 31, 0]]
    assert r.extra["strongest_paths"] == [[0, 28, 28, 30, 24], [25, 0, 28, 33, 24],
                                          [25, 29, 0, 29, 24], [25, 28, 28, 0, 24],
                                          [25, 28, 28, 31, 0]]
    assert r.winners == ["E", "A", "C", "B", "D"]
    assert r.extra["condorcet_winner"] is None
    assert r.tie_breaks == []
    assert count(WIKI, method="schulze").winners == ["E"]


def test_ranked_pairs_wikipedia_schulze_example_locks_by_margin():
    # margins: B>D 21, E>D 17, A>D 15, C>B 13, D>C 11, E>B 9, A>C 7, B>A 5, C>E 3, E>A 1
    r = count(WIKI, method="ranked_pairs", seats=5)
    steps = [(s["winner"] + s["loser"], s["margin"], s["locked"]) for s in r.extra["locked"]]
    assert steps == [("BD", 21, True), ("ED", 17, True), ("AD", 15, True), ("CB", 13, True),
                     ("DC", 11, False), ("EB", 9, True), ("AC", 7, True), ("BA", 5, False),
                     ("CE", 3, True), ("EA", 1, False)]
    assert r.winners == ["A", "C", "E", "B", "D"]
    assert "skipped D>C (11)" in r.rounds[0].note


@pytest.mark.parametrize("method", ["schulze", "ranked_pairs"])
def test_condorcet_winner_wins(method):
    r = count(TENNESSEE, method=method, seats=4)
    assert r.winners == ["N", "C", "K", "M"]
    assert r.extra["condorcet_winner"] == "N"
    assert r.rounds[0].note.startswith("N is the Condorcet winner")
    assert len(r.rounds) == 1 and r.rounds[0].elected == r.winners
    # rows and columns follow the candidate order C, K, M, N
    assert r.candidates == ["C", "K", "M", "N"]
    assert r.pairwise[3] == [68, 68, 58, 0]
    json.loads(r.to_json())


@pytest.mark.parametrize("method", ["schulze", "ranked_pairs"])
def test_cycle_is_settled_by_its_weakest_link(method):
    r = count(CYCLE, method=method, seats=3)
    assert r.winners == ["a", "b", "c"]
    assert r.extra["condorcet_winner"] is None
    assert "no Condorcet winner" in r.rounds[0].note


def test_ranked_pairs_skips_the_pair_that_closes_the_cycle():
    r = count(CYCLE, method="ranked_pairs")
    assert [(s["winner"], s["loser"], s["locked"]) for s in r.extra["locked"]] == [
        ("b", "c", True), ("a", "b", True), ("c", "a", False)]
    assert r.rounds[0].tallies == {"a": 2, "b": 1, "c": 0}


def test_schulze_winning_votes_and_margins_can_differ_on_truncated_ballots():
    # b>a 6:3 (margin 3), a>c 5:4 (margin 1), c>b 4:2 (margin 2): the weakest link is c>b by
    # winning votes but a>c by margins
    ballots = [(3, ("a",)), (4, ("c", "b")), (2, ("b", "a", "c"))]
    assert count(ballots, method="schulze").winners == ["b"]
    assert count(ballots, method="schulze", strength="margins").winners == ["c"]
    assert count(ballots, method="schulze").options["strength"] == "winning_votes"


def test_schulze_perfect_tie_goes_to_the_seeded_draw():
    r = count(ROCK_PAPER, method="schulze", seed="city-2024")
    tb = r.rounds[0].tie_break
    keys = {c: draw_key("city-2024", "schulze seat 1", c) for c in "abc"}
    assert tb.rule == "draw" and tb.among == ["a", "b", "c"] and tb.keys == keys
    assert r.winners == [min(keys, key=keys.get)]
    assert r.seed == "city-2024"
    # the same seed always gives the same result
    assert count(ROCK_PAPER, method="schulze", seed="city-2024").winners == r.winners


def test_each_drawn_seat_gets_its_own_round():
    r = count(ROCK_PAPER, method="schulze", seats=3)
    assert [len(rd.tie_break.among) for rd in r.rounds] == [3, 2]
    assert [name for rd in r.rounds for name in rd.elected] == r.winners
    assert sorted(r.winners) == ["a", "b", "c"]
    assert "tie for seat 2" in r.rounds[1].note


def test_ranked_pairs_orders_equal_margins_by_seeded_draw():
    r = count(ROCK_PAPER, method="ranked_pairs", seed=7)
    steps = r.extra["locked"]
    keys = [s["draw_key"] for s in steps]
    assert keys == sorted(keys)
    assert keys[0] == draw_key(7, "ranked pairs order", f"{steps[0]['winner']}>{steps[0]['loser']}")
    assert [s["locked"] for s in steps] == [True, True, False]
    # the two locked pairs form a chain whose head wins
    first, second = steps[0], steps[1]
    chain = ({first["winner"], second["winner"]} - {first["loser"], second["loser"]}).pop()
    assert r.winners == [chain]


def test_withdrawn_candidate_cannot_win_and_others_keep_their_head_to_head():
    r = count(TENNESSEE, method="schulze", withdrawn=["N"])
    assert r.winners == ["C"]
    assert "N" not in r.rounds[0].tallies
    assert r.options["withdrawn"] == ["N"]
    assert r.pairwise[3] == [68, 68, 58, 0]  # the ballots' own matrix is kept


def test_tiebreak_draw_and_previous_round_both_mean_the_draw_here():
    plain = count(ROCK_PAPER, method="ranked_pairs").winners
    for mode in ("draw", "previous-round"):
        r = count(ROCK_PAPER, method="ranked_pairs", tiebreak=mode)
        assert r.winners == plain and r.options["tiebreak"] == mode


def test_empty_count_is_a_tie_among_everyone():
    r = count([], method="ranked_pairs", candidates=["x", "y"])
    assert r.ballots == 0 and r.tie_breaks[0].among == ["x", "y"]


@pytest.mark.parametrize("method,options,message", [
    ("schulze", {"colour": "red"}, "unknown option"),
    ("ranked_pairs", {"strength": "margins"}, "unknown option"),
    ("schulze", {"strength": "votes"}, "strength must be one of"),
    ("schulze", {"seats": 0}, "seats must be at least 1"),
    ("ranked_pairs", {"seats": 5}, "more than the 4 standing"),
    ("schulze", {"withdrawn": ["Atlanta"]}, "not a candidate"),
    ("ranked_pairs", {"seats": 4, "withdrawn": "M"}, "more than the 3 standing"),
    ("schulze", {"tiebreak": "candidate-order"}, "seeded draw"),
])
def test_bad_options_are_refused(method, options, message):
    with pytest.raises(BallotError, match=message):
        count(TENNESSEE, method=method, **options)
