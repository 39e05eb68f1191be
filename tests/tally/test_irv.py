"""Instant runoff: rounds, thresholds, transfers, inactive ballots, options and tie-breaks.

``reference`` re-reads every ballot from the top each round, as RCTab describes it; the
vectorised count (rules written into rows, pointers that only move forward) must agree with it on
random ballots full of skips, overvotes and repeats, under every rule combination.
"""
import itertools
import json
from collections import Counter

import numpy as np
import pytest

from pbapp.tally import BallotError, Election, count
from pbapp.tally.irv import count_irv
from pbapp.tally.profile import REASONS, from_ballots
from pbapp.tally.ties import JavaRandom, draw_key


def tallies(result):
    return [r.tallies for r in result.rounds]


def test_majority_in_round_one():
    r = count([("a", "b")] * 3 + [("b",)] * 2, method="irv")
    assert r.winners == ["a"]
    assert len(r.rounds) == 1 and r.rounds[0].elected == ["a"]
    assert r.rounds[0].threshold == 3


def test_elimination_moves_ballots_on():
    ballots = [(8, ("a",)), (5, ("b", "c")), (4, ("c", "b")), (2, ("d", "c"))]
    r = count(ballots, method="irv")
    assert tallies(r) == [{"a": 8, "b": 5, "c": 4, "d": 2}, {"a": 8, "b": 5, "c": 6},
                          {"a": 8, "c": 11}]
    assert [x.eliminated for x in r.rounds] == [["d"], ["b"], []]
    assert r.rounds[0].transfers == {"d": -2, "c": 2}
    assert r.rounds[1].transfers == {"b": -5, "c": 5}
    assert r.rounds[2].elected == ["c"] and r.winners == ["c"]


def test_threshold_counts_only_continuing_ballots():
    # 10 ballots; after c goes, 3 exhaust and 4 of the 7 still counting are a majority
    ballots = [(4, ("a",)), (3, ("b",)), (3, ("c",))]
    r = count(ballots, method="irv", tiebreak="candidate-order")
    assert r.rounds[0].threshold == 6
    assert r.rounds[1].threshold == 4
    assert r.rounds[1].exhausted["exhausted_choices"] == 3
    assert r.winners == ["a"]


def test_undervotes_are_reported_apart():
    r = count([("a",), ("a",), ("b",), ()], method="irv")
    assert r.extra["undervotes"] == 1
    assert r.ballots == 4
    assert r.rounds[0].threshold == 2
    assert sum(r.rounds[0].exhausted.values()) == 0
    assert json.loads(r.to_json())["undervotes"] == 1


def test_withdrawn_candidates_are_passed_over():
    r = count([("a", "b"), ("a", "b"), ("b",), ("c", "a")], method="irv", withdrawn=["a"])
    assert "a" not in r.rounds[0].tallies
    assert r.rounds[0].tallies == {"b": 3, "c": 1}
    assert r.winners == ["b"]
    assert r.options["withdrawn"] == ["a"]


def test_fractional_weights_use_a_decimal_threshold():
    r = count([(2.5, ("a",)), (2.25, ("b",))], method="irv", decimals=2)
    assert r.rounds[0].threshold == pytest.approx(2.38)
    assert r.winners == ["a"]


def test_batch_elimination_drops_everyone_who_cannot_catch_up():
    # RCTab's example: 80 and 70, and four with 50 between them can never pass 70
    ballots = [(80, ("A",)), (70, ("B",)), (20, ("C", "B")), (15, ("D", "B")), (10, ("E",)),
               (5, ("F",))]
    r = count(ballots, method="irv", batch_elimination=True)
    assert sorted(r.rounds[0].eliminated) == ["C", "D", "E", "F"]
    assert r.rounds[0].note.startswith("batch elimination")
    assert r.rounds[1].tallies == {"A": 80, "B": 105}
    plain = count(ballots, method="irv")
    assert plain.winners == r.winners == ["B"] and len(plain.rounds) == 5


def test_continue_until_two_goes_on_after_the_winner():
    ballots = [(7, ("a",)), (3, ("b", "c")), (2, ("c", "b")), (1, ("d", "b"))]
    r = count(ballots, method="irv", continue_until_two=True)
    assert r.winners == ["a"]
    assert r.rounds[0].elected == ["a"] and r.rounds[0].eliminated == []
    # like RCTab, the round after the winner's repeats its tallies, then eliminations go on
    assert r.rounds[1].tallies == r.rounds[0].tallies
    assert [x.eliminated for x in r.rounds[1:]] == [["d"], ["c"], []]
    assert r.rounds[-1].tallies == {"a": 7, "b": 6}


def test_write_in_goes_first_and_cannot_win():
    ballots = [(5, ("UWI", "a")), (3, ("a",)), (4, ("b",))]
    r = count(ballots, method="irv", write_in="UWI")
    assert r.rounds[0].eliminated == ["UWI"]
    assert r.winners == ["a"]
    # a write-in name missing from the ballots changes nothing
    assert count([("a",), ("b",), ("a",)], method="irv", write_in="UWI").winners == ["a"]


def test_exhaust_if_multiple_decides_as_candidates_leave():
    ballots = [(3, ("a",)), (2, ("b",)), (2, ({"b", "c"}, "a")), (1, ("c", "b"))]
    r = count(ballots, method="irv", overvote="exhaust_if_multiple")
    # round 1: b and c both continue, so the two overvoted ballots exhaust at once
    assert r.rounds[0].exhausted["overvote"] == 2
    assert r.rounds[0].tallies == {"a": 3, "b": 2, "c": 1}
    r = count([(3, ("a",)), (2, ("b",)), (2, ("c", {"b", "d"}, "a")), (1, ("d",))],
              method="irv", overvote="exhaust_if_multiple", tiebreak="candidate-order")
    # d goes first; then c's ballots reach {b, d} with only b continuing and count for b
    assert r.rounds[0].eliminated == ["d"]
    assert r.rounds[1].eliminated == ["c"]
    assert r.rounds[2].tallies == {"a": 3, "b": 4}


def test_ties_look_back_at_earlier_rounds():
    # round 2: b and c tie at 4; in round 1 c had fewer, so c goes
    ballots = [(6, ("a",)), (4, ("b",)), (3, ("c",)), (1, ("d", "c"))]
    r = count(ballots, method="irv")
    assert r.rounds[1].tallies == {"a": 6, "b": 4, "c": 4}
    tie = r.rounds[1].tie_break
    assert tie.rule == "previous-round" and tie.chosen == "c" and r.rounds[1].eliminated == ["c"]
    assert "round 1" in tie.detail


def test_unresolved_tie_is_a_seeded_draw_anyone_can_redo():
    r = count([("a",), ("b",), ("c",), ("a",), ("b",), ("c",), ("a",)], method="irv",
              seed="42")
    tie = r.rounds[0].tie_break
    assert tie.rule == "draw" and set(tie.among) == {"b", "c"}
    keys = {n: draw_key("42", "round 1 eliminate", n) for n in ("b", "c")}
    assert tie.chosen == min(keys, key=keys.get)
    again = count([("a",), ("b",), ("c",), ("a",), ("b",), ("c",), ("a",)], method="irv",
                  seed="42")
    assert again.to_dict() == r.to_dict()


def test_two_left_and_tied_the_tie_break_elects():
    r = count([("a",), ("b",)], method="irv", tiebreak="candidate-order")
    assert r.winners == ["a"] and r.rounds[0].tie_break.rule == "candidate-order"


def test_rctab_random_tiebreak_uses_java_random():
    assert JavaRandom(0).next_double() == pytest.approx(0.730967787376657)
    assert [JavaRandom(42).next_int(10)] == [0]
    r = count([("a",), ("b",), ("c",), ("a",)], method="irv", tiebreak="rctab-random",
              seed="0")
    # tied b, c sorted by name; floor(0.7309... * 2) = 1 picks c
    assert r.rounds[0].tie_break.chosen == "c"
    with pytest.raises(BallotError, match="whole-number seed"):
        count([("a",), ("b",)], method="irv", tiebreak="rctab-random", seed="x")


@pytest.mark.parametrize("options, message", [
    ({"seats": 2}, "irv fills one seat"),
    ({"batch_elimination": "yes"}, "true or false"),
    ({"overvote": "maybe"}, "overvote must be one of"),
    ({"withdrawn": ["zed"]}, "unknown candidate"),
    ({"tiebreak": "coin"}, "unknown tiebreak"),
    ({"quota": "droop"}, "unknown option"),
    ({"withdrawn": ["a", "b"]}, "no candidate left"),
])
def test_bad_options_are_refused(options, message):
    with pytest.raises(BallotError, match=message):
        count([("a", "b")], method="irv", **options)


def test_election_count_passes_file_defaults():
    profile = from_ballots([(2, ("a", None, "b")), (4, ("b",)), (3, ("c", "a"))])
    election = Election(candidates=["a", "b", "c"], profile=profile,
                        options={"max_skipped": 0, "variant": "meek"})
    r = election.count()  # "variant" belongs to another method and is left out
    assert r.rounds[-1].exhausted["skipped_rankings"] == 2 and r.winners == ["b"]
    assert r.options["max_skipped"] == 0


# --- the vectorised count against a ballot-by-ballot reading -------------------------------

def _read(ranks, live, rules):
    """One ballot read from the top, RCTab's way: a candidate, or why it stopped."""
    last, seen = 0, set()
    for rank, marks in enumerate(ranks[:rules["max_rankings"]], start=1):
        if marks is None:
            continue
        if rules["max_skipped"] is not None and rank - last > rules["max_skipped"] + 1:
            return "skipped_rankings"
        last = rank
        if rules["duplicate"] == "exhaust":
            if marks & seen:
                return "repeated_rankings"
            seen |= marks
        if len(marks) > 1:
            if rules["overvote"] == "exhaust":
                return "overvote"
            if rules["overvote"] == "skip":
                continue
            if len(marks & live) > 1:
                return "overvote"
        hit = marks & live
        if hit:
            return next(iter(hit))
    return "exhausted_choices"


def reference(ballots, k, rules):
    """Rounds as (tallies, inactive, eliminated); None when a tie would need breaking."""
    live, stopped, rounds = set(range(k)), {}, []
    counted = [(n, r) for n, r in ballots if any(m is not None for m in r[:rules["max_rankings"]])]
    while True:
        tally, inactive = Counter({c: 0 for c in live}), Counter({x: 0 for x in REASONS})
        for i, (n, ranks) in enumerate(counted):
            got = stopped.get(i) or _read(ranks, live, rules)
            if isinstance(got, str):
                stopped[i] = got
                inactive[got] += n
            else:
                tally[got] += n
        threshold = sum(tally.values()) // 2 + 1
        top = max(tally.values())
        if len(live) == 1 or top >= threshold or len(live) == 2:
            if list(tally.values()).count(top) > 1:
                return None
            rounds.append((dict(tally), dict(inactive), []))
            return rounds
        low = min(tally.values())
        losers = [c for c in live if tally[c] == low]
        if len(losers) > 1:
            return None
        rounds.append((dict(tally), dict(inactive), losers))
        live -= set(losers)


def _random_ballots(rng, k, n):
    ballots = []
    for _ in range(n):
        ranks = []
        for _ in range(rng.integers(0, k + 2)):
            roll = rng.random()
            if roll < 0.15:
                ranks.append(None)
            elif roll < 0.25:
                ranks.append(frozenset(rng.choice(k, size=2, replace=False).tolist()))
            else:
                ranks.append(frozenset([int(rng.integers(k))]))
        while ranks and ranks[-1] is None:
            ranks.pop()
        ballots.append((int(rng.integers(1, 4)), tuple(ranks)))
    return ballots


RULES = [dict(zip(("overvote", "max_skipped", "duplicate", "max_rankings"), combo))
         for combo in itertools.product(("exhaust", "skip", "exhaust_if_multiple"), (None, 0, 1),
                                        ("skip", "exhaust"), (None, 3))]


@pytest.mark.parametrize("rules", RULES, ids=lambda r: "-".join(map(str, r.values())))
def test_vectorised_count_matches_reading_ballot_by_ballot(rules):
    rng = np.random.default_rng(abs(hash(tuple(rules.values()))) % 2**32)
    compared = 0
    for trial in range(25):
        k = int(rng.integers(3, 6))
        ballots = _random_ballots(rng, k, int(rng.integers(5, 40)))
        names = [str(c) for c in range(k)]
        expected = reference(ballots, k, rules)
        if expected is None:
            continue
        as_names = [(n, tuple(None if m is None else
                              next(iter(m)) if len(m) == 1 else frozenset(m) for m in r))
                    for n, r in ballots]
        profile = from_ballots([(n, tuple(None if m is None else str(m) if isinstance(m, int)
                                          else frozenset(map(str, m)) for m in r))
                                for n, r in as_names], candidates=names)
        result = count_irv(profile, **rules)
        assert result.tie_breaks == []
        assert len(result.rounds) == len(expected)
        for ours, (tally, inactive, losers) in zip(result.rounds, expected):
            assert ours.tallies == {str(c): float(v) for c, v in tally.items()}
            assert ours.exhausted == {x: float(v) for x, v in inactive.items()}
            assert ours.eliminated == [str(c) for c in losers]
        compared += 1
    assert compared >= 5
