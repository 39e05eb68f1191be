"""RCTab's multi-winner regression case: three seats, several winners per round, 4 decimals.

Every round of ``_expected_detailed_report.json`` must come out the same: tallies, threshold,
inactive ballots by reason, who was elected or eliminated, and where each round's votes went
(including RCTab's "residual surplus" left behind by truncation and the final-round surplus).
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pbapp.tally.formats.cdf import read_cdf

CASE = "rctab/test_set_multi_winner_whole_threshold/test_set_multi_winner_whole_threshold"
UNIT = Decimal("0.0001")
INACTIVE = {"exhaustedChoices": "exhausted_choices", "overvotes": "overvote",
            "repeatedRankings": "repeated_rankings", "skippedRankings": "skipped_rankings"}
#: the config's rules, written as our options (what ``rctab.rules_from_config`` is to produce)
OPTIONS = {"seats": 3, "variant": "rctab", "multiple_per_round": True, "decimals": 4,
           "overvote": "skip", "max_skipped": 1, "duplicate": "skip", "max_rankings": 6,
           "tiebreak": "candidate-order"}


def units(value) -> int:
    return int(Decimal(str(value)).quantize(UNIT) / UNIT)


@pytest.fixture(scope="module")
def expected(testdata):
    return json.loads((testdata / f"{CASE}_expected_detailed_report.json").read_text())


@pytest.fixture(scope="module")
def config(testdata):
    return json.loads((testdata / f"{CASE}_config.json").read_text())


@pytest.fixture(scope="module")
def result(testdata):
    election = read_cdf(testdata / f"{CASE}_cvr.json")
    return election.count("stv", **OPTIONS)


def check_report(result, expected):
    rounds = expected["results"]
    assert len(result.rounds) == len(rounds)
    winners = [r["elected"] for rnd in rounds for r in rnd["tallyResults"] if "elected" in r]
    assert result.winners == winners
    assert units(result.extra["quota"]) == units(expected["summary"]["finalThreshold"])
    assert result.ballots == int(expected["summary"]["totalNumBallots"])
    inactive_before = 0
    for ours, theirs in zip(result.rounds, rounds, strict=True):
        where = f"round {theirs['round']}"
        assert ours.number == theirs["round"]
        assert {k: units(v) for k, v in ours.tallies.items()} == \
            {k: units(v) for k, v in theirs["tally"].items()}, where
        assert units(ours.threshold) == units(theirs["threshold"]), where
        for key, reason in INACTIVE.items():
            assert units(ours.exhausted[reason]) == units(theirs["inactiveBallots"][key]), where
        decisions = theirs["tallyResults"]
        assert ours.elected == [d["elected"] for d in decisions if "elected" in d], where
        assert ours.eliminated == [d["eliminated"] for d in decisions if "eliminated" in d], where
        inactive_now = sum(units(v) for v in ours.exhausted.values())
        if ours.number > 1:
            check_transfers(result.rounds[ours.number - 2], rounds[ours.number - 2],
                            inactive_now - inactive_before, result, ours is result.rounds[-1])
        inactive_before = inactive_now
    final = rounds[-1]["inactiveBallots"].get("finalRoundSurplus", "0")
    assert units(result.extra["final_round_surplus"]) == units(final)


def check_transfers(ours, theirs, newly_inactive, result, last):
    """Where the previous round's votes went, as RCTab's tallyResults list it."""
    moved: dict[str, int] = {}
    for decision in theirs["tallyResults"]:
        for target, amount in decision["transfers"].items():
            moved[target] = moved.get(target, 0) + units(amount)
    gained = {k: units(v) for k, v in ours.transfers.items() if v > 0}
    assert gained == {k: v for k, v in moved.items()
                      if k not in ("exhausted", "residual surplus")}, ours.number
    lost = -sum(units(v) for v in ours.transfers.values() if v < 0)
    gone = units(result.extra["final_round_surplus"]) if last else newly_inactive
    assert gone == moved.get("exhausted", 0), ours.number
    assert lost - sum(gained.values()) - gone == moved.get("residual surplus", 0), ours.number


def test_every_round_matches_rctab(result, expected):
    check_report(result, expected)
    assert units(result.extra["residual_surplus"]) == 7  # 0.0001 + 0.0003 + 0.0003


def test_winners(result):
    assert result.winners == ["Candidate C Name", "Candidate A Name", "Candidate B Name"]


def test_options_follow_the_config(config):
    """Our option set is the config's rules, so a change in the case would show here."""
    rules = config["rules"]
    assert rules["winnerElectionMode"] == "multiWinnerAllowMultipleWinnersPerRound"
    assert int(rules["numberOfWinners"]) == OPTIONS["seats"]
    assert int(rules["decimalPlacesForVoteArithmetic"]) == OPTIONS["decimals"]
    assert int(rules["maxSkippedRanksAllowed"]) == OPTIONS["max_skipped"]
    assert int(rules["maxRankingsAllowed"]) == OPTIONS["max_rankings"]
    assert rules["overvoteRule"] == "alwaysSkipToNextRank"
    assert rules["exhaustOnDuplicateCandidate"] is False
    assert rules["nonIntegerWinningThreshold"] is False and rules["hareQuota"] is False


def test_the_rctab_config_reader_counts_the_same(testdata, expected):
    """Through the RCTab config (rules and CVR paths) once ``formats.rctab`` is there."""
    from pbapp.tally.formats import rctab
    election = rctab.read_rctab(testdata / f"{CASE}_config.json")
    check_report(election.count(), expected)
