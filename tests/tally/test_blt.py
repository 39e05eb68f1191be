"""BLT files: what a well-formed file means, round trips, and errors that name the line."""
from __future__ import annotations

import io

import numpy as np
import pytest

from pbapp.tally import FileFormatError
from pbapp.tally.formats import read_election
from pbapp.tally.formats.blt import parse_blt, read_blt, write_blt
from pbapp.tally.profile import OVERVOTE, SKIP, from_ballots

SAMPLE = """\
# a small election
4 2          # candidates, seats
-4
3 1 3 0
2 1 3 0      # the same ranking again: counts add up
1 2=3 1 0
(b17) 2 2 4 0

1.5 3 - 2 0
1 0
0
"Alice Smith"
Bob Jones
"Carol # not a comment"
"Dan"  # withdrawn
"Ward 7 (by-election)"
"""


def ballots(election) -> dict[tuple, float]:
    return {tuple(r): c for c, r in election.profile.ballots()}


def test_sample_is_read_as_written():
    e = parse_blt(SAMPLE)
    assert e.candidates == ["Alice Smith", "Bob Jones", "Carol # not a comment", "Dan"]
    assert (e.seats, e.title, e.withdrawn, e.method) == (2, "Ward 7 (by-election)", ["Dan"], "stv")
    assert ballots(e) == {
        ("Alice Smith", "Carol # not a comment"): 5,
        (frozenset({"Bob Jones", "Carol # not a comment"}), "Alice Smith"): 1,
        ("Bob Jones", "Dan"): 2,
        ("Carol # not a comment", None, "Bob Jones"): 1.5,
        (): 1,
    }
    assert e.profile.total == 10.5


def test_codes_in_the_profile():
    e = parse_blt(SAMPLE)
    p = e.profile
    row = next(i for i, r in enumerate(p.rankings.tolist()) if r[0] == OVERVOTE)
    assert p.overvotes[(row, 0)] == frozenset({1, 2})
    assert any(r[:2] == [2, SKIP] for r in p.rankings.tolist())


def test_one_seat_means_irv_and_the_withdrawn_are_not_counted():
    e = parse_blt("3 1\n-2\n4 2 1 0\n3 3 0\n2 1 0\n0\nA\nB\nC\nT\n")
    assert e.method == "irv" and e.withdrawn == ["B"]
    result = e.count("stv")
    assert result.winners == ["A"] and result.options["withdrawn"] == ["B"]
    assert "B" not in result.rounds[0].tallies


def test_read_blt_and_format_detection(tmp_path):
    path = tmp_path / "ward.blt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert ballots(read_blt(path)) == ballots(parse_blt(SAMPLE))
    assert read_election(path).title == "Ward 7 (by-election)"


def test_end_line_with_a_comment_is_the_end():
    e = parse_blt("2 1\n1 1 0\n0  # end of ballots\n\"A\"\n\"B\"\n\"0\"\n")
    assert e.title == "0" and ballots(e) == {("A",): 1}


def test_round_trip_keeps_everything(tmp_path):
    e = parse_blt(SAMPLE)
    path = tmp_path / "out.blt"
    write_blt(e, path)
    back = read_blt(path)
    assert back.candidates == e.candidates
    assert (back.seats, back.title, back.withdrawn) == (e.seats, e.title, e.withdrawn)
    assert ballots(back) == ballots(e)


def test_round_trip_of_a_profile_to_a_file_object():
    profile = from_ballots([("x", "y"), ("y",), ("x", "y"), ("z", "x", "y")])
    buf = io.StringIO()
    write_blt(profile, buf, title="Straw poll", seats=2)
    back = parse_blt(buf.getvalue())
    assert back.title == "Straw poll" and back.seats == 2
    assert ballots(back) == {("x", "y"): 2, ("y",): 1, ("z", "x", "y"): 1}


def test_round_trip_of_a_real_count(testdata, tmp_path):
    e = read_blt(testdata / "scotland/edinburgh_2017_ward1.blt")
    write_blt(e, tmp_path / "copy.blt")
    back = read_blt(tmp_path / "copy.blt")
    assert ballots(back) == ballots(e)
    assert back.count().to_dict() == e.count().to_dict()


def test_many_identical_lines_are_counted_once_each():
    lines = ["1 1 2 0"] * 5000 + ["1 2 0"] * 3000 + ["2 2 0"] * 10
    e = parse_blt("2 1\n" + "\n".join(lines) + "\n0\nA\nB\nT\n")
    assert len(e.profile.counts) == 2
    assert ballots(e) == {("A", "B"): 5000, ("B",): 3020}
    assert e.profile.rankings.dtype == np.int32


@pytest.mark.parametrize("text, line, words", [
    ("", None, "empty file"),
    ("3\n1 1 0\n0\nA\nB\nC\nT\n", 1, "candidates seats"),
    ("2 3\n1 1 0\n0\nA\nB\nT\n", 1, "3 seats but only 2"),
    ("2 1\n-3\n1 1 0\n0\nA\nB\nT\n", 2, "withdrawn candidate 3"),
    ("2 1\n-1 x\n1 1 0\n0\nA\nB\nT\n", 2, "negative numbers"),
    ("3 1\n1 1 2 0\n1 1 4 0\n0\nA\nB\nC\nT\n", 3, "preference 4 is not a candidate"),
    ("3 1\n1 1 2\n0\nA\nB\nC\nT\n", 2, "must end with 0"),
    ("3 1\n1 1 two 0\n0\nA\nB\nC\nT\n", 2, "'two' is not a candidate number"),
    ("3 1\n1 1 0 2 0\n0\nA\nB\nC\nT\n", 2, "0 before the end"),
    ("3 1\n0 1 2 0\n0\nA\nB\nC\nT\n", 2, "positive number"),
    ("3 1\n-1 1 2 0\n0\nA\nB\nC\nT\n", 2, "negative numbers"),
    ("3 1\n2 1 -2 0\n0\nA\nB\nC\nT\n", 2, "'-2' is not a candidate number"),
    ("3 1\n(b1 1 2 0\n0\nA\nB\nC\nT\n", 2, "without ')'"),
    ("3 1\n1 1 2 0\nA\nB\nC\nT\n", 6, "no '0' line"),
    ("3 1\n1 1 2 0\n0\nA\nB\nT\n", 6, "3 candidate names and a title"),
    ("3 1\n1 1 2 0\n0\nA\nB\nC\nT\nmore\n", 8, "unexpected line after the title"),
    ("3 1\n1 1 2 0\n0\nA\nB\nA\nT\n", 6, "'A' appears twice (also line 4)"),
    ('3 1\n1 1 2 0\n0\n"A\nB\nC\nT\n', 4, "closing quote"),
    ('3 1\n1 1 2 0\n0\n"A" x\nB\nC\nT\n', 4, "text after the closing quote"),
])
def test_malformed_files_name_the_line(text, line, words):
    with pytest.raises(FileFormatError) as err:
        parse_blt(text, path="bad.blt")
    assert err.value.line == line
    assert words in str(err.value)
    assert str(err.value).startswith("bad.blt:" + (f"line {line}:" if line else ""))


def test_unreadable_bytes_are_a_format_error(tmp_path):
    path = tmp_path / "latin1.blt"
    path.write_bytes("2 1\n1 1 0\n0\n\"Zoë\"\nB\nT\n".encode("latin-1"))
    with pytest.raises(FileFormatError, match="not UTF-8"):
        read_blt(path)


def test_ballot_rule_markers_are_not_written():
    from pbapp.tally import BallotError
    from pbapp.tally.ballot_rules import apply_rules

    profile = apply_rules(from_ballots([("a", {"a", "b"}, "b")]), overvote="exhaust")
    with pytest.raises(BallotError, match="as cast"):
        write_blt(profile, io.StringIO())
