"""Reading and writing pabulib .pb files: round trips and errors that name the line."""
import io
from decimal import Decimal

import pytest

from pbapp.tally import Election, FileFormatError, Project, count
from pbapp.tally.formats import read_election
from pbapp.tally.formats.pabulib import parse_pb, read_pb, write_pb

FILES = ["Poland_Krakow_2019_Bienczyce.pb", "Poland_Czestochowa_2024_Podjasnogorska.pb",
         "Poland_Wroclaw_2017_Rejon_nr_11_750.pb", "Netherlands_Assen_2024.pb"]

VALID = """META
key;value
description;Test
num_projects;3
num_votes;3
budget;100
vote_type;cumulative
rule;greedy
PROJECTS
project_id;cost;name;selected
1;60;"Park; with a bench";1
2;50;Library;0
3;40;Bikes;1
VOTES
voter_id;vote;points
v1;1,3;5,5
v2;2;10
v3;1;10
"""


ORDINAL = VALID.replace("vote_type;cumulative", "vote_type;ordinal").replace(
    "voter_id;vote;points", "voter_id;vote").replace("v1;1,3;5,5", "v1;1,3").replace(
    "v2;2;10", "v2;2").replace("v3;1;10", "v3;1")


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def mutate(line_no: int, new: str | None) -> str:
    """VALID with line ``line_no`` (1-based) replaced, or removed when ``new`` is None."""
    lines = lines_of(VALID)
    if new is None:
        del lines[line_no - 1]
    else:
        lines[line_no - 1] = new
    return "\n".join(lines) + "\n"


def ballots_of(election: Election):
    if election.profile is not None:
        return sorted(election.profile.ballots())
    return election.pb_ballots


def project_rows(election: Election):
    return [(p.id, p.cost, p.name, p.selected, p.extra) for p in election.projects]


# -- reading ------------------------------------------------------------------------------
def test_parse_keeps_projects_meta_and_ballots():
    e = parse_pb(VALID)
    assert e.budget == 100 and e.vote_type == "cumulative" and e.method == "greedy"
    assert e.title == "Test" and e.meta["rule"] == "greedy"
    assert project_rows(e) == [("1", 60, "Park; with a bench", True, {}),
                               ("2", 50, "Library", False, {}), ("3", 40, "Bikes", True, {})]
    assert e.candidates == ["1", "2", "3"]
    assert e.pb_ballots == [(1, {"1": 5, "3": 5}), (1, {"2": 10}), (1, {"1": 10})]
    assert e.count().winners == ["1", "3"]


def test_read_election_dispatches_pb(testdata):
    e = read_election(testdata / "pabulib" / FILES[0])
    assert e.is_pb and e.vote_type == "ordinal" and e.profile.total == 1045


def test_ordinal_scoring_fn_and_default_k_points():
    text = ORDINAL
    e = parse_pb(text)
    assert e.options == {"scoring": "k-points"}  # k = longest ballot
    assert sorted(e.profile.ballots()) == [(1.0, ("1",)), (1.0, ("1", "3")), (1.0, ("2",))]
    e = parse_pb(text.replace("rule;greedy", "rule;greedy\nscoring_fn;Borda\nmax_length;2"))
    assert e.options == {"scoring": "borda", "max_length": 2}
    e = parse_pb(text.replace("rule;greedy", "rule;greedy\nscoring_fn;3,2,1"))
    assert e.options["scoring"] == [3.0, 2.0, 1.0]


@pytest.mark.parametrize("rule, method, options", [
    ("equalshares", "equal-shares", {"completion": None}),
    ("equalshares/add1", "equal-shares", {"completion": "add1"}),
    ("greedy-no-skip", "greedy-no-skip", {}),
    ("unknown", None, {}),
])
def test_meta_rule_picks_the_default_method(rule, method, options):
    e = parse_pb(VALID.replace("rule;greedy", f"rule;{rule}"))
    assert e.method == method and e.options == options


# -- malformed files ----------------------------------------------------------------------
@pytest.mark.parametrize("text, line, message", [
    (mutate(17, "v2;9;10"), 17, "unknown project '9'"),
    (mutate(11, "1;sixty;Park;1"), 11, "cost of project '1' must be a whole number"),
    (mutate(11, "1;-60;Park;1"), 11, "non-negative"),
    (mutate(11, "1;60.1234567;Park;1"), 11, "decimal places"),  # 60.5 is read (issue 17)
    (mutate(12, "2;50;Library"), 12, "expected 4 fields"),
    (mutate(13, "2;40;Bikes;1"), 13, "project '2' is listed twice"),
    (mutate(18, "v1;1;10"), 18, "voter 'v1' appears twice"),
    (mutate(16, "v1;1,3;5"), 16, "2 projects but 1 points"),
    (mutate(16, "v1;1,3;5,x"), 16, "points must be numbers"),
    (mutate(6, "budget;lots"), 6, "META budget"),
    (mutate(6, None), 2, "META has no 'budget'"),
    (mutate(7, "vote_type;plurality"), 7, "unknown vote_type"),
    (mutate(5, "num_votes;4"), 5, "num_votes is 4 but VOTES has 3 rows"),
    (mutate(10, "project_id;price;name;selected"), 10, "'cost' column"),
    (mutate(15, "voter_id;vote"), 15, "'points' column"),
    (mutate(1, "METADATA"), 1, "must start with the META section"),
    (mutate(14, None), 17, "missing section VOTES"),
    (mutate(9, "VOTES"), 9, "section VOTES found where PROJECTS was expected"),
    (mutate(8, "rule;greedy\nscoring_fn;borda"), 9, "scoring_fn applies only to ordinal"),
])
def test_malformed_file_names_the_line(text, line, message):
    with pytest.raises(FileFormatError, match=message) as caught:
        parse_pb(text, path="bad.pb")
    assert caught.value.line == line
    assert caught.value.path == "bad.pb"
    assert str(caught.value).startswith(f"bad.pb:line {line}: ")


def test_what_cities_publish_is_read_not_refused():
    """Issue 17: decimal costs, any ``selected`` value and a repeated project are read (the
    repeat counted once with a warning; ``strict`` refuses it as before)."""
    e = parse_pb(mutate(11, "1;60.5;Park;yes"))
    assert e.projects[0].cost == Decimal("60.5") and e.projects[0].selected == "yes"
    e = parse_pb(mutate(16, "v1;1,1;5,5"))
    assert e.pb_ballots[0] == (1, {"1": 5}) and e.warnings[0]["lines"] == [16]
    with pytest.raises(FileFormatError, match="names a project twice") as caught:
        parse_pb(mutate(16, "v1;1,1;5,5"), path="bad.pb", strict=True)
    assert caught.value.line == 16


def test_scoring_votes_read_like_cumulative_ones():
    e = parse_pb(VALID.replace("vote_type;cumulative", "vote_type;scoring"))
    assert e.vote_type == "scoring" and e.pb_ballots[0] == (1, {"1": 5, "3": 5})
    assert e.count().winners == ["1", "3"]


def test_empty_file_is_missing_its_sections():
    with pytest.raises(FileFormatError, match="missing section META"):
        parse_pb("")


def test_read_pb_reports_the_path(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(mutate(17, "v2;9;10"), encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        read_pb(bad)
    assert caught.value.path == str(bad) and caught.value.line == 17


def test_unknown_scoring_fn_is_an_error():
    text = ORDINAL
    with pytest.raises(FileFormatError, match="unknown scoring_fn 'fancy'") as caught:
        parse_pb(text.replace("rule;greedy", "rule;greedy\nscoring_fn;fancy"))
    assert caught.value.line == 9


# -- writing ------------------------------------------------------------------------------
def round_trip(election: Election) -> Election:
    buffer = io.StringIO()
    write_pb(election, buffer)
    return parse_pb(buffer.getvalue())


@pytest.mark.parametrize("name", FILES)
def test_round_trip_of_the_published_files(testdata, name):
    original = read_pb(testdata / "pabulib" / name)
    copy = round_trip(original)
    assert copy.meta == original.meta
    assert project_rows(copy) == project_rows(original)
    assert (copy.budget, copy.vote_type, copy.method, copy.options, copy.title) == (
        original.budget, original.vote_type, original.method, original.options, original.title)
    assert ballots_of(copy) == ballots_of(original)
    assert copy.count().to_dict() == original.count().to_dict()


def test_round_trip_through_a_file(tmp_path):
    original = parse_pb(VALID)
    path = tmp_path / "out.pb"
    write_pb(original, path)
    copy = read_pb(path)
    assert project_rows(copy) == project_rows(original)
    assert copy.pb_ballots == original.pb_ballots and copy.meta == original.meta


def test_write_an_election_built_in_code():
    projects = [Project("a", 10, 'A "quoted" name; with semicolon', True, {"category": "x"}),
                Project("b", 20, "B", False)]
    election = Election(projects=projects, budget=25, vote_type="approval",
                        pb_ballots=[(2, {"a": 1, "b": 1}), (1, {"b": 1}), (1, {})],
                        candidates=["a", "b"])
    copy = round_trip(election)
    assert project_rows(copy) == [("a", 10, 'A "quoted" name; with semicolon', True,
                                   {"category": "x"}), ("b", 20, "B", False, {"category": ""})]
    assert copy.pb_ballots == [(1, {"a": 1, "b": 1})] * 2 + [(1, {"b": 1}), (1, {})]
    assert copy.meta["num_votes"] == "4" and copy.meta["budget"] == "25"
    result = count(copy.pb_ballots, method="greedy", budget=25, projects=copy.projects)
    assert result.winners == ["b"]


def test_cannot_write_fractional_ballot_counts():
    election = Election(projects=[Project("a", 1)], budget=1, vote_type="approval",
                        pb_ballots=[(1.5, {"a": 1})])
    with pytest.raises(FileFormatError, match="one row per voter"):
        write_pb(election, io.StringIO())
