"""Pabulib ``.pb`` files (pabulib.org/format): participatory budgets with their ballots.

Three ``;``-separated sections, each headed by its name and then a header row:
``META`` (``key;value``), ``PROJECTS`` (``project_id;cost;...``) and ``VOTES``
(``voter_id;vote;...``, with ``points`` for cumulative and scoring ballots). Quoted fields follow
CSV rules strictly (a quote left open, or text after a closing one, is an error). Numbers are
ASCII digits (``numbers``): counts, costs and the budget whole and at most ``MAX_COUNT``, points
plain decimals (no exponent, no nan). Every vote type is read: approval and choose-1 (1 point
per project named), ordinal (a ranking, kept as a ``Profile``), cumulative and scoring
(``points`` matched to ``vote``).

Counting defaults come from META: ``rule`` picks the method (``greedy``, ``greedy-no-skip``,
``greedy-threshold``, ``equalshares`` and ``equalshares/add1`` or ``equalshares/add1/greedy``
for equal shares with that completion; any other rule leaves the choice to the caller) and, for
ordinal files, ``scoring_fn`` the points per rank (``borda``, ``dowdall``, ``k-points`` or a
list such as ``3,2,1``). An ordinal file without ``scoring_fn`` is counted with ``k-points``, k
being META ``max_length`` (else the longest ballot): the Polish 3-2-1 rule.

A file that breaks the format raises ``FileFormatError`` naming the line; nothing is guessed.
Voter ids and extra vote columns (age, sex, ...) are not kept; ``write_pb`` numbers voters 1..N.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import IO

from ..election import Election, Project
from ..errors import FileFormatError
from ..numbers import MAX_COUNT, ascii_decimal, ascii_int
from ..profile import Profile, from_ballots
from . import read_text

VOTE_TYPES = ("approval", "choose-1", "ordinal", "cumulative", "scoring")
SECTIONS = ("META", "PROJECTS", "VOTES")
RULES = {
    "greedy": ("greedy", {}),
    "greedy-no-skip": ("greedy-no-skip", {}),
    "greedy-threshold": ("greedy-threshold", {}),
    "equalshares": ("equal-shares", {"completion": None}),
    "equalshares/add1": ("equal-shares", {"completion": "add1"}),
    "equalshares/add1/greedy": ("equal-shares", {"completion": "add1-then-greedy"}),
}
SCORING_FNS = {"borda": "borda", "dowdall": "dowdall", "k-points": "k-points"}


class _Reader:
    """Section-by-section parser keeping the current line number for every error."""

    def __init__(self, text: str, path: str | None):
        self.path = path
        self.rows: list[tuple[int, list[str]]] = []
        reader = csv.reader(io.StringIO(text), delimiter=";", strict=True)
        start = 1
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    self.rows.append((start, row))
                start = reader.line_num + 1
        except csv.Error as exc:
            self.fail(f"cannot split the line into fields: {exc}", start)

    def fail(self, message: str, line: int | None = None):
        raise FileFormatError(message, line=line, path=self.path)

    def sections(self) -> dict[str, tuple[int, list[str], list[tuple[int, list[str]]]]]:
        found: dict[str, tuple[int, list[str], list]] = {}
        current = None
        for line, row in self.rows:
            label = row[0].strip().upper() if row else ""
            if label in SECTIONS and not any(c.strip() for c in row[1:]):
                if label in found:
                    self.fail(f"section {label} appears twice", line)
                expected = SECTIONS[len(found)] if len(found) < len(SECTIONS) else None
                if label != expected:
                    self.fail(f"section {label} found where {expected} was expected "
                              "(order: META, PROJECTS, VOTES)", line)
                found[label] = (line, [], [])
                current = label
                continue
            if current is None:
                self.fail("the file must start with the META section", line)
            head_line, header, body = found[current]
            if not header:
                header.extend(cell.strip() for cell in row)
                found[current] = (line, header, body)
            else:
                body.append((line, row))
        for label in SECTIONS:
            if label not in found:
                self.fail(f"missing section {label}", self.rows[-1][0] if self.rows else None)
            if not found[label][1]:
                self.fail(f"section {label} has no header row", found[label][0])
        return found

    def records(self, label, header_line, header, body, required):
        for name in required:
            if name not in header:
                self.fail(f"{label} header must have a {name!r} column (found "
                          f"{';'.join(header)})", header_line)
        if len(set(header)) != len(header):
            self.fail(f"{label} header repeats a column", header_line)
        for line, row in body:
            if len(row) != len(header):
                self.fail(f"{label}: expected {len(header)} fields ({';'.join(header)}), "
                          f"found {len(row)}", line)
            yield line, dict(zip(header, (cell.strip() for cell in row)))


def _whole(reader: _Reader, what: str, text: str, line: int) -> int:
    """A count, cost or budget: ASCII digits (``.0`` allowed), at most ``MAX_COUNT``."""
    head, dot, tail = text.strip().partition(".")
    if dot and tail and not tail.strip("0"):
        text = head
    value = ascii_int(text, what=what, line=line, path=reader.path, maximum=MAX_COUNT)
    if value < 0:
        reader.fail(f"{what} must be a whole, non-negative number, not {text!r}", line)
    return value


def _looks_numeric(text: str) -> bool:
    return text.strip().removeprefix("-").replace(".", "", 1).isdigit()


def _number(reader: _Reader, text: str, line: int, what: str = "points") -> float | int:
    """Points: a plain decimal in ASCII digits, sign allowed (never nan or an exponent)."""
    if not _looks_numeric(text):
        reader.fail(f"{what} must be numbers, not {text!r}", line)
    return ascii_decimal(text, what=what, line=line, path=reader.path, minimum=-MAX_COUNT,
                         maximum=MAX_COUNT)


def parse_pb(text: str, path: str | None = None) -> Election:
    """Parse the text of a ``.pb`` file (``path`` only labels errors)."""
    reader = _Reader(text.lstrip("\ufeff"), path)
    found = reader.sections()
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    line, header, body = found["META"]
    for row_line, rec in reader.records("META", line, header, body, ("key", "value")):
        key = rec["key"]
        if key in meta:
            reader.fail(f"META key {key!r} appears twice", row_line)
        meta[key] = rec["value"]
        meta_lines[key] = row_line
    for key in ("budget", "vote_type"):
        if key not in meta:
            reader.fail(f"META has no {key!r}", line)
    budget = _whole(reader, "META budget", meta["budget"], meta_lines["budget"])
    vote_type = meta["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        reader.fail(f"unknown vote_type {meta['vote_type']!r}; expected one of "
                    f"{', '.join(VOTE_TYPES)}", meta_lines["vote_type"])
    projects = _projects(reader, found["PROJECTS"])
    election = Election(title=meta.get("description") or " ".join(
        v for v in (meta.get("country"), meta.get("unit"), meta.get("instance")) if v),
        candidates=[p.id for p in projects], projects=projects, budget=budget,
        vote_type=vote_type, meta=meta)
    _votes(reader, found["VOTES"], election)
    _check_counts(reader, meta, meta_lines, election, found)
    _defaults(reader, meta, meta_lines, election)
    return election


def _projects(reader: _Reader, section) -> list[Project]:
    line, header, body = section
    projects: list[Project] = []
    seen: set[str] = set()
    for row_line, rec in reader.records("PROJECTS", line, header, body, ("project_id", "cost")):
        pid = rec.pop("project_id")
        if not pid:
            reader.fail("a project has an empty project_id", row_line)
        if pid in seen:
            reader.fail(f"project {pid!r} is listed twice", row_line)
        seen.add(pid)
        cost = _whole(reader, f"the cost of project {pid!r}", rec.pop("cost"), row_line)
        selected = None
        if "selected" in rec:
            flag = rec.pop("selected")
            if flag not in ("0", "1", ""):
                reader.fail(f"selected must be 0 or 1, not {flag!r}", row_line)
            selected = None if flag == "" else flag == "1"
        name = rec.pop("name", "")
        projects.append(Project(pid, cost, name, selected, rec))
    return projects


def _votes(reader: _Reader, section, election: Election) -> None:
    line, header, body = section
    vote_type = election.vote_type
    with_points = vote_type in ("cumulative", "scoring")
    required = ("voter_id", "vote", "points") if with_points else ("voter_id", "vote")
    known = set(election.candidates)
    seen: set[str] = set()
    rankings: list[tuple[str, ...]] = []
    ballots: list[tuple[int, dict]] = []
    for row_line, rec in reader.records("VOTES", line, header, body, required):
        voter = rec["voter_id"]
        if voter in seen:
            reader.fail(f"voter {voter!r} appears twice", row_line)
        seen.add(voter)
        vote = [p.strip() for p in rec["vote"].split(",")] if rec["vote"] else []
        for p in vote:
            if p not in known:
                reader.fail(f"vote of voter {voter!r} names unknown project {p!r}", row_line)
        if len(set(vote)) != len(vote):
            reader.fail(f"vote of voter {voter!r} names a project twice", row_line)
        if vote_type == "choose-1" and len(vote) > 1:
            reader.fail(f"choose-1 vote of voter {voter!r} names {len(vote)} projects", row_line)
        if vote_type == "ordinal":
            rankings.append(tuple(vote))
        elif with_points:
            points = [p.strip() for p in rec["points"].split(",")] if rec["points"] else []
            if len(points) != len(vote):
                reader.fail(f"voter {voter!r}: {len(vote)} projects but {len(points)} points",
                            row_line)
            ballots.append((1, {p: _number(reader, x, row_line) for p, x in zip(vote, points)}))
        else:
            ballots.append((1, {p: 1 for p in vote}))
    if vote_type == "ordinal":
        counted = Counter(rankings)
        election.profile = from_ballots([(n, r) for r, n in counted.items()],
                                        election.candidates)
    else:
        election.pb_ballots = ballots


def _check_counts(reader, meta, meta_lines, election: Election, found) -> None:
    counts = {"num_projects": len(election.projects),
              "num_votes": (election.profile.total if election.profile is not None
                            else len(election.pb_ballots))}
    for key, actual in counts.items():
        if key in meta:
            stated = _whole(reader, f"META {key}", meta[key], meta_lines[key])
            if stated != actual:
                section = "PROJECTS" if key == "num_projects" else "VOTES"
                reader.fail(f"META {key} is {stated} but {section} has {actual:g} rows",
                            meta_lines[key])


def _defaults(reader, meta, meta_lines, election: Election) -> None:
    rule = meta.get("rule", "").strip().lower()
    if rule in RULES:
        election.method, options = RULES[rule]
        election.options.update(options)
    if election.vote_type != "ordinal":
        if "scoring_fn" in meta and meta["scoring_fn"].strip():
            reader.fail("scoring_fn applies only to ordinal votes", meta_lines["scoring_fn"])
        return
    raw = meta.get("scoring_fn", "").strip()
    if not raw:
        election.options["scoring"] = "k-points"
    elif raw.lower() in SCORING_FNS:
        election.options["scoring"] = SCORING_FNS[raw.lower()]
    else:
        parts = raw.split(",")
        if not all(map(_looks_numeric, parts)):
            reader.fail(f"unknown scoring_fn {raw!r}; expected borda, dowdall, k-points or "
                        "points per rank such as 3,2,1", meta_lines["scoring_fn"])
        election.options["scoring"] = [
            float(_number(reader, p, meta_lines["scoring_fn"], "scoring_fn points"))
            for p in parts]
    if "max_length" in meta:
        election.options["max_length"] = _whole(reader, "META max_length", meta["max_length"],
                                                meta_lines["max_length"])


def read_pb(path: str | Path) -> Election:
    """Read a ``.pb`` file into an ``Election`` with the file's counting defaults."""
    return parse_pb(read_text(path, newline=""), str(path))


# -- writing ------------------------------------------------------------------------------
def _text(x) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _voter_rows(election: Election) -> tuple[list[str], list[list[str]]]:
    with_points = election.vote_type in ("cumulative", "scoring")
    header = ["voter_id", "vote"] + (["points"] if with_points else [])
    rows: list[list[str]] = []
    if election.vote_type == "ordinal":
        profile = election.profile or Profile([], [], [])
        pairs = profile.ballots()
    else:
        pairs = election.pb_ballots or []
    for count, ballot in pairs:
        if float(count) != int(count) or count < 0:
            raise FileFormatError(f"cannot write a ballot counted {count!r} times: a .pb file "
                                  "has one row per voter")
        if election.vote_type == "ordinal":
            if any(not isinstance(m, str) for m in ballot):
                raise FileFormatError("a .pb ranking cannot hold skipped ranks or overvotes")
            cells = [",".join(ballot)]
        else:
            items = [(str(p), v) for p, v in ballot.items() if v]
            cells = [",".join(p for p, _ in items)]
            if with_points:
                cells.append(",".join(_text(v) for _, v in items))
        for _ in range(int(count)):
            rows.append([str(len(rows) + 1), *cells])
    return header, rows


def write_pb(election: Election, target: str | Path | IO[str]) -> None:
    """Write ``election`` as a ``.pb`` file (a path or an open text file)."""
    if not election.is_pb:
        raise FileFormatError("only a participatory-budgeting election (with projects) can be "
                              "written as .pb")
    vote_header, vote_rows = _voter_rows(election)
    meta = dict(election.meta)
    meta["budget"] = str(election.budget)
    meta["vote_type"] = election.vote_type
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(len(vote_rows))
    extra_keys: list[str] = []
    for p in election.projects:
        extra_keys += [k for k in p.extra if k not in extra_keys]
    has_name = any(p.name for p in election.projects)
    has_selected = any(p.selected is not None for p in election.projects)
    project_header = (["project_id", "cost"] + extra_keys + (["name"] if has_name else [])
                      + (["selected"] if has_selected else []))
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";", lineterminator="\n")
    out.writerow(["META"])
    out.writerow(["key", "value"])
    out.writerows(meta.items())
    out.writerow(["PROJECTS"])
    out.writerow(project_header)
    for p in election.projects:
        row = [p.id, str(p.cost)] + [p.extra.get(k, "") for k in extra_keys]
        if has_name:
            row.append(p.name)
        if has_selected:
            row.append("" if p.selected is None else str(int(p.selected)))
        out.writerow(row)
    out.writerow(["VOTES"])
    out.writerow(vote_header)
    out.writerows(vote_rows)
    if isinstance(target, str | Path):
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.write(buffer.getvalue())
    else:
        target.write(buffer.getvalue())
