"""Cast-vote records: CSV (both layouts), NIST CDF JSON, RCTab configs; errors name the line."""
import io
import json
import shutil

import pytest

from pbapp.tally import BallotError, FileFormatError
from pbapp.tally.formats.cdf import WRITE_IN, parse_cdf, read_cdf
from pbapp.tally.formats.csvcvr import parse_csv, read_csv, write_csv
from pbapp.tally.formats.rctab import read_rctab, rules_from_config
from pbapp.tally.profile import from_ballots

OV = frozenset


def ballots(election):
    return sorted(election.profile.ballots(), key=repr)


# --- CSV, rank layout ---------------------------------------------------------------------

RANKS = """Ballot ID,Precinct,Rank 1,Rank 2,Rank 3
1,North,Alice,Bob,
2,North,Bob,,Alice
3,South,Alice|Carol,Bob,
4,South,Alice,Bob,
5,South,,,
"""


def test_rank_layout():
    e = parse_csv(RANKS)
    assert e.candidates == ["Alice", "Bob", "Carol"]
    assert e.meta["layout"] == "ranks"
    assert ballots(e) == sorted([(2.0, ("Alice", "Bob")), (1.0, ("Bob", None, "Alice")),
                                 (1.0, (OV({"Alice", "Carol"}), "Bob")), (1.0, ())], key=repr)


def test_rank_layout_headers_and_count_column():
    text = "Weight,1st Choice,2nd Choice\n3,a,b\n2.5,b,\n"
    e = parse_csv(text)
    assert ballots(e) == [(2.5, ("b",)), (3.0, ("a", "b"))]


def test_quoted_names_and_crlf():
    text = 'id,Choice 1,Choice 2\r\n1,"Smith, Jane",Lee\r\n2,Lee,"Smith, Jane"\r\n'
    e = parse_csv(text)
    assert e.candidates == ["Lee", "Smith, Jane"]
    assert ballots(e) == [(1.0, ("Lee", "Smith, Jane")), (1.0, ("Smith, Jane", "Lee"))]


def test_given_candidates_fix_the_order_and_refuse_strangers():
    e = parse_csv(RANKS, candidates=["Carol", "Bob", "Alice", "Dan"])
    assert e.candidates == ["Carol", "Bob", "Alice", "Dan"]
    with pytest.raises(FileFormatError, match=r"line 4: rank 1: 'Alice\|Carol'|line 4: rank 1: "
                                              r"'Carol' is not a candidate"):
        parse_csv(RANKS, candidates=["Alice", "Bob"])


# --- CSV, candidate layout (RCTab generic CSV) ----------------------------------------------

def test_candidate_layout_rctab_file(testdata):
    path = testdata / "rctab" / "generic_csv_test" / "generic_csv_test_cvr.csv"
    e = read_csv(path, first_vote_column=4, write_in_label="Write-In")
    assert e.candidates == ["Lettuce", "Broccoli", "Cucumber", "Cauliflower", WRITE_IN]
    assert e.profile.total == 26
    first = e.profile.ballots()[0]
    assert first == (1.0, ("Cucumber", "Broccoli"))
    auto = read_csv(path, write_in_label="Write-In")  # id columns found by name and content
    assert ballots(auto) == ballots(e)


def test_candidate_layout_overvotes_and_skips():
    text = "voter,A,B,C\n1,1,1,2\n2,,3,1\n"
    e = parse_csv(text)
    assert e.meta["layout"] == "candidates"
    assert ballots(e) == [(1.0, ("C", None, "B")), (1.0, (OV({"A", "B"}), "C"))]


# --- CSV round trip -------------------------------------------------------------------------

PROFILE = from_ballots([(3, ("a", "b")), (2, (None, "c", "a")), (1, ({"a", "b"}, "c")),
                        (4, ("c",)), (1, ())], candidates=["a", "b", "c"])


@pytest.mark.parametrize("one_per_ballot", [False, True])
def test_write_then_read_gives_the_same_ballots(tmp_path, one_per_ballot):
    path = tmp_path / "out.csv"
    write_csv(PROFILE, path, one_per_ballot=one_per_ballot)
    back = read_csv(path, candidates=PROFILE.candidates)
    assert back.profile.candidates == PROFILE.candidates
    assert back.profile.ballots() == PROFILE.ballots()
    assert (back.profile.rankings == PROFILE.rankings).all()


def test_write_fractional_counts_to_a_stream():
    profile = from_ballots([(0.5, ("a",)), (1.25, ("b", "a"))])
    buf = io.StringIO()
    write_csv(profile, buf)
    assert parse_csv(buf.getvalue()).profile.ballots() == profile.ballots()
    with pytest.raises(BallotError, match="one per line"):
        write_csv(profile, io.StringIO(), one_per_ballot=True)


# --- CSV errors name the line -----------------------------------------------------------------

@pytest.mark.parametrize("text, line, message", [
    ("id,Rank 1,Rank 2\n1,a,b\n2,a\n3,b,a\n", 3, "expected 3 fields as in the header, found 2"),
    ("id,Rank 1,Rank 2\n1,a,b\n2,a,b,c\n", 3, "expected 3 fields as in the header, found 4"),
    ('id,Rank 1,Rank 2\n1,"a",b\n2,a\n', 3, "expected 3 fields"),
    ("id,A,B\n1,1,2\n2,1,x\n3,2,1\n", 3, "column 'B': rank 'x' is not a whole number"),
    ("id,A,B\n1,1,2\n2,0,1\n", 3, "rank '0' is not a whole number from 1"),
    ("Count,Rank 1\n2,a\nmany,b\n", 3, "count 'many' is not a number of ballots"),
    ("id,Rank 1,Rank 3\n1,a,b\n", 1, "numbered 1..N once each"),
    ("", 1, "no header line"),
])
def test_malformed_csv(text, line, message):
    with pytest.raises(FileFormatError, match=message) as info:
        parse_csv(text, path="votes.csv")
    assert info.value.line == line
    assert str(info.value).startswith(f"votes.csv:line {line}: ")


def test_unknown_candidate_names_its_first_line():
    text = "id,Rank 1\n" + "".join(f"{i},a\n" for i in range(1, 6)) + "6,zed\n7,zed\n"
    with pytest.raises(FileFormatError, match="line 7: rank 1: 'zed' is not a candidate"):
        parse_csv(text, candidates=["a"])


# --- NIST CDF -----------------------------------------------------------------------------------

def _cdf(cvrs, selections=("A", "B", "C")):
    return {
        "Election": [{"@id": "e", "Candidate": [{"@id": f"c-{s}", "Name": f"Cand {s}"}
                                                for s in selections],
                      "Contest": [{"@id": "k1", "Name": "Mayor", "ContestSelection": [
                          {"@id": f"cs-{s}", "CandidateIds": [f"c-{s}"]} for s in selections]}]}],
        "CVR": [{"CurrentSnapshotId": f"s{i}", "CVRSnapshot": [{"@id": f"s{i}", "CVRContest": [
            {"ContestId": "k1", "CVRContestSelection": [
                {"ContestSelectionId": f"cs-{sel}", "SelectionPosition": [dict(pos, Rank=rank)]}
                for sel, rank, pos in marks]}]}]} for i, marks in enumerate(cvrs)],
    }


def test_cdf_rctab_file(testdata):
    path = testdata / "rctab" / "test_set_1_exhaust_at_overvote" / \
        "test_set_1_exhaust_at_overvote_cvr.json"
    e = read_cdf(path)
    names = [f"Candidate {x} Name" for x in "ABCD"]
    assert e.candidates == names
    assert e.title == "test set 1"
    assert e.profile.total == 15
    a, b, c, d = names
    assert e.profile.ballots()[0] == (1.0, (OV({a, b}), None, c, d))
    assert (1.0, (a, None, None, c)) in e.profile.ballots()


def test_cdf_marks_that_do_not_count():
    data = _cdf([[("A", 1, {}), ("B", 2, {"HasIndication": "no"}), ("C", 3, {"NumberVotes": 0})],
                 [("B", 1, {"IsAllocable": "no"})],
                 []])
    e = parse_cdf(data)
    assert e.profile.ballots() == [(1.0, ("Cand A",)), (2.0, ())]


def test_cdf_without_an_election_section_uses_selection_ids():
    data = _cdf([[("A", 1, {}), ("B", 1, {})], [("B", 2, {})]])
    del data["Election"]
    e = parse_cdf(data, contest="k1")
    assert e.candidates == ["cs-A", "cs-B"]
    assert ballots(e) == [(1.0, (None, "cs-B")), (1.0, (OV({"cs-A", "cs-B"}),))]


def test_cdf_write_in_selection():
    data = _cdf([[("W", 1, {}), ("A", 2, {})]], selections=("A", "W"))
    data["Election"][0]["Contest"][0]["ContestSelection"][1] = {"@id": "cs-W", "IsWriteIn": True}
    e = parse_cdf(data)
    assert e.profile.ballots() == [(1.0, (WRITE_IN, "Cand A"))]


def test_cdf_errors_name_the_line():
    data = _cdf([[("A", 1, {})], [("A", 1, {"NumberVotes": 2})]])
    text = json.dumps(data, indent=1)
    with pytest.raises(FileFormatError, match="CVR #2: NumberVotes 2") as info:
        parse_cdf(text, path="cvr.json")
    assert text.splitlines()[info.value.line - 1].strip() == '"@id": "s1",'
    data = _cdf([[("A", 1, {}), ("Z", 2, {})]])
    with pytest.raises(FileFormatError, match="ContestSelectionId 'cs-Z' is not a selection"):
        parse_cdf(json.dumps(data, indent=1))
    with pytest.raises(FileFormatError, match="line 3: not valid JSON"):
        parse_cdf('{\n"CVR": [\n,]}')
    with pytest.raises(FileFormatError, match='no "CVR" list'):
        parse_cdf("{}")
    with pytest.raises(FileFormatError, match="rank 'x'"):
        parse_cdf(_cdf([[("A", "x", {})]]))
    with pytest.raises(FileFormatError, match="not in the candidate list"):
        parse_cdf(_cdf([[("A", 1, {})]]), candidates=["Cand B"])


def test_cdf_with_several_contests_needs_a_choice():
    data = _cdf([[("A", 1, {})]])
    data["Election"][0]["Contest"].append({"@id": "k2", "Name": "Clerk", "ContestSelection": []})
    with pytest.raises(FileFormatError, match="several contests"):
        parse_cdf(data)
    assert parse_cdf(data, contest="Mayor").profile.total == 1
    assert parse_cdf(data, contest="Clerk").profile.total == 0  # nobody voted in it


# --- RCTab configs ----------------------------------------------------------------------------

def test_rules_from_config_maps_every_rule():
    config = {"candidates": [{"name": "A"}, {"name": "B", "excluded": True}],
              "rules": {"winnerElectionMode": "singleWinnerMajority", "numberOfWinners": "1",
                        "overvoteRule": "exhaustIfMultipleContinuing",
                        "maxSkippedRanksAllowed": "unlimited", "maxRankingsAllowed": "max",
                        "exhaustOnDuplicateCandidate": True, "tiebreakMode": "useCandidateOrder",
                        "randomSeed": "", "decimalPlacesForVoteArithmetic": "4",
                        "batchElimination": True, "continueUntilTwoCandidatesRemain": False,
                        "minimumVoteThreshold": "0", "stopTabulationEarlyAfterRound": ""}}
    method, options = rules_from_config(config)
    assert method == "irv"
    assert options == {"seats": 1, "overvote": "exhaust_if_multiple", "max_skipped": None,
                       "max_rankings": None, "duplicate": "exhaust", "withdrawn": ["B"],
                       "decimals": 4, "tiebreak": "candidate-order", "write_in": WRITE_IN,
                       "batch_elimination": True, "continue_until_two": False}


def test_rules_from_config_multi_winner_is_stv():
    method, options = rules_from_config({"rules": {
        "winnerElectionMode": "multiWinnerAllowOnlyOneWinnerPerRound", "numberOfWinners": "3",
        "nonIntegerWinningThreshold": True, "tiebreakMode": "random", "randomSeed": "7"}})
    assert method == "stv"
    assert options["seats"] == 3 and options["variant"] == "rctab"
    assert options["multiple_per_round"] is False and options["quota"] == "droop-exact"
    assert options["tiebreak"] == "draw" and options["seed"] == "7"


@pytest.mark.parametrize("rules, message", [
    ({"minimumVoteThreshold": "10"}, "minimumVoteThreshold"),
    ({"winnerElectionMode": "multiPassIrv"}, "multiPassIrv"),
    ({"hareQuota": True}, "hareQuota"),
    ({"overvoteRule": "sometimes"}, "overvoteRule"),
    ({"maxSkippedRanksAllowed": "lots"}, "whole number"),
])
def test_unsupported_rctab_rules_are_refused(rules, message):
    with pytest.raises(BallotError, match=message):
        rules_from_config({"rules": rules})


def test_read_rctab_resolves_paths_and_aliases(testdata, tmp_path):
    folder = testdata / "rctab" / "test_set_0_skipped_first_choice"
    config = json.loads((folder / "test_set_0_skipped_first_choice_config.json").read_text())
    (tmp_path / "data").mkdir()
    shutil.copy(folder / "test_set_0_skipped_first_choice_cvr.json", tmp_path / "data" / "c.json")
    config["cvrFileSources"][0]["filePath"] = "data/c.json"
    config["candidates"][0] = {"name": "Ann", "aliases": ["Candidate A Name"]}
    (tmp_path / "contest.json").write_text(json.dumps(config))
    e = read_rctab(tmp_path / "contest.json")
    assert e.candidates[0] == "Ann" and e.profile.total == 12
    assert e.count().rounds[0].tallies["Ann"] == 4


def test_read_rctab_refuses_unknown_providers(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps(
        {"cvrFileSources": [{"filePath": "x.csv", "provider": "ess"}], "candidates": [],
         "rules": {}}))
    with pytest.raises(FileFormatError, match="provider 'ess' is not supported"):
        read_rctab(tmp_path / "c.json")


def test_cli_applies_rules_from_a_config(testdata, capsys):
    from pbapp.tally.cli import main

    folder = testdata / "rctab" / "test_set_3_skipped_choice_exhaust"
    code = main([str(folder / "test_set_3_skipped_choice_exhaust_cvr.json"), "--rules",
                 str(folder / "test_set_3_skipped_choice_exhaust_config.json"), "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["winners"] == ["Candidate B Name"]
    assert out["rounds"][-1]["exhausted"]["skipped_rankings"] == 3
