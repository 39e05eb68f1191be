"""Issue 17: every META key that changes a count is read and counted with, or refused in one line.

Each case is a small file of our own (``pbfile.pb_text``), one per rule and vote type.
"""
import pytest

from pbapp.tally import BallotError, FileFormatError
from pbapp.tally.formats.pabulib import parse_pb
from pbfile import pb_text

PROJECTS = [{"project_id": "a", "cost": "40"}, {"project_id": "b", "cost": "40"},
            {"project_id": "c", "cost": "10"}]
#: per vote type: ballots giving a and b at least 2 points each and c exactly 1
SUPPORT = {
    "approval": [("a,b,c",), ("a,b",), ("a,b",)],
    "choose-1": [("a",), ("a",), ("b",), ("b",), ("c",)],
    "cumulative": [("a,b,c", "5,4,1"), ("a,b", "5,5")],
    "scoring": [("a,b,c", "5,4,1"), ("a,b", "5,5")],
    "ordinal": [("a,b,c",), ("b,a",)],
}


def text(vote_type="approval", votes=None, projects=PROJECTS, **meta):
    return pb_text({k: v for k, v in meta.items()}, projects,
                   SUPPORT[vote_type] if votes is None else votes, vote_type=vote_type)


# -- min_project_score_threshold --------------------------------------------------------------
@pytest.mark.parametrize("vote_type", sorted(SUPPORT))
@pytest.mark.parametrize("rule", ["greedy-threshold", "greedy", "greedy-no-skip"])
def test_threshold_in_meta_is_counted_with(rule, vote_type):
    e = parse_pb(text(vote_type, rule=rule, min_project_score_threshold="2"))
    result = e.count()
    assert result.method == rule
    assert result.options["threshold"] == 2
    assert sorted(result.winners) == ["a", "b"]
    assert {p.id: p.reason for p in result.projects}["c"] == "below threshold"


def test_threshold_without_the_key_funds_what_fits():
    assert sorted(parse_pb(text(rule="greedy")).count().winners) == ["a", "b", "c"]


def test_decimal_threshold_is_read():
    e = parse_pb(text("cumulative", rule="greedy-threshold",
                      min_project_score_threshold="1.5"))
    assert e.count().options["threshold"] == 1.5 and "c" not in e.count().winners


def test_threshold_with_equal_shares_is_refused_naming_the_line():
    with pytest.raises(FileFormatError, match="min_project_score_threshold") as caught:
        parse_pb(text(rule="equalshares", min_project_score_threshold="2"), path="t.pb")
    assert caught.value.line == 11 and "\n" not in str(caught.value)


def test_greedy_threshold_without_a_threshold_is_refused_in_one_line():
    with pytest.raises(BallotError, match="threshold"):
        parse_pb(text(rule="greedy-threshold")).count()


# -- budget with decimals ---------------------------------------------------------------------
def test_decimal_budget_and_costs_are_read_exactly():
    projects = [{"project_id": "a", "cost": "0.10"}, {"project_id": "b", "cost": "0.20"},
                {"project_id": "c", "cost": "1331751.11"}]
    e = parse_pb(text(projects=projects, votes=[("a,b,c",), ("a,b",)], budget="0.30"))
    result = e.count()
    assert result.winners == ["a", "b"]  # 0.1 + 0.2 > 0.3 in floats
    data = result.to_dict()
    assert (data["budget"], data["spent"], data["money_left"]) == (0.3, 0.3, 0)
    assert [p["cost"] for p in data["projects"]] == [0.1, 0.2, 1331751.11]


# -- ballot rules: min_length, max_length, max_sum_cost, max_sum_points ----------------------
BROKEN = [
    ("approval", {"max_length": "2"}, [("a,b",), ("a,b,c",), ("c",)], 2),
    ("approval", {"min_length": "2"}, [("a,b",), ("c",), ("a,c",)], 2),
    ("approval", {"max_sum_cost": "50"}, [("a,c",), ("a,b",), ("c",)], 2),
    ("approval", {"min_sum_cost": "20"}, [("a,c",), ("c",), ("b",)], 2),
    ("cumulative", {"max_sum_points": "10"}, [("a,c", "5,5"), ("a,b", "6,6"), ("c", "1")], 2),
    ("cumulative", {"min_sum_points": "2"}, [("a,c", "5,5"), ("b", "1"), ("c", "3")], 2),
    ("scoring", {"max_points": "5"}, [("a,c", "5,5"), ("b", "6"), ("c", "3")], 2),
    ("scoring", {"min_points": "1"}, [("a,c", "5,5"), ("b", "0.5"), ("c", "3")], 2),
    ("ordinal", {"max_length": "2", "scoring_fn": "borda"}, [("a,b",), ("c,b,a",), ("c",)], 2),
    ("choose-1", {"min_length": "1"}, [("a",), ("",), ("c",)], 2),
]


@pytest.mark.parametrize("vote_type, meta, votes, line_no", BROKEN)
def test_a_ballot_breaking_the_meta_rules_is_set_aside_and_reported(vote_type, meta, votes,
                                                                    line_no):
    source = text(vote_type, votes=votes, rule="greedy", **meta)
    line = source.splitlines().index(f"{line_no};" + ";".join(votes[line_no - 1])) + 1
    result = parse_pb(source, path="t.pb").count()
    assert result.ballots == 2
    (warning,) = result.to_dict()["warnings"]
    assert warning["lines"] == [line] and list(meta)[0] in warning["message"]
    with pytest.raises(FileFormatError, match=list(meta)[0]) as caught:
        parse_pb(source, path="t.pb", strict=True)
    assert caught.value.line == line


def test_max_length_is_also_k_of_k_points():
    e = parse_pb(text("ordinal", max_length="3"))
    assert e.count().options["max_length"] == 3


# -- rule, vote_type and keys the engine does not implement --------------------------------------
def test_rule_unknown_is_refused_when_counting_and_method_overrides_it():
    e = parse_pb(text(rule="unknown"), path="t.pb")
    with pytest.raises(FileFormatError, match="rule 'unknown'") as caught:
        e.count()
    assert caught.value.line == 10 and caught.value.path == "t.pb"
    assert sorted(e.count("greedy").winners) == ["a", "b", "c"]


@pytest.mark.parametrize("key, value", [("budget_per_category", "a:50,b:50"),
                                        ("default_score", "1"),
                                        ("max_sum_cost_per_category", "x:10")])
def test_keys_that_change_a_count_but_are_not_implemented_are_refused(key, value):
    with pytest.raises(FileFormatError, match=key) as caught:
        parse_pb(text("scoring" if key == "default_score" else "approval", **{key: value}),
                 path="t.pb")
    assert caught.value.line == 11


def test_default_score_zero_is_harmless():
    assert parse_pb(text("scoring", default_score="0")).count().winners


# -- metadata columns never stop a count ------------------------------------------------
def test_selected_two_and_text_columns_do_not_stop_a_count():
    projects = [{"project_id": "a", "cost": "40", "votes": "n/a", "score": "?", "name": "A",
                 "category": "x,y", "selected": "1"},
                {"project_id": "b", "cost": "40", "votes": "", "score": "", "name": "B",
                 "category": "", "selected": "2"},
                {"project_id": "c", "cost": "10", "votes": "1", "score": "1", "name": "C",
                 "category": "z", "selected": "0"}]
    e = parse_pb(text(projects=projects))
    data = e.count().to_dict()
    assert data["winners"] == ["a", "b", "c"]
    assert data["published_winners"] == ["a"]
    assert data["published_unclear"] == {"b": "2"}
    assert data["agrees_with_published"] is False  # c is funded here, not there
    assert data["published_differences"] == {"funded_not_published": ["c"],
                                             "published_not_funded": []}


def test_published_winners_that_agree():
    projects = [dict(p, selected="1" if p["project_id"] != "c" else "0") for p in PROJECTS]
    data = parse_pb(text(projects=projects, rule="greedy-threshold",
                         min_project_score_threshold="2")).count().to_dict()
    assert data["published_winners"] == ["a", "b"] and data["agrees_with_published"] is True


def test_no_selected_column_no_published_winners():
    assert "published_winners" not in parse_pb(text()).count().to_dict()


# -- a project named twice in one vote ------------------------------------------------------------
@pytest.mark.parametrize("vote_type, vote, expected", [
    ("approval", ("a,b,a",), {"a": 3, "b": 3, "c": 0}),
    ("choose-1", ("a,a",), {"a": 2, "b": 2, "c": 1}),
    ("cumulative", ("a,b,a", "5,4,5"), {"a": 10, "b": 9, "c": 0}),  # the first points count
    ("scoring", ("a,b,a", "5,4,5"), {"a": 10, "b": 9, "c": 0}),
    ("ordinal", ("a,c,a",), {"a": 3, "b": 2, "c": 1}),  # the first rank counts; k = 2
])
def test_a_duplicate_in_one_vote_is_counted_once_and_reported(vote_type, vote, expected):
    votes = list(SUPPORT[vote_type])
    votes[0] = vote
    if vote_type == "choose-1":
        votes = [vote, ("a",), ("b",), ("b",), ("c",)]
    source = text(vote_type, votes=votes)
    line = source.splitlines().index("1;" + ";".join(vote)) + 1
    result = parse_pb(source, path="t.pb").count()
    assert {p.id: p.score for p in result.projects} == expected
    (warning,) = result.to_dict()["warnings"]
    assert warning["lines"] == [line] and "twice" in warning["message"]
    with pytest.raises(FileFormatError, match="names a project twice") as caught:
        parse_pb(source, path="t.pb", strict=True)
    assert caught.value.line == line
