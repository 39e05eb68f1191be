"""Pabulib ``.pb`` files (pabulib.org/format): participatory budgets with their ballots.

Three ``;``-separated sections, each headed by its name and then a header row:
``META`` (``key;value``), ``PROJECTS`` (``project_id;cost;...``) and ``VOTES``
(``voter_id;vote;...``, with ``points`` for cumulative and scoring ballots). Quoted fields follow
CSV rules strictly (a quote left open, or text after a closing one, is an error). Numbers are
ASCII digits (``numbers``): counts whole, the budget and costs exact amounts of money with up to
6 decimal places (``money``), points plain decimals (no exponent, no nan). Every vote type is
read: approval and choose-1 (1 point per project named), ordinal (a ranking, kept as a
``Profile``), cumulative and scoring (``points`` matched to ``vote``).

Every META key that changes a count is read (see ``BALLOT_RULES`` and ``_defaults``):
``budget``, ``vote_type``, ``rule``, ``scoring_fn``, ``min_project_score_threshold`` (every
greedy rule; refused with equal shares), and the ballot rules ``min_length``/``max_length``,
``min_sum_cost``/``max_sum_cost``, ``min_points``/``max_points``,
``min_sum_points``/``max_sum_points``. Keys that would change a count in a way the engine does
not implement (``UNSUPPORTED``, ``default_score`` other than 0) are refused naming their line.

What cities publish is read as they publish it, with a warning rather than a refusal (each
warning names the lines; ``strict=True`` turns them back into refusals):
* a vote naming a project twice counts it once, at its first place (with its first points);
* a vote breaking a META ballot rule (too long, too dear, too many points) is set aside, as a
  city sets aside a spoilt ballot.
Project columns other than ``project_id`` and ``cost`` are descriptions and never stop a count:
``selected`` keeps any value (1 and 0 as True/False, anything else, like Gdynia's 2, as text).

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

from .. import money
from ..election import Election, Project
from ..errors import BallotError, FileFormatError
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
#: META ballot rules: key -> (what is measured, "min" or "max"); a vote outside is set aside
BALLOT_RULES = {"min_length": ("length", "min"), "max_length": ("length", "max"),
                "min_sum_cost": ("sum_cost", "min"), "max_sum_cost": ("sum_cost", "max"),
                "min_points": ("points", "min"), "max_points": ("points", "max"),
                "min_sum_points": ("sum_points", "min"), "max_sum_points": ("sum_points", "max")}
#: META keys that change a count in ways the engine does not implement
UNSUPPORTED = ("budget_per_category", "budget_per_neighborhood", "min_length_per_category",
               "max_length_per_category", "min_sum_cost_per_category",
               "max_sum_cost_per_category")
THRESHOLD = "min_project_score_threshold"


class _Reader:
    """Section-by-section parser keeping the current line number for every error."""

    def __init__(self, text: str, path: str | None):
        self.path = path
        self.strict = False
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


def _amount(reader: _Reader, what: str, text: str, line: int):
    """The budget or a cost: an exact amount of money (``money.amount``)."""
    try:
        return money.amount(text.strip(), what)
    except BallotError as exc:
        reader.fail(str(exc), line)


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


def parse_pb(text: str, path: str | None = None, *, strict: bool = False) -> Election:
    """Parse the text of a ``.pb`` file (``path`` only labels errors); ``strict`` refuses what
    is otherwise read with a warning (see the module docstring)."""
    reader = _Reader(text.lstrip("\ufeff"), path)
    reader.strict = strict
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
    budget = _amount(reader, "META budget", meta["budget"], meta_lines["budget"])
    vote_type = meta["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        reader.fail(f"unknown vote_type {meta['vote_type']!r}; expected one of "
                    f"{', '.join(VOTE_TYPES)}", meta_lines["vote_type"])
    projects = _projects(reader, found["PROJECTS"])
    election = Election(title=meta.get("description") or " ".join(
        v for v in (meta.get("country"), meta.get("unit"), meta.get("instance")) if v),
        candidates=[p.id for p in projects], projects=projects, budget=budget,
        vote_type=vote_type, meta=meta)
    _unsupported(reader, meta, meta_lines, vote_type)
    rules = _ballot_rules(reader, meta, meta_lines)
    rows = _votes(reader, found["VOTES"], election, rules)
    _check_counts(reader, meta, meta_lines, rows, election)
    _defaults(reader, meta, meta_lines, election)
    return election


def _unsupported(reader, meta, meta_lines, vote_type) -> None:
    for key in UNSUPPORTED:
        if meta.get(key, "").strip():
            reader.fail(f"META {key} changes the count in a way pbapp-tally does not implement",
                        meta_lines[key])
    if meta.get("default_score", "").strip():
        value = _number(reader, meta["default_score"], meta_lines["default_score"],
                        "META default_score")
        if value != 0:
            reader.fail(f"META default_score {value} (points for every project a vote leaves "
                        "out) is not implemented; only 0 is", meta_lines["default_score"])


def _ballot_rules(reader, meta, meta_lines) -> dict[str, tuple[str, str, object]]:
    rules = {}
    for key, (measure, side) in BALLOT_RULES.items():
        raw = meta.get(key, "").strip()
        if not raw:
            continue
        line = meta_lines[key]
        if measure == "length":
            value = _whole(reader, f"META {key}", raw, line)
        elif measure == "sum_cost":
            value = _amount(reader, f"META {key}", raw, line)
        else:
            value = _number(reader, raw, line, f"META {key}")
        rules[key] = (measure, side, value)
    return rules


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
        cost = _amount(reader, f"the cost of project {pid!r}", rec.pop("cost"), row_line)
        selected = None
        if "selected" in rec:  # describes the city's outcome: any value is kept, none refused
            flag = rec.pop("selected")
            selected = {"": None, "0": False, "1": True}.get(flag, flag)
        name = rec.pop("name", "")
        projects.append(Project(pid, cost, name, selected, rec))
    return projects


class _Warnings:
    """Lines read with a warning, grouped by what happened, for ``Election.warnings``."""

    def __init__(self, reader: _Reader):
        self.reader = reader
        self.found: dict[str, list[int]] = {}

    def add(self, message: str, line: int) -> None:
        if self.reader.strict:
            self.reader.fail(message, line)
        self.found.setdefault(message, []).append(line)


def _broken_rule(rules, vote, points, costs) -> str | None:
    """The first META ballot rule ``vote`` breaks, as words, or None."""
    measures = {"length": len(vote), "sum_cost": sum((costs[p] for p in vote), 0),
                "sum_points": sum(points or (), 0)}
    for key, (measure, side, limit) in rules.items():
        values = points if measure == "points" else [measures[measure]]
        if measure in ("points", "sum_points") and points is None:
            continue
        for value in values:
            if (value < limit) if side == "min" else (value > limit):
                return f"{key} is {money.show(limit)}, the vote has {money.show(value)}"
    return None


def _votes(reader: _Reader, section, election: Election, rules) -> int:
    """Read the votes into ``election``; returns the number of vote rows."""
    line, header, body = section
    vote_type = election.vote_type
    with_points = vote_type in ("cumulative", "scoring")
    required = ("voter_id", "vote", "points") if with_points else ("voter_id", "vote")
    known = set(election.candidates)
    costs = {p.id: p.cost for p in election.projects}
    warnings = _Warnings(reader)
    seen: set[str] = set()
    rows = 0
    rankings: list[tuple[str, ...]] = []
    ballots: list[tuple[int, dict]] = []
    for row_line, rec in reader.records("VOTES", line, header, body, required):
        rows += 1
        voter = rec["voter_id"]
        if voter in seen:
            reader.fail(f"voter {voter!r} appears twice", row_line)
        seen.add(voter)
        vote = [p.strip() for p in rec["vote"].split(",")] if rec["vote"] else []
        for p in vote:
            if p not in known:
                reader.fail(f"vote of voter {voter!r} names unknown project {p!r}", row_line)
        points = None
        if with_points:
            raw = [p.strip() for p in rec["points"].split(",")] if rec["points"] else []
            if len(raw) != len(vote):
                reader.fail(f"voter {voter!r}: {len(vote)} projects but {len(raw)} points",
                            row_line)
            points = [_number(reader, x, row_line) for x in raw]
        if len(set(vote)) != len(vote):
            warnings.add(f"vote of voter {voter!r} names a project twice", row_line)
            first = {p: i for i, p in reversed(list(enumerate(vote)))}
            keep = sorted(first.values())
            vote = [vote[i] for i in keep]
            points = None if points is None else [points[i] for i in keep]
        if vote_type == "choose-1" and len(vote) > 1:
            reader.fail(f"choose-1 vote of voter {voter!r} names {len(vote)} projects", row_line)
        broken = _broken_rule(rules, vote, points, costs) if rules else None
        if broken:
            warnings.add(f"vote of voter {voter!r} breaks a ballot rule: META {broken}",
                         row_line)
            continue
        if vote_type == "ordinal":
            rankings.append(tuple(vote))
        elif with_points:
            ballots.append((1, dict(zip(vote, points))))
        else:
            ballots.append((1, {p: 1 for p in vote}))
    if vote_type == "ordinal":
        counted = Counter(rankings)
        election.profile = from_ballots([(n, r) for r, n in counted.items()],
                                        election.candidates)
    else:
        election.pb_ballots = ballots
    election.warnings = _summaries(warnings, ", ".join(rules))
    return rows


def _summaries(warnings: _Warnings, rule_names: str) -> list[dict]:
    twice = {m: ls for m, ls in warnings.found.items() if "names a project twice" in m}
    broken = {m: ls for m, ls in warnings.found.items() if "breaks a ballot rule" in m}
    out = []
    for found, text in ((twice, "{n} vote(s) name a project twice (lines {lines}): each "
                                "project counted once, at its first place"),
                        (broken, "{n} vote(s) break the ballot rules in META ({rules}) and are "
                                 "set aside (lines {lines}); first: {first}")):
        if not found:
            continue
        lines = sorted(line for ls in found.values() for line in ls)
        shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
        first = next(iter(found)).split(": ", 1)[-1]
        out.append({"message": text.format(n=len(lines), lines=shown, rules=rule_names,
                                           first=first), "lines": lines})
    return out


def _check_counts(reader, meta, meta_lines, rows: int, election: Election) -> None:
    counts = {"num_projects": len(election.projects), "num_votes": rows}
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
    elif rule:
        election.rule_refused = FileFormatError(
            f"META rule {meta['rule'].strip()!r} is not one pbapp-tally implements "
            f"({', '.join(RULES)}); choose a method with --method", meta_lines["rule"],
            reader.path)
    if meta.get(THRESHOLD, "").strip():
        line = meta_lines[THRESHOLD]
        if election.method not in (None, "greedy", "greedy-no-skip", "greedy-threshold"):
            reader.fail(f"META {THRESHOLD} applies to greedy rules; rule {rule!r} with a "
                        "threshold is not implemented", line)
        election.options["threshold"] = _number(reader, meta[THRESHOLD], line,
                                                f"META {THRESHOLD}")
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


def read_pb(path: str | Path, *, strict: bool = False) -> Election:
    """Read a ``.pb`` file into an ``Election`` with the file's counting defaults."""
    return parse_pb(read_text(path, newline=""), str(path), strict=strict)


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
    meta["budget"] = money.show(election.budget)
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
        row = [p.id, money.show(p.cost)] + [p.extra.get(k, "") for k in extra_keys]
        if has_name:
            row.append(p.name)
        if has_selected:
            row.append("" if p.selected is None else p.selected if isinstance(p.selected, str)
                       else str(int(p.selected)))
        out.writerow(row)
    out.writerow(["VOTES"])
    out.writerow(vote_header)
    out.writerows(vote_rows)
    if isinstance(target, str | Path):
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.write(buffer.getvalue())
    else:
        target.write(buffer.getvalue())
