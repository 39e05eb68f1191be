"""Ballot rules written into the rankings: where each rule makes a ballot stop, and where not."""
import numpy as np
import pytest

from pbapp.tally import BallotError
from pbapp.tally.ballot_rules import apply_rules, check_rules, has_marks
from pbapp.tally.profile import (EXHAUST_DUPLICATE, EXHAUST_OVERVOTE, EXHAUST_SKIPPED, OVERVOTE,
                                 PAD, from_ballots)

MARKER = {EXHAUST_OVERVOTE: "X-overvote", EXHAUST_SKIPPED: "X-skipped",
          EXHAUST_DUPLICATE: "X-repeat", OVERVOTE: "OV"}


def ruled(ranking, **rules):
    """One ballot through the rules, as readable marks."""
    profile = from_ballots([ranking], candidates=["a", "b", "c", "d"])
    out = apply_rules(profile, **rules)
    row = out.rankings[0].tolist()
    return [MARKER.get(c, out.candidates[c] if c >= 0 else None) for c in row if c != PAD]


def test_plain_rankings_are_untouched():
    profile = from_ballots([("a", "b"), ("c",), ("d", "a", "b", "c")])
    out = apply_rules(profile)
    assert np.array_equal(out.rankings, profile.rankings)
    assert np.array_equal(out.counts, profile.counts)


@pytest.mark.parametrize("ranking, rules, expected", [
    # skipped ranks: blank ranks before a mark count, blank ranks at the end never do
    ((None, "a", "b"), {"max_skipped": 0}, ["X-skipped"]),
    ((None, "a", "b"), {"max_skipped": 1}, ["a", "b"]),
    (("a", None, None, "b"), {"max_skipped": 1}, ["a", "X-skipped"]),
    (("a", None, "b"), {"max_skipped": 1}, ["a", "b"]),
    (("a", None, None, "b"), {}, ["a", "b"]),
    (("a", None, None, "b"), {"max_skipped": "unlimited"}, ["a", "b"]),
    # repeats: exhaust where the repeat is reached, or pass over it
    (("a", "a", "b"), {"duplicate": "exhaust"}, ["a", "X-repeat"]),
    (("a", "a", "b"), {"duplicate": "skip"}, ["a", "b"]),
    (("a", "b", "a", "c"), {"duplicate": "skip"}, ["a", "b", "c"]),
    # overvotes
    (({"a", "b"}, "c"), {"overvote": "exhaust"}, ["X-overvote"]),
    (({"a", "b"}, "c"), {"overvote": "skip"}, ["c"]),
    (({"a", "b"}, "c"), {"overvote": "exhaust_if_multiple"}, ["OV", "c"]),
    # an overvoted rank still counts as marked for the skipped-ranks rule (RCTab test set 2)
    (({"a", "b"}, None, "c"), {"overvote": "skip", "max_skipped": 0}, ["X-skipped"]),
    # a candidate passed over inside a skipped overvote is still in the count later
    (({"a", "b"}, "a"), {"overvote": "skip", "duplicate": "skip"}, ["a"]),
    # RCTab's order: skipped ranks, then repeats, then the overvote
    (("a", None, {"a", "b"}), {"max_skipped": 0, "duplicate": "exhaust"}, ["a", "X-skipped"]),
    (("a", {"a", "b"}), {"duplicate": "exhaust", "overvote": "skip"}, ["a", "X-repeat"]),
    # only the first N ranks are read
    (("a", "b", "c", "d"), {"max_rankings": 2}, ["a", "b"]),
    (("a", None, None, "b"), {"max_rankings": 3, "max_skipped": 0}, ["a"]),
    (("a", "b"), {"max_rankings": "max"}, ["a", "b"]),
])
def test_rules(ranking, rules, expected):
    assert ruled(ranking, **rules) == expected


def test_exhaust_if_multiple_keeps_the_set():
    profile = from_ballots([(1, ("a", {"b", "c"}, "d"))], candidates=["a", "b", "c", "d"])
    out = apply_rules(profile, overvote="exhaust_if_multiple")
    assert out.rankings[0].tolist() == [0, OVERVOTE, 3]
    assert out.overvotes == {(0, 1): frozenset({1, 2})}


def test_rows_keep_their_order_and_counts():
    ballots = [(3, (None, "a")), (2, ("b", "b")), (5, ()), (1, ("c",))]
    profile = from_ballots(ballots, candidates=["a", "b", "c"])
    out = apply_rules(profile, max_skipped=0, duplicate="exhaust")
    assert out.counts.tolist() == profile.counts.tolist()
    assert has_marks(profile).tolist() == [True, True, False, True]
    assert out.rankings[0, 0] == EXHAUST_SKIPPED


def test_only_skips_within_the_rank_limit_is_an_undervote():
    profile = from_ballots([(None, None, "a"), ("a",)], candidates=["a"])
    assert has_marks(profile, max_rankings=2).tolist() == [False, True]
    assert has_marks(profile).tolist() == [True, True]


def test_applying_twice_changes_nothing():
    profile = from_ballots([(None, "a", "a", {"b", "c"}), ("b", None, None, "c")])
    once = apply_rules(profile, max_skipped=1, duplicate="skip", overvote="exhaust")
    twice = apply_rules(once, max_skipped=1, duplicate="skip", overvote="exhaust")
    assert np.array_equal(once.rankings, twice.rankings)


@pytest.mark.parametrize("options, message", [
    ({"overvote": "ignore"}, "overvote must be one of"),
    ({"duplicate": "count"}, "duplicate must be one of"),
    ({"max_skipped": -1}, "max_skipped must be at least 0"),
    ({"max_skipped": 1.5}, "whole number"),
    ({"max_rankings": 0}, "max_rankings must be at least 1"),
])
def test_bad_rules_are_refused(options, message):
    with pytest.raises(BallotError, match=message):
        check_rules(**options)


def test_rule_names_accept_hyphens():
    assert check_rules(overvote="exhaust-if-multiple").overvote == "exhaust_if_multiple"
