"""Scottish STV on random small profiles: against the rules written out paper by paper, against
pref_voting's ``stv_scottish``, and against the other variants where they must agree.

Differences from pref_voting, which is why only winners are compared with it, and only when our
count needed no tie-break:

* Ties. pref_voting settles an exact tie at the most recent differing stage as we do, then by
  ``random``; we use a seeded SHA-256 draw. Counts with any tie-break are left out.
* Truncation. Rule 48(3) truncates each paper's new value; the part of the surplus lost that way
  stays with nobody (the elected candidate is set to the quota, as in the official Edinburgh
  count). pref_voting leaves it with the elected candidate and, as its notes say, may move it
  later as a further tiny surplus, so its stage figures can differ in the fifth decimal.

The reference below is written for clarity, not speed: a list of papers, each with its own
value, moved one at a time. Ties go through ``ties.break_tie`` with the same contexts, because
the tie-break rule is part of what is being reproduced.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pbapp.tally import count, from_ballots
from pbapp.tally.profile import REASONS
from pbapp.tally.ties import break_tie

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
UNIT = 10 ** 5


@st.composite
def elections(draw, complete: bool = False):
    """3-6 candidates, 1-30 ballots over a few distinct rankings, and a number of seats."""
    n = draw(st.integers(3, 6))
    names = [chr(ord("a") + i) for i in range(n)]
    kinds = draw(st.integers(1, 8))
    ballots = []
    for _ in range(kinds):
        order = draw(st.permutations(names))
        length = n if complete else draw(st.integers(1, n))
        ballots.append((draw(st.integers(1, 6)), tuple(order[:length])))
    seats = draw(st.integers(1, n - 1))
    return names, ballots, seats


def reference_scottish(names, ballots, seats):
    """SSI 2007/42 rules 45-52, paper by paper, in units of 0.00001."""
    papers = [{"prefs": list(r), "at": -1, "value": UNIT}
              for count_, r in ballots for _ in range(count_)]
    state = {c: "continuing" for c in names}
    held: dict[str, list] = {c: [] for c in names}
    idx = {c: i for i, c in enumerate(names)}

    def move(paper):
        while True:
            paper["at"] += 1
            if paper["at"] >= len(paper["prefs"]):
                return
            c = paper["prefs"][paper["at"]]
            if state[c] == "continuing":
                held[c].append(paper)
                return

    for paper in papers:
        move(paper)
    fixed = {}  # elected candidates whose surplus has gone: they hold exactly the quota
    quota = (sum(len(v) for v in held.values()) // (seats + 1) + 1) * UNIT

    def total(c):
        return fixed.get(c, sum(p["value"] for p in held[c]))

    def vector():
        return [total(c) for c in names]

    def pick(tied, history, lowest, context):
        chosen, _ = break_tie(sorted(idx[c] for c in tied), names, history, lowest=lowest,
                              context=context)
        return names[chosen]

    stages, winners, history, pending, excluded = [], [], [], [], set()
    while True:
        number = len(stages) + 1
        stage = {"tallies": {c: total(c) for c in names
                             if state[c] != "withdrawn" and c not in excluded},
                 "elected": [], "eliminated": []}
        stages.append(stage)
        left = seats - len(winners)
        reached = [c for c in names if state[c] == "continuing" and total(c) >= quota]
        while reached and left:
            top = max(total(c) for c in reached)
            c = pick([c for c in reached if total(c) == top], history, False,
                     f"round {number} elect")
            reached.remove(c)
            state[c] = "elected"
            winners.append(c)
            stage["elected"].append(c)
            left -= 1
            if total(c) > quota:
                pending.append(c)
        if left == 0:
            return stages, winners
        cont = [c for c in names if state[c] == "continuing"]
        if len(cont) <= left:
            while cont:
                top = max(total(c) for c in cont)
                c = pick([c for c in cont if total(c) == top], history, False,
                         f"round {number} elect")
                cont.remove(c)
                winners.append(c)
                stage["elected"].append(c)
            return stages, winners
        if pending:
            top = max(total(c) for c in pending)
            c = pick([c for c in pending if total(c) == top], history, False,
                     f"round {number} surplus")
            pending.remove(c)
            t = total(c)
            surplus = t - quota
            for paper in held[c]:
                paper["value"] = surplus * paper["value"] // t
                move(paper)
            held[c] = []
            fixed[c] = quota
        else:
            low = min(total(c) for c in cont)
            c = pick([c for c in cont if total(c) == low], history, True,
                     f"round {number} eliminate")
            state[c] = "excluded"
            stage["eliminated"].append(c)
            for paper in held[c]:
                move(paper)
            held[c] = []
        history.append(vector())
        for name in stage["eliminated"]:
            excluded.add(name)


def units(x: float) -> int:
    return round(x * UNIT)


@SETTINGS
@given(elections())
def test_matches_the_rules_paper_by_paper(election):
    names, ballots, seats = election
    result = count(ballots, "stv", candidates=names, seats=seats)
    stages, winners = reference_scottish(names, ballots, seats)
    assert result.winners == winners
    assert len(result.rounds) == len(stages)
    for ours, ref in zip(result.rounds, stages, strict=True):
        assert {k: units(v) for k, v in ours.tallies.items()} == ref["tallies"]
        assert (ours.elected, ours.eliminated) == (ref["elected"], ref["eliminated"])


@SETTINGS
@given(elections())
def test_agrees_with_pref_voting(election):
    import pref_voting.proportional_methods as pv
    from pref_voting.profiles_with_ties import ProfileWithTies

    names, ballots, seats = election
    result = count(ballots, "stv", candidates=names, seats=seats)
    assume(not result.tie_breaks)
    rankings = [{c: i + 1 for i, c in enumerate(r)} for _, r in ballots]
    profile = ProfileWithTies(rankings, rcounts=[c for c, _ in ballots], candidates=names)
    theirs = pv.stv_scottish(profile, num_seats=seats, rng=random.Random(0))
    assert sorted(result.winners) == sorted(theirs)


@SETTINGS
@given(elections(), st.sampled_from(["scottish", "rctab", "meek"]))
def test_invariants(election, variant):
    names, ballots, seats = election
    result = count(ballots, "stv", candidates=names, seats=seats, variant=variant)
    assert len(result.winners) == len(set(result.winners)) == seats
    total = sum(c for c, _ in ballots)
    for rnd in result.rounds:
        assert set(rnd.exhausted) == set(REASONS)
        inactive = sum(rnd.exhausted.values())
        assert sum(rnd.tallies.values()) + inactive <= total + 1e-6
        assert all(v >= -1e-9 for v in rnd.tallies.values())
    elected = [c for rnd in result.rounds for c in rnd.elected]
    assert elected == result.winners
    if variant != "meek":
        last = result.rounds[-1]
        lost = result.extra["residual_surplus"] + result.extra.get("final_round_surplus", 0)
        assert units(sum(last.tallies.values()) + sum(last.exhausted.values()) + lost) \
            == total * UNIT


@SETTINGS
@given(elections(complete=True))
def test_meek_elects_the_same_when_no_surplus_moves(election):
    """With every ballot complete and the whole-vote Droop quota, Meek's quota never moves; if
    the Scottish count never transfers a surplus, keep values stay 1 and the counts coincide."""
    names, ballots, seats = election
    scottish = count(ballots, "stv", candidates=names, seats=seats)
    assume(not any("surplus" in r.note for r in scottish.rounds))
    assume(all(r.tallies[w] <= scottish.extra["quota"]
               for r in scottish.rounds for w in r.elected))
    meek = count(ballots, "stv", candidates=names, seats=seats, variant="meek", quota="droop")
    assert meek.winners == scottish.winners
    assert [r.eliminated for r in meek.rounds] == [r.eliminated for r in scottish.rounds]


@SETTINGS
@given(elections())
def test_one_seat_is_instant_runoff(election):
    names, ballots, _ = election
    irv = count(ballots, "irv", candidates=names)
    assume(not any(tb.rule == "draw" for tb in irv.tie_breaks))
    for variant in ("scottish", "meek", "rctab"):
        assert count(ballots, "stv", candidates=names, seats=1,
                     variant=variant).winners == irv.winners, variant


@SETTINGS
@given(elections(), st.data())
def test_withdrawing_is_striking_the_name_from_every_ballot(election, data):
    names, ballots, seats = election
    assume(seats < len(names) - 1)
    gone = data.draw(st.sampled_from(names))
    rest = [n for n in names if n != gone]
    struck = [(c, tuple(x for x in r if x != gone)) for c, r in ballots]
    a = count(ballots, "stv", candidates=names, seats=seats, withdrawn=[gone])
    b = count(from_ballots(struck, rest), "stv", seats=seats)
    assert a.winners == b.winners
    assert [r.tallies for r in a.rounds] == [r.tallies for r in b.rounds]


@SETTINGS
@given(elections(), st.randoms(use_true_random=False))
def test_ballot_order_does_not_matter(election, rnd):
    names, ballots, seats = election
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    a = count(ballots, "stv", candidates=names, seats=seats)
    b = count(shuffled, "stv", candidates=names, seats=seats)
    assert a.to_dict() == b.to_dict()


# -- plain examples: options, errors and the rarer rules -------------------------------------

@pytest.mark.parametrize("options, words", [
    ({"seats": 3, "withdrawn": ["c"]}, "3 seats but only 2 candidate(s) standing"),
    ({"variant": "irish"}, "unknown variant 'irish'"),
    ({"quota": "imperiali"}, "unknown quota 'imperiali'"),
    ({"tiebreak": "coin"}, "unknown tiebreak 'coin'"),
    ({"multiple_per_round": False}, "applies to variant='rctab'"),
    ({"decimals": 12}, "decimals must be at most 9"),
    ({"withdrawn": ["zed"]}, "withdrawn candidate 'zed' is not a candidate"),
    ({"variant": "meek", "tolerance": 2}, "tolerance must be between 0 and 1"),
    ({"variant": "meek", "overvote": "exhaust_if_multiple"}, "Meek"),
    ({"colour": "red"}, "unknown option(s) colour"),
])
def test_bad_options_are_refused_with_a_reason(options, words):
    from pbapp.tally import BallotError

    with pytest.raises(BallotError) as err:
        count([("a", "b"), ("b", "c"), ("c",)], "stv", **{"seats": 1, **options})
    assert words in str(err.value)


def test_fixed_point_rules_need_whole_ballots():
    from pbapp.tally import BallotError

    weighted = [(1.5, ("a", "b")), (1, ("b",))]
    with pytest.raises(BallotError, match="whole"):
        count(weighted, "stv", seats=1)
    assert count(weighted, "stv", seats=1, variant="meek").winners == ["a"]


@pytest.mark.parametrize("quota, value", [("droop", 4), ("droop-exact", 3.33334), ("hare", 5),
                                          ("hare-exact", 5)])
def test_quota_kinds(quota, value):
    ballots = [("a", "b")] * 6 + [("b",)] * 3 + [("c",)] + [()] * 4  # 4 undervotes
    result = count(ballots, "stv", candidates="abc", seats=2, quota=quota)
    assert result.extra["quota"] == value
    assert result.extra["undervotes"] == 4
    assert sum(result.rounds[0].exhausted.values()) == 0


def test_equal_surpluses_are_a_tie_recorded_in_the_round():
    ballots = [("a", "c")] * 5 + [("b", "d")] * 5 + [("c",)] * 1 + [("d",)] * 1
    result = count(ballots, "stv", seats=2 + 1)
    first = result.rounds[0]
    assert first.elected == ["a", "b"] or first.elected == ["b", "a"]
    assert first.tie_break is not None and first.tie_break.rule == "draw"
    assert "surplus of" in first.note
    assert result.to_dict()["rounds"][0]["tie_break"]["keys"]


def test_overvote_counts_while_only_one_of_its_marks_continues():
    """RCTab's exhaust_if_multiple: {a, d} exhausts while both continue, counts for a after."""
    ballots = ([("c", {"a", "d"})] * 2 + [({"a", "d"}, "c")] + [("a",)] * 4 + [("b",)] * 5
               + [("c",)] + [("d",)])
    result = count(ballots, "stv", candidates="abcd", seats=1, overvote="exhaust_if_multiple")
    first, third = result.rounds[0], result.rounds[2]
    assert first.exhausted["overvote"] == 1 and first.eliminated == ["d"]
    assert third.tallies == {"a": 6, "b": 5} and third.exhausted["overvote"] == 1
    assert result.winners == ["a"]
    strict = count(ballots, "stv", candidates="abcd", seats=1, overvote="exhaust")
    assert strict.rounds[2].tallies == {"a": 4, "b": 5}
    assert strict.rounds[2].exhausted["overvote"] == 3 and strict.winners == ["b"]


def test_rctab_one_winner_per_round_leaves_the_next_continuing():
    ballots = [("a", "b")] * 9 + [("b", "c")] * 8 + [("c",)] * 4 + [("d",)] * 2
    many = count(ballots, "stv", seats=2, variant="rctab")
    one = count(ballots, "stv", seats=2, variant="rctab", multiple_per_round=False)
    assert many.rounds[0].elected == ["a", "b"]
    assert one.rounds[0].elected == ["a"]
    assert one.rounds[1].tallies["b"] > many.rounds[0].tallies["b"]  # a's surplus reached b
    assert one.rounds[1].elected == ["b"] and one.winners == many.winners


@pytest.mark.parametrize("variant", ["scottish", "rctab", "meek"])
def test_results_are_plain_json(variant):
    import json

    ballots = [("a", "b", "c")] * 7 + [("b", "a")] * 5 + [("c", "b")] * 4 + [("d",)] * 2
    result = count(ballots, "stv", seats=2, variant=variant)
    data = json.loads(result.to_json())
    assert data["winners"] == result.winners and data["options"]["variant"] == variant
