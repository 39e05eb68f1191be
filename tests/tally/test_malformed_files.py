"""``pbapp-tally`` on malformed files: exit 2 with one line naming the file, never a traceback.

The seeds below are small valid files of every format, written for this test. Hypothesis feeds
the command random bytes and random mutations of them (bytes, lines, tokens, JSON values); every
run must exit 0 or 2, and an exit 2 must print exactly one line that names the file.
"""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbapp.tally import FileFormatError
from pbapp.tally.cli import main
from pbapp.tally.formats import read_election
from pbapp.tally.formats.blt import parse_blt, read_blt, write_blt
from pbapp.tally.numbers import MAX_COUNT, ascii_decimal, ascii_int
from pbapp.tally.profile import from_ballots

BLT = """\
# seed: four candidates, two seats, one withdrawn
4 2
-4
3 1 3 0
2 1 2 0
1 2=3 1 0
(b1) 2 2 4 0
2 3 - 2 0
1 0
0
"Ann"
"Bo # not a comment"
Cy
"Di"  # withdrawn
"Seed election"
"""

PB_APPROVAL = """\
META
key;value
description;Seed approval
num_projects;3
num_votes;4
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
1;60;Park
2;40;"Library; new"
3;30;Bikes
VOTES
voter_id;vote
v1;1,2
v2;2,3
v3;1
v4;3
"""

PB_ORDINAL = PB_APPROVAL.replace("vote_type;approval", "vote_type;ordinal").replace(
    "rule;greedy", "rule;greedy\nmax_length;3\nscoring_fn;3,2,1")

PB_CUMULATIVE = """\
META
key;value
budget;100
vote_type;cumulative
rule;equalshares
PROJECTS
project_id;cost
a;50
b;50
c;20
VOTES
voter_id;vote;points
1;a,b;3,2
2;c;5
3;b,c;1.5,3.5
"""

CSV_RANKS = """\
Ballot,Rank 1,Rank 2,Rank 3
1,Ann,Bo,
2,Bo,Ann|Cy,
3,Cy,,Ann
4,"Ann",Cy,Bo
"""

CSV_COUNTED = "Count,Rank 1,Rank 2\n3,Ann,Bo\n2,Bo,\n1.5,Cy,Ann\n"

CSV_CANDIDATES = "Response ID,Ann,Bo,Cy\nr1,1,2,\nr2,,1,2\nr3,2,1,3\nr4,1,1,\n"


def cdf_report(marks=(("A", 1), ("B", 2)), names=("A", "B", "C")) -> dict:
    """A CDF report: each ballot in ``marks`` is a list of (candidate letter, rank)."""
    ballots = [marks, [("B", 1)], [("C", 1), ("A", 3)], []]
    return {
        "GeneratedDate": "2026-01-01",
        "Election": [{"@id": "e1",
                      "Candidate": [{"@id": f"c-{n}", "Name": f"Cand {n}"} for n in names],
                      "Contest": [{"@id": "k1", "Name": "Mayor", "ContestSelection": [
                          {"@id": f"cs-{n}", "CandidateIds": [f"c-{n}"]} for n in names]}]}],
        "CVR": [{"UniqueId": f"u{i}", "CurrentSnapshotId": f"s{i}",
                 "CVRSnapshot": [{"@id": f"s{i}", "CVRContest": [
                     {"ContestId": "k1", "CVRContestSelection": [
                         {"ContestSelectionId": f"cs-{n}",
                          "SelectionPosition": [{"Rank": r, "HasIndication": "yes",
                                                 "NumberVotes": 1}]}
                         for n, r in ballot]}]}]}
                for i, ballot in enumerate(ballots)],
    }


def rctab_config(cvr: str = "cvr.json") -> dict:
    return {"outputSettings": {"contestName": "Seed contest"},
            "cvrFileSources": [{"filePath": cvr, "provider": "cdf", "contestId": "k1"}],
            "candidates": [{"name": "Cand A"}, {"name": "Cand B", "aliases": ["B"]},
                           {"name": "Cand C", "excluded": False}],
            "rules": {"winnerElectionMode": "singleWinnerMajority", "numberOfWinners": "1",
                      "overvoteRule": "exhaustImmediately", "tiebreakMode": "useCandidateOrder",
                      "maxSkippedRanksAllowed": "1", "maxRankingsAllowed": "max",
                      "decimalPlacesForVoteArithmetic": "4"}}


CDF = json.dumps(cdf_report(), indent=1)
RCTAB = json.dumps(rctab_config(), indent=1)

#: file name -> seed text; every seed counts cleanly (checked below)
SEEDS = {"seed.blt": BLT, "approval.pb": PB_APPROVAL, "ordinal.pb": PB_ORDINAL,
         "cumulative.pb": PB_CUMULATIVE, "ranks.csv": CSV_RANKS, "counted.csv": CSV_COUNTED,
         "candidates.csv": CSV_CANDIDATES, "cdf.json": CDF, "contest.json": RCTAB}

#: text that trips readers: non-ASCII digits, NUL, BOM, quotes, huge and negative numbers
NASTY = ["²", "٥", "\x00", "\ufeff", '"', '""', ",", ";", "|", "=", "-", "#", "(", ")", "\n",
         "\r", "\u2028", "0", "-1", "-0", "1_000", "+3", "1e400", "NaN", "Infinity", "1.5",
         "9" * 30, "9" * 5000, "[" * 3000, "{}", "[]", "null", "true", '"x"', "\udcff",
         "\\ud800", "Rank 1", "META", "VOTES", "  ", "\t", "é"]


def tally(folder: Path, name: str, data: bytes | str, *args: str) -> tuple[int, str, str]:
    """Write ``data`` to ``folder/name`` and run the command on it in this process."""
    path = folder / name
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(path), *args])
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str, names: str | Path, line: int | None = None) -> None:
    """Exit 0, or exit 2 with exactly one line naming the file (and the line, when given)."""
    assert "Traceback" not in err
    assert code in (0, 2), err
    if code == 2:
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert err.startswith("pbapp-tally: error: ") and str(names) in err, err
        if line is not None:
            assert f":line {line}: " in err, err


def refused(folder: Path, name: str, data, *args: str, line: int | None = None) -> str:
    code, out, err = tally(folder, name, data, *args)
    assert code == 2, (out, err)
    assert_clean(code, err, folder / name, line)
    return err


def setup_rctab(folder: Path) -> None:
    (folder / "cvr.json").write_text(CDF, encoding="utf-8")


# --- the seeds are valid ----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_seed_counts(tmp_path, name):
    setup_rctab(tmp_path)
    code, out, err = tally(tmp_path, name, SEEDS[name], "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["winners"]


# --- the cases of issue 16 --------------------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    ("2 1\n² 1 2 0\n0\nA\nB\nT\n", 2),          # "²".isdigit() but int() fails
    ("2 1\n1 1 0\n1 1 ² 0\n0\nA\nB\nT\n", 3),    # as a preference
    ("2 1\n1 1 0\n1 ٢ 0\n0\nA\nB\nT\n", 3),      # int() reads "٢" as 2
    ("6 1\n1 1 0\n1 ٥ 0\n0\nA\nB\nC\nD\nE\nF\nT\n", 3),
    ("2 1\n1 1 0\n٣ 1 0\n0\nA\nB\nT\n", 3),
    ("2 1\n1 1 0\n1_000 1 0\n0\nA\nB\nT\n", 3),  # int() reads "1_000" as 1000
    ("2 1\n+3 1 0\n0\nA\nB\nT\n", 2),
    ("²\n1 1 0\n0\nA\nB\nT\n", 1),
    ("2 ٢\n1 1 0\n0\nA\nB\nT\n", 1),
    ("2 1\n-٢\n1 1 0\n0\nA\nB\nT\n", 2),
    ("2 1\n1 1=² 0\n0\nA\nB\nT\n", 2),
    ("2 1\n1 1 0\n²⁵ 1 0\n0\nA\nB\nT\n", 3),
    ("2 1\n1.² 1 0\n0\nA\nB\nT\n", 2),
])
def test_blt_numbers_are_ascii_digits(tmp_path, text, line):
    refused(tmp_path, "bad.blt", text, line=line)


@pytest.mark.parametrize("text, line", [
    (f"2 1\n{'9' * 5000} 1 0\n0\nA\nB\nT\n", 2),         # int() refuses 4,301+ digits
    (f"2 1\n1 1 0\n1 {'1' * 5000} 0\n0\nA\nB\nT\n", 3),
    (f"{'9' * 5000} 1\n1 1 0\n0\nA\nB\nT\n", 1),
    (f"2 1\n{MAX_COUNT + 1} 1 0\n0\nA\nB\nT\n", 2),      # float64 would round the total
    (f"2 1\n1{'0' * 400} 1 0\n0\nA\nB\nT\n", 2),          # too big for a float at all
])
def test_blt_huge_numbers(tmp_path, text, line):
    refused(tmp_path, "big.blt", text, line=line)


def test_blt_negative_and_zero_counts(tmp_path):
    refused(tmp_path, "neg.blt", "2 1\n1 1 0\n-3 1 0\n0\nA\nB\nT\n", line=3)
    refused(tmp_path, "zero.blt", "2 1\n1 1 0\n0 1 0\n1 2 0\n0\nA\nB\nT\n", line=3)


@pytest.mark.parametrize("name, data, line", [
    ("latin1.csv", "id,Rank 1\n1,Zoë\n".encode("latin-1"), 2),
    ("latin1.pb", PB_APPROVAL.replace("Park", "Parc é").encode("latin-1"), 11),
    ("latin1.blt", "2 1\n1 1 0\n0\n\"Zoë\"\nB\nT\n".encode("latin-1"), 4),
    ("latin1.json", CDF.replace("Cand A", "Cand é").encode("latin-1"), None),
    ("utf16.csv", "id,Rank 1\n1,A\n".encode("utf-16"), 1),
])
def test_text_that_is_not_utf8(tmp_path, name, data, line):
    err = refused(tmp_path, name, data, line=line)
    assert "not UTF-8" in err


def test_deeply_nested_json(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    assert "nested too deeply" in refused(tmp_path, "deep.json", deep)
    config = '{"cvrFileSources": [], "rules": ' + deep + "}"
    assert "nested too deeply" in refused(tmp_path, "deep_config.json", config)
    (tmp_path / "rules.json").write_text(deep)
    code, _, err = tally(tmp_path, "seed.blt", BLT, "--rules", str(tmp_path / "rules.json"))
    assert code == 2 and "nested too deeply" in err
    assert_clean(code, err, tmp_path / "rules.json")


def test_json_numbers_of_thousands_of_digits(tmp_path):
    report = CDF.replace('"Rank": 2', '"Rank": ' + "9" * 5000)
    refused(tmp_path, "digits.json", report)


@pytest.mark.parametrize("rank", [10 ** 12, "1" + "0" * 12, "²", "٥", True, 2.5, -1, 0,
                                  [1], {"r": 1}, None, "1e3"])
def test_cdf_ranks(tmp_path, rank):
    report = cdf_report(marks=[("A", 1), ("B", rank)])
    err = refused(tmp_path, "ranks.json", json.dumps(report, indent=1))
    assert "rank" in err.lower()


@pytest.mark.parametrize("change", [
    lambda r: r.update(CVR=[1, 2]),
    lambda r: r.update(CVR=[{"CVRSnapshot": "s"}]),
    lambda r: r.update(Election={"a": 1}),
    lambda r: r["Election"][0].update(Candidate="Ann"),
    lambda r: r["Election"][0].update(Contest=[["k1"]]),
    lambda r: r["Election"][0]["Candidate"][0].update({"@id": ["c-A"]}),
    lambda r: r["Election"][0]["Candidate"][0].update(Name={"first": "A"}),
    lambda r: r["Election"][0]["Contest"][0]["ContestSelection"][0].update(CandidateIds="c-A"),
    lambda r: r["Election"][0]["Contest"][0]["ContestSelection"][0].update(CandidateIds=[{}]),
    lambda r: r["CVR"][0].update(CurrentSnapshotId=["s0"]),
    lambda r: r["CVR"][0]["CVRSnapshot"][0].update(CVRContest={"ContestId": "k1"}),
    lambda r: r["CVR"][0]["CVRSnapshot"][0]["CVRContest"][0].update(CVRContestSelection=[7]),
    lambda r: r["CVR"][0]["CVRSnapshot"][0]["CVRContest"][0]["CVRContestSelection"][0].update(
        SelectionPosition={"Rank": 1}),
    lambda r: r["CVR"][0]["CVRSnapshot"][0]["CVRContest"][0]["CVRContestSelection"][0][
        "SelectionPosition"][0].update(NumberVotes=[1]),
    lambda r: r["Election"][0]["Contest"][0]["ContestSelection"][0].update({"@id": {"x": 1}}),
    lambda r: r["Election"][0]["Candidate"][0].update(Name="Cand \ud800"),
])
def test_cdf_values_of_the_wrong_type(tmp_path, change):
    report = cdf_report()
    change(report)
    refused(tmp_path, "typed.json", json.dumps(report, indent=1))


def test_a_lone_surrogate_is_refused_in_a_real_process(tmp_path):
    path = tmp_path / "half.json"
    path.write_text(json.dumps(cdf_report()).replace("Cand A", "Cand \\ud800"))
    proc = subprocess.run([sys.executable, "-m", "pbapp.tally", str(path), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr


@pytest.mark.parametrize("name", ["empty.blt", "empty.pb", "empty.csv", "empty.json"])
@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b"\x00", b"   \r\n"])
def test_empty_files(tmp_path, name, data):
    refused(tmp_path, name, data)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_one_bom_is_read_two_are_refused(tmp_path, name):
    setup_rctab(tmp_path)
    code, _, err = tally(tmp_path, name, "\ufeff" + SEEDS[name])
    assert (code, err) == (0, "")
    code, _, err = tally(tmp_path, name, "\ufeff\ufeff" + SEEDS[name])
    assert_clean(code, err, tmp_path / name)


@pytest.mark.parametrize("name, text, line", [
    ("nul.blt", "2 1\n1\x00 1 0\n0\nA\nB\nT\n", 2),
    ("nul.blt", "2 1\x00\n1 1 0\n0\nA\nB\nT\n", 1),
    ("nul.pb", PB_APPROVAL.replace("budget;100", "budget;10\x000"), 6),
    ("nul.csv", CSV_COUNTED.replace("3,Ann", "3\x00,Ann"), 2),
    ("nul.csv", CSV_CANDIDATES.replace("r2,,1,2", "r2,,1\x00,2"), 3),
])
def test_nul_bytes_in_numbers(tmp_path, name, text, line):
    refused(tmp_path, name, text, line=line)


@pytest.mark.parametrize("name, text, line", [
    ("num.pb", PB_APPROVAL.replace("budget;100", "budget;١٠٠"), 6),
    ("num.pb", PB_APPROVAL.replace("1;60;Park", "1;6²;Park"), 11),
    ("num.pb", PB_APPROVAL.replace("budget;100", f"budget;{'9' * 5000}"), 6),
    ("num.pb", PB_APPROVAL.replace("budget;100", "budget;1e3"), 6),
    ("num.pb", PB_APPROVAL.replace("num_votes;4", "num_votes;٤"), 5),
    ("num.pb", PB_CUMULATIVE.replace("3,2", "nan,2"), 13),
    ("num.pb", PB_CUMULATIVE.replace("3,2", "inf,2"), 13),
    ("num.pb", PB_CUMULATIVE.replace("3,2", "٣,2"), 13),
    ("num.pb", PB_ORDINAL.replace("scoring_fn;3,2,1", "scoring_fn;3,2,nan"), 10),
    ("num.pb", PB_ORDINAL.replace("max_length;3", "max_length;³"), 9),
    ("num.csv", CSV_COUNTED.replace("3,Ann", "٣,Ann"), 2),
    ("num.csv", CSV_COUNTED.replace("3,Ann", "1e3,Ann"), 2),
    ("num.csv", CSV_COUNTED.replace("3,Ann", f"{MAX_COUNT * 10},Ann"), 2),
    ("num.csv", CSV_COUNTED.replace("3,Ann", "-2,Ann"), 2),
    ("num.csv", CSV_CANDIDATES.replace("r1,1,2", "r1,1,²"), 2),
    ("num.csv", CSV_CANDIDATES.replace("r1,1,2", "r1,1,٢"), 2),
    ("num.csv", CSV_CANDIDATES.replace("r1,1,2", "r1,1,99999999999"), 2),
    ("num.csv", CSV_RANKS.replace("Rank 3", "Rank ٣"), 1),
    ("num.csv", CSV_RANKS.replace("Rank 3", "Rank " + "3" * 5000), 1),
])
def test_pb_and_csv_numbers(tmp_path, name, text, line):
    refused(tmp_path, name, text, line=line)


def test_names_made_of_digits_sort_without_int_errors(tmp_path):
    code, out, err = tally(tmp_path, "digits.csv", "Rank 1,Rank 2\n²,1\n" + "7" * 5000 + ",²\n",
                           "--json")
    assert (code, err) == (0, "")


def test_csv_fields_beyond_the_csv_module_limit(tmp_path):
    big = '"' + "x" * 200_000 + '"'
    refused(tmp_path, "wide.csv", f"Rank 1,Rank 2\nA,B\n{big},A\n", line=3)
    refused(tmp_path, "widehead.csv", f"{big},Rank 1\nA,B\n", line=1)


def test_missing_file_and_directory(tmp_path):
    for name in ("missing.blt", "missing.json", "missing"):
        code, _, err = tally_path(tmp_path / name)
        assert_clean(code, err, tmp_path / name)
        assert code == 2
    for name in ("folder.blt", "folder.json", "folder.csv", "folder"):
        (tmp_path / name).mkdir()
        code, _, err = tally_path(tmp_path / name)
        assert code == 2
        assert_clean(code, err, tmp_path / name)


def tally_path(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(path), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("config, words", [
    ("not json at all", "not valid JSON"),
    ("[1, 2]", "not an object"),
    ('"rules"', "not an object"),
    ('{"rules": [1]}', "rules must be an object"),
    ('{"rules": {"numberOfWinners": "²"}}', "numberOfWinners"),
    ('{"rules": {"numberOfWinners": "٢"}}', "numberOfWinners"),
    ('{"rules": {"decimalPlacesForVoteArithmetic": "1000000000"}}', "at most 20"),
    ('{"rules": {"maxRankingsAllowed": {"n": 3}}}', "maxRankingsAllowed"),
    ('{"rules": {"overvoteRule": ["x"]}}', "overvoteRule"),
    ('{"candidates": "Ann"}', "candidates must be a list"),
    ('{"candidates": [["Ann"]]}', "candidates must be a list"),
])
def test_rules_config_that_is_not_a_config(tmp_path, config, words):
    rules = tmp_path / "rules.json"
    rules.write_text(config, encoding="utf-8")
    code, _, err = tally(tmp_path, "seed.blt", BLT, "--rules", str(rules))
    assert code == 2
    assert_clean(code, err, rules)
    assert words in err


@pytest.mark.parametrize("change, words", [
    (lambda c: c.update(cvrFileSources=[{"provider": "cdf"}]), "no filePath"),
    (lambda c: c.update(cvrFileSources=[{"filePath": "nowhere.json", "provider": "cdf"}]),
     "cannot read the CVR file"),
    (lambda c: c.update(cvrFileSources=[{"filePath": ".", "provider": "cdf"}]),
     "cannot read the CVR file"),
    (lambda c: c.update(cvrFileSources=["cvr.json"]), "cvrFileSources must be a list"),
    (lambda c: c.update(candidates=[{"name": "Cand A", "aliases": "A"}]), "aliases"),
    (lambda c: c.update(outputSettings=["x"]), "outputSettings must be an object"),
    (lambda c: c["cvrFileSources"][0].update(firstVoteRowIndex="9" * 5000,
                                              provider="genericCsv"), "firstVoteRowIndex"),
])
def test_rctab_config_as_the_file(tmp_path, change, words):
    setup_rctab(tmp_path)
    config = rctab_config()
    change(config)
    err = refused(tmp_path, "contest.json", json.dumps(config))
    assert words in err


def test_binary_garbage(tmp_path):
    garbage = bytes(range(256)) * 8
    for name in ("g.blt", "g.pb", "g.csv", "g.json"):
        refused(tmp_path, name, garbage)
        refused(tmp_path, name, b"\x00" * 1000)


def test_errors_found_while_counting_name_the_file(tmp_path):
    err = refused(tmp_path, "seed.blt", BLT, "--seats", "9")
    assert str(tmp_path / "seed.blt") in err


# --- BLT names and titles with quotes ---------------------------------------------------------

def test_quotes_in_a_title_and_names_round_trip(tmp_path):
    profile = from_ballots([(2, ("Ann \"the Axe\"", 'Bo"')), (1, ('"Cy"',)), (1, ("#4 D",))])
    path = tmp_path / "quoted.blt"
    write_blt(profile, path, title='#1 "Youth" fund')
    text = path.read_text(encoding="utf-8")
    assert '"#1 ""Youth"" fund"' in text.splitlines()
    back = read_blt(path)
    assert back.title == '#1 "Youth" fund'
    assert back.candidates == profile.candidates
    assert set(back.candidates) == {'Ann "the Axe"', 'Bo"', '"Cy"', "#4 D"}
    assert back.profile.ballots() == profile.ballots()


def test_line_breaks_in_a_title_are_written_as_spaces():
    out = io.StringIO()
    write_blt(from_ballots([("A",)]), out, title="Autumn\nfund\u2028 2026")
    assert parse_blt(out.getvalue()).title == "Autumn fund  2026"


def test_quoted_names_as_other_programs_write_them():
    e = parse_blt('2 1\n1 1 0\n0\n"A ""x"""  # comment\n""""\n"a ""quoted"" title"\n')
    assert e.candidates == ['A "x"', '"'] and e.title == 'a "quoted" title'
    with pytest.raises(FileFormatError, match="line 4: text after the closing quote"):
        parse_blt('2 1\n1 1 0\n0\n"A "x""\nB\nT\n')


def test_convert_writes_quoted_names_that_read_back(tmp_path):
    report = cdf_report()
    report["Election"][0]["Contest"][0]["Name"] = '#1 "Youth" fund'
    report["Election"][0]["Candidate"][0]["Name"] = 'Ann "A" Lee'
    (tmp_path / "q.json").write_text(json.dumps(report), encoding="utf-8")
    code, _, err = tally_path(tmp_path / "q.json", "--convert", str(tmp_path / "q.blt"))
    assert (code, err) == (0, "")
    back = read_election(tmp_path / "q.blt")
    assert back.title == '#1 "Youth" fund' and back.candidates[0] == 'Ann "A" Lee'
    assert back.profile.ballots() == read_election(tmp_path / "q.json").profile.ballots()


def test_tiny_fractional_counts_are_written_without_an_exponent(tmp_path):
    profile = from_ballots([(1e-05, ("A",)), (2.5e-07, ("B", "A"))])
    for suffix in (".blt", ".csv"):
        path = tmp_path / f"tiny{suffix}"
        if suffix == ".blt":
            write_blt(profile, path)
        else:
            from pbapp.tally.formats.csvcvr import write_csv
            write_csv(profile, path)
        assert "e-" not in path.read_text()
        assert read_election(path).profile.ballots() == profile.ballots()


# --- the number helper ------------------------------------------------------------------------

def test_ascii_int_and_decimal():
    assert ascii_int(" 42 ", what="n") == 42 and ascii_int("-3", what="n") == -3
    assert ascii_int("007", what="n", maximum=7) == 7
    assert ascii_decimal("1.50", what="n") == 1.5 and ascii_decimal("2.0", what="n") == 2
    for bad in ("²", "٥", "1_000", "+1", "1e3", "nan", "inf", "", " ", "1.", ".5", "0x10",
                "1 2", None, 3, ["1"]):
        with pytest.raises(FileFormatError, match="digits 0-9"):
            ascii_int(bad, what="n")
    with pytest.raises(FileFormatError, match="too large"):
        ascii_int("9" * 5000, what="n")
    with pytest.raises(FileFormatError, match="line 4: n must be at most 10"):
        ascii_int("11", what="n", maximum=10, line=4, path="f")
    with pytest.raises(FileFormatError, match="at least 1"):
        ascii_decimal("0.5", what="n", minimum=1)


# --- fuzzing ----------------------------------------------------------------------------------

def _edit(text: str, draw) -> str:
    """One random edit: insert, delete or replace characters, or move a line or a token."""
    kind = draw(st.sampled_from(["insert", "delete", "replace", "line", "token"]))
    at = draw(st.integers(0, len(text)))
    if kind == "insert":
        return text[:at] + draw(st.sampled_from(NASTY) | st.text(max_size=4)) + text[at:]
    if kind == "delete":
        return text[:at] + text[at + draw(st.integers(1, 12)):]
    if kind == "replace":
        return text[:at] + draw(st.sampled_from(NASTY)) + text[at + 1:]
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "line":
        j = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["dup", "drop", "swap"]))
        if op == "dup":
            lines.insert(j, lines[i])
        elif op == "drop":
            del lines[i]
        else:
            lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    words = lines[i].split(" ")
    k = draw(st.integers(0, len(words) - 1))
    words[k] = draw(st.sampled_from(NASTY) | st.from_regex(r"-?[0-9]{1,15}", fullmatch=True))
    lines[i] = " ".join(words)
    return "\n".join(lines)


@st.composite
def mutations(draw, seed: str) -> str:
    """The seed with one to four random edits."""
    text = seed
    for _ in range(draw(st.integers(1, 4))):
        text = _edit(text, draw)
    return text


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10 ** 15) | st.floats(allow_nan=True)
    | st.sampled_from(NASTY) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=6)


@st.composite
def json_mutations(draw, seed: dict):
    """The seed with one to three values (anywhere in the tree) replaced by random JSON."""
    data = json.loads(json.dumps(seed))
    for _ in range(draw(st.integers(1, 3))):
        node, path = data, []
        while isinstance(node, dict | list) and node and draw(st.integers(0, 4)):
            key = draw(st.sampled_from(sorted(node) if isinstance(node, dict)
                                       else range(len(node))))
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        parent[key] = draw(JSON_VALUES)
    return json.dumps(data, indent=1)


FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(data=st.binary(max_size=400), name=st.sampled_from(["r.blt", "r.pb", "r.csv", "r.json"]))
def test_random_bytes(tmp_path, data, name):
    code, _, err = tally(tmp_path, name, data)
    assert_clean(code, err, tmp_path / name)


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(SEEDS)), as_json=st.booleans())
def test_mutated_seeds(tmp_path, data, name, as_json):
    setup_rctab(tmp_path)
    text = data.draw(mutations(SEEDS[name]))
    code, _, err = tally(tmp_path, name, text, *(["--json"] if as_json else []))
    assert_clean(code, err, tmp_path)


@FUZZ
@given(text=json_mutations(cdf_report()))
def test_mutated_cdf_values(tmp_path, text):
    code, _, err = tally(tmp_path, "cdf.json", text)
    assert_clean(code, err, tmp_path / "cdf.json")


@FUZZ
@given(text=json_mutations(rctab_config()), as_rules=st.booleans())
def test_mutated_rctab_configs(tmp_path, text, as_rules):
    setup_rctab(tmp_path)
    if as_rules:
        rules = tmp_path / "rules.json"
        rules.write_text(text, encoding="utf-8")
        code, _, err = tally(tmp_path, "seed.blt", BLT, "--rules", str(rules))
        assert_clean(code, err, tmp_path)
    else:
        code, _, err = tally(tmp_path, "contest.json", text)
        assert_clean(code, err, tmp_path)


@FUZZ
@given(data=st.data(), name=st.sampled_from(["seed.blt", "ranks.csv", "counted.csv",
                                             "candidates.csv", "cdf.json", "ordinal.pb"]))
def test_whatever_counts_converts_to_blt_and_back(tmp_path, data, name):
    text = data.draw(mutations(SEEDS[name]))
    code, _, err = tally(tmp_path, name, text)
    if code != 0:
        return
    out = tmp_path / "converted.blt"
    code, _, err = tally_path(tmp_path / name, "--convert", str(out))
    assert (code, err) == (0, "")
    code, _, err = tally_path(out)
    assert (code, err) == (0, ""), out.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, text, line", [
    ("open.pb", PB_APPROVAL.replace('"Library; new"', '"Library; new'), 12),
    ("open.pb", PB_APPROVAL.replace('"Library; new"', '"Library" new'), 12),
    ("open.csv", CSV_RANKS.replace('"Ann",Cy,Bo', '"Ann,Cy,Bo'), 5),
    ("open.csv", CSV_RANKS.replace('"Ann",Cy,Bo', '"Ann"x,Cy,Bo'), 5),
])
def test_quotes_that_do_not_close_are_refused(tmp_path, name, text, line):
    assert "cannot split the line into fields" in refused(tmp_path, name, text, line=line)
