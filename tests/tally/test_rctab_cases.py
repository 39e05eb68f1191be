"""Every single-winner RCTab regression case, reproduced round by round from the files as they are.

For each case the config is read with ``read_rctab`` (rules, candidates and the CVR file it names)
and counted; winners, every round's tallies, threshold, eliminations, transfers and inactive
ballots by reason must equal RCTab's ``_expected_detailed_report.json``. Most configs say
``tiebreakMode: random`` (java.util.Random); none of these cases has a tie, so no draw is needed,
and the test checks that our count made none (a draw we could not match would show up here).
The multi-winner case belongs to the STV tests.
"""
import json

import pytest

from pbapp.tally.formats.rctab import read_rctab

CASES = ["test_set_0_skipped_first_choice", "test_set_1_exhaust_at_overvote",
         "test_set_2_overvote_skip_to_next", "test_set_3_skipped_choice_exhaust",
         "test_set_4_skipped_choice_next", "test_set_5_two_skipped_choice_exhaust",
         "test_set_6_duplicate_exhaust", "test_set_7_duplicate_skip_to_next",
         "generic_csv_test"]
REASONS = {"overvotes": "overvote", "skippedRankings": "skipped_rankings",
           "exhaustedChoices": "exhausted_choices", "repeatedRankings": "repeated_rankings"}


def _case(testdata, name):
    folder = testdata / "rctab" / name
    expected = json.loads((folder / f"{name}_expected_detailed_report.json").read_text())
    return read_rctab(folder / f"{name}_config.json"), expected


@pytest.mark.parametrize("name", CASES)
def test_rctab_case(testdata, name):
    election, expected = _case(testdata, name)
    result = election.count()
    rounds = expected["results"]
    summary = expected["summary"]

    assert result.method == "irv"
    assert result.winners == [r["tallyResults"][0]["elected"] for r in rounds
                              if r["tallyResults"] and "elected" in r["tallyResults"][0]]
    assert result.ballots == float(summary["totalNumBallots"])
    assert result.extra["undervotes"] == summary["undervotes"]
    assert [r.threshold for r in result.rounds][-1] == float(summary["finalThreshold"])
    assert len(result.rounds) == len(rounds)
    assert result.tie_breaks == []

    for ours, theirs in zip(result.rounds, rounds):
        where = f"round {theirs['round']}"
        assert ours.number == theirs["round"]
        assert ours.tallies == {k: float(v) for k, v in theirs["tally"].items()}, where
        assert ours.threshold == float(theirs["threshold"]), where
        assert ours.exhausted == {REASONS[k]: float(v)
                                  for k, v in theirs["inactiveBallots"].items()}, where
        results = theirs["tallyResults"]
        assert ours.eliminated == [x["eliminated"] for x in results if "eliminated" in x], where
        assert ours.elected == [x["elected"] for x in results if "elected" in x], where
        moved = {}
        for x in results:
            moved.update({k: float(v) for k, v in x["transfers"].items()})
        exhausted = moved.pop("exhausted", 0.0)
        assert {k: v for k, v in ours.transfers.items() if v > 0} == moved, where
        assert {k: -v for k, v in ours.transfers.items() if v < 0} == \
            {c: ours.tallies[c] for c in ours.eliminated}, where
        if ours.number < len(result.rounds):
            after = result.rounds[ours.number]
            assert sum(after.exhausted.values()) - sum(ours.exhausted.values()) == exhausted


def test_generic_csv_write_in_goes_first(testdata):
    """The 'Write-In' column is RCTab's undeclared write-in: out in round 1 despite 6 votes."""
    election, _ = _case(testdata, "generic_csv_test")
    assert election.candidates[-1] == "Undeclared Write-ins"
    first = election.count().rounds[0]
    assert first.eliminated == ["Undeclared Write-ins"]
    assert first.note == "undeclared write-ins are eliminated first"


def test_rules_read_from_config(testdata):
    election, _ = _case(testdata, "test_set_6_duplicate_exhaust")
    assert election.method == "irv"
    assert election.options["duplicate"] == "exhaust"
    assert election.options["overvote"] == "skip"
    assert election.options["max_skipped"] == 4 and election.options["max_rankings"] == 4
    assert election.options["tiebreak"] == "rctab-random" and election.options["seed"] == "0"
    assert election.title == "test set 6"
