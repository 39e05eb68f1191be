"""Edinburgh 2017, Almond ward: our Scottish STV count must reproduce the published count exactly.

The official results list, for every stage (``Count_Number``), each candidate's total after the
stage (``Total_Votes``) and the change made in it (``Transfers``); ``Status`` and
``Occurred_On_Count`` say when a candidate was deemed elected or was excluded. Our round *k* is
stage *k*: its tallies are the stage totals, and its ``transfers`` are what stage *k + 1* moved.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pbapp.tally.formats.blt import read_blt
from pbapp.tally.profile import REASONS

WARD = "scotland/edinburgh_2017_ward1"
UNITS = Decimal("0.00001")


@pytest.fixture(scope="module")
def count(testdata):
    election = read_blt(testdata / f"{WARD}.blt")
    return election, election.count()


@pytest.fixture(scope="module")
def official(testdata, count):
    """Official rows by stage, keyed by our candidate names (matched on surname)."""
    data = json.loads((testdata / f"{WARD}_official_results.json").read_text())
    election, _ = count
    by_surname = {}
    for name in election.candidates:
        matches = [g for g in data["Constituency"]["countGroup"]
                   if g["Surname"].upper() in name.upper()]
        by_surname[name] = {g["Surname"] for g in matches}
    assert all(len(s) == 1 for s in by_surname.values()), by_surname
    stages: dict[int, dict[str, dict]] = {}
    for group in data["Constituency"]["countGroup"]:
        name = next(n for n, s in by_surname.items() if group["Surname"] in s)
        stages.setdefault(int(group["Count_Number"]), {})[name] = group
    return data["Constituency"]["countInfo"], stages


def units(value) -> int:
    return int(Decimal(str(value)).quantize(UNITS) / UNITS)


def test_file_defaults_give_a_four_seat_stv_count(count):
    election, result = count
    assert (election.seats, election.method, election.title) == (4, "stv", "Ward 1 - Almond")
    assert result.options["variant"] == "scottish" and result.options["decimals"] == 5
    assert result.ballots == 14207


def test_quota_and_winners_in_order_of_election(count, official):
    _, result = count
    info, stages = official
    assert result.extra["quota"] == info["Quota"] == 2842
    assert all(r.threshold == 2842 for r in result.rounds)
    last = stages[max(stages)]
    elected = sorted((g["Occurred_On_Count"], name) for name, g in last.items()
                     if g["Status"] == "Elected")
    assert [name for _, name in elected] == result.winners
    assert [w.split()[1] for w in result.winners] == ["LANG", "YOUNG", "HUTCHISON", "WORK"]


def test_every_stage_total_matches_to_five_decimals(count, official):
    _, result = count
    _, stages = official
    assert len(result.rounds) == len(stages) == 10
    for rnd in result.rounds:
        for name, group in stages[rnd.number].items():
            if name in rnd.tallies:
                assert units(rnd.tallies[name]) == units(group["Total_Votes"]), (rnd.number, name)
            else:  # excluded at an earlier stage: the official table carries a zero
                assert units(group["Total_Votes"]) == 0
                assert any(name in r.eliminated for r in result.rounds[:rnd.number - 1])


def test_transfers_are_the_next_stage_changes(count, official):
    _, result = count
    _, stages = official
    for rnd in result.rounds:
        following = stages.get(rnd.number + 1)
        if following is None:
            assert rnd.transfers == {}  # rule 52: the count ends, nothing more is moved
            continue
        published = {n: units(g["Transfers"]) for n, g in following.items()
                     if units(g["Transfers"])}
        assert {n: units(v) for n, v in rnd.transfers.items()} == published, rnd.number


def test_elections_and_exclusions_happen_at_the_published_stages(count, official):
    _, result = count
    _, stages = official
    last = stages[max(stages)]
    for name, group in last.items():
        stage = int(group["Occurred_On_Count"] or 0)
        if group["Status"] == "Elected":
            assert name in result.rounds[stage - 1].elected
        elif group["Status"] == "Excluded":
            assert result.rounds[stage - 1].eliminated == [name]
    assert not any(r.tie_break for r in result.rounds)


def test_first_preferences(count, official):
    _, result = count
    _, stages = official
    first = {n: float(g["Candidate_First_Pref_Votes"]) for n, g in stages[1].items()}
    assert result.rounds[0].tallies == first


def test_every_vote_is_accounted_for_at_every_stage(count):
    """Tallies + non-transferable papers + what truncation left behind = the valid poll."""
    _, result = count
    poll = 14207 * 100000
    left_behind = []
    for rnd in result.rounds:
        assert set(rnd.exhausted) == set(REASONS)
        held = sum(units(v) for v in rnd.tallies.values())
        left_behind.append(poll - held - sum(units(rnd.exhausted[r]) for r in REASONS))
    assert left_behind[0] == 0
    assert left_behind == sorted(left_behind)  # truncation only ever loses a little more
    assert left_behind[-1] == units(result.extra["residual_surplus"]) < 100000
