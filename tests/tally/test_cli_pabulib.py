"""Issue 17 through ``pbapp-tally``: warnings on stderr, ``--strict``, ``--tie-break``, decimal
``--budget``, published winners; refusals stay one line naming the file (and line), exit 2."""
import json

import pytest

from pbapp.tally.cli import main
from pbfile import pb_file

PROJECTS = [{"project_id": "p1", "cost": "40.50", "selected": "1"},
            {"project_id": "p2", "cost": "30.25", "selected": "2"},
            {"project_id": "p3", "cost": "10", "selected": "0"}]
VOTES = [("p1,p3,p1",), ("p2",)]


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def duplicate(tmp_path):
    return pb_file(tmp_path, {"budget": "50.75"}, PROJECTS, VOTES)


def test_duplicate_is_a_warning_line_and_a_json_warning(capsys, duplicate):
    code, out, err = run(capsys, duplicate, "--json")
    assert code == 0
    (line,) = err.splitlines()
    assert line.startswith(f"pbapp-tally: warning: {duplicate}:line 18: ") and "twice" in line
    data = json.loads(out)
    assert data["warnings"][0]["lines"] == [18]
    assert data["winners"] == ["p3", "p2"] and data["budget"] == 50.75  # all tie: cheaper first
    assert data["published_winners"] == ["p1"] and data["published_unclear"] == {"p2": "2"}
    assert data["agrees_with_published"] is False


def test_strict_keeps_the_refusal(capsys, duplicate):
    code, out, err = run(capsys, duplicate, "--strict")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"pbapp-tally: error: {duplicate}:line 18: ")


@pytest.mark.parametrize("choice, first", [("cheaper", "p2"), ("dearer", "p1"),
                                           ("file-order", "p1"), ("more-votes,dearer", "p1")])
def test_tie_break_option(capsys, tmp_path, choice, first):
    path = pb_file(tmp_path, {"budget": "50.75"}, PROJECTS, [("p1",), ("p2",)])
    code, out, err = run(capsys, path, "--json", "--tie-break", choice)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["winners"][0] == first and data["ties"][0]["among"] == ["p1", "p2"]
    assert data["options"]["tiebreak"] == choice


def test_tie_break_lottery_with_seed_is_reproducible(capsys, tmp_path):
    path = pb_file(tmp_path, {"budget": "50.75"}, PROJECTS, [("p1",), ("p2",)])
    outs = {json.loads(run(capsys, path, "--json", "--tie-break", "lottery", "--seed", s)[1])
            ["winners"][0] for s in ("1", "2", "3", "4", "5", "6")}
    assert outs == {"p1", "p2"}
    again = [run(capsys, path, "--json", "--tie-break", "lottery", "--seed", "9")[1]
             for _ in range(2)]
    assert again[0] == again[1]


def test_unknown_tie_break_is_one_line(capsys, duplicate):
    code, out, err = run(capsys, duplicate, "--tie-break", "coin")
    assert code == 2 and len(err.splitlines()) == 1 and str(duplicate) in err


def test_decimal_budget_option(capsys, duplicate):
    code, out, err = run(capsys, duplicate, "--json", "--budget", "71.00", "--tie-break",
                         "dearer")
    data = json.loads(out)
    assert code == 0 and data["budget"] == 71 and data["winners"] == ["p1", "p2"]
    assert data["agrees_with_published"] is True  # p2's 2 is left out of the comparison


def test_threshold_file_counts(capsys, tmp_path):
    path = pb_file(tmp_path, {"budget": "100", "rule": "greedy-threshold",
                              "min_project_score_threshold": "2"}, PROJECTS,
                   [("p1,p2",), ("p1,p3",), ("p2",)])
    code, out, err = run(capsys, path, "--json")
    assert code == 0 and json.loads(out)["winners"] == ["p2", "p1"]  # tied: cheaper first


def test_text_output_names_warnings_and_ties(capsys, tmp_path):
    path = pb_file(tmp_path, {"budget": "50.75"}, PROJECTS, [("p1,p1",), ("p2",)])
    code, out, err = run(capsys, path)
    assert "Warning: " in out and "Tie between p1, p2" in out and "Budget 50.75" in out
    assert "Published winners: p1" in out


def test_rule_unknown_is_one_line_naming_the_file(capsys, tmp_path):
    path = pb_file(tmp_path, {"rule": "unknown"}, PROJECTS, [("p1",)])
    code, out, err = run(capsys, path)
    assert code == 2 and len(err.splitlines()) == 1 and str(path) in err and "--method" in err
