"""Cast-vote records as CSV, one ballot per line, in the two layouts election offices use.

``ranks``       a column per rank (headers like ``Rank 1``, ``Choice 2``, ``3rd preference``), each
                cell a candidate name; a blank cell is a skipped rank; ``A|B`` (the
                ``overvote_delimiter``) is an overvote. Other columns (ids, precinct) are ignored.
``candidates``  a column per candidate (RCTab's generic CSV), each cell the rank given to that
                candidate or blank; a rank held by several candidates is an overvote, a rank held
                by none a skip. Leading id columns (``Response ID``, ``precinct``) come first:
                ``first_vote_column`` (1-based, RCTab's ``firstVoteColumnIndex``) says where the
                votes start, else it is the first column whose header is not an id word and whose
                cells are all blank or whole numbers.
``layout="auto"`` picks ``ranks`` when the header has rank columns. An optional ``Count`` (or
``Weight``) column says how many identical ballots a line stands for. Ranks and counts are ASCII
digits (``numbers``): ranks up to ``MAX_RANK``, counts plain decimals up to ``MAX_COUNT``. Quoted
fields follow CSV rules strictly: a quote left open is an error, not the rest of the file.

Speed: a million lines read in about a second, because the vote part of each line is counted
as raw text first and each distinct one is parsed once. A file that breaks the layout raises
``FileFormatError`` naming the line and the problem; nothing is guessed.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import IO

import numpy as np

from ..election import Election
from ..errors import BallotError, FileFormatError
from ..numbers import MAX_COUNT, MAX_RANK, ascii_decimal, ascii_int
from ..profile import OVERVOTE, PAD, SKIP, Profile
from . import read_text
from .cdf import WRITE_IN

_WORD = r"(?:rank(?:ing)?|choice|pref(?:erence)?)"
_RANK = re.compile(rf"^\s*(?:{_WORD}[\s_#-]*(\d+)|(\d+)\s*(?:st|nd|rd|th)?[\s_-]*{_WORD})\s*$",
                   re.I)
_ID_WORDS = re.compile(r"(?:^|[\s_#-])(?:id|precinct|batch|ballot|style|ward|district|record|"
                       r"response|timestamp|tabulator|card|cvr|serial|split|poll|voter)"
                       r"(?:$|[\s_#-])", re.I)
_COUNT_HEADERS = ("count", "weight")
LAYOUTS = ("auto", "ranks", "candidates")
_SETS = -100  # codes at or below this stand for an overvote set while lines are decoded


def _rank_columns(header: list[str], line: int, path: str | None) -> dict[int, int]:
    """Column index -> rank number, for rank-layout headers."""
    out = {}
    for col, name in enumerate(header):
        m = _RANK.match(name)
        if m:
            out[col] = ascii_int(m.group(1) or m.group(2), what=f"the rank of column {name!r}",
                                 maximum=MAX_RANK, line=line, path=path)
    return out


class _Rows:
    """The data lines, counted by the text of the columns that matter."""

    def __init__(self, text: str, start: int, path: str | None):
        self.path, self.start = path, start  # ``start``: 1-based line number of the first row
        self.quoted = '"' in text
        offset = 0
        for _ in range(start - 1):
            offset = text.find("\n", offset) + 1
        has_rows = offset > 0 or start == 1
        self.commas = text.count(",", offset) if has_rows else 0
        self.lines = text.split("\n")[start - 1:] if has_rows else []
        while self.lines and not self.lines[-1]:
            self.lines.pop()

    def count(self, lo: int, hi: int, ncols: int) -> dict[tuple[str, ...], list]:
        """Distinct cell tuples of columns lo..hi-1 -> [ballots, first line or None]."""
        if self.quoted:
            return self._count_csv(lo, hi, ncols)
        lines = [ln for ln in self.lines if ln] if "" in self.lines else self.lines
        if self.commas != (ncols - 1) * len(lines):
            self._check_widths(ncols)
        tail = ncols - hi
        if lo and tail:
            keys = [ln.split(",", lo)[-1].rsplit(",", tail)[0] for ln in lines]
        elif lo:
            keys = [ln.split(",", lo)[-1] for ln in lines]
        elif tail:
            keys = [ln.rsplit(",", tail)[0] for ln in lines]
        else:
            keys = lines
        out: dict[tuple[str, ...], list] = {}
        for key, n in Counter(keys).items():
            cells = tuple(key.split(","))
            if len(cells) != hi - lo:  # with the comma total right, no line can hide a bad width
                self._check_widths(ncols)
                self.fail(f"a line does not have the header's {ncols} fields", None)
            out[cells] = [n, None]
        return out

    def _check_widths(self, ncols: int) -> None:
        for i, ln in enumerate(self.lines):
            if ln and ln.count(",") + 1 != ncols:
                self.fail(f"expected {ncols} fields as in the header, found {ln.count(',') + 1}",
                          self.start + i)

    def _count_csv(self, lo: int, hi: int, ncols: int) -> dict[tuple[str, ...], list]:
        out: dict[tuple[str, ...], list] = {}
        reader = csv.reader(io.StringIO("\n".join(self.lines)), strict=True)
        try:
            for row in reader:
                if not row:
                    continue
                if len(row) != ncols:
                    self.fail(f"expected {ncols} fields as in the header, found {len(row)}",
                              self.start + reader.line_num - 1)
                key = tuple(row[lo:hi])
                slot = out.get(key)
                if slot is None:
                    out[key] = [1, self.start + reader.line_num - 1]
                else:
                    slot[0] += 1
        except csv.Error as exc:
            self.fail(f"cannot split the line into fields: {exc}",
                      self.start + reader.line_num - 1)
        return out

    def line_of(self, cells: tuple[str, ...], lo: int, hi: int) -> int | None:
        """First line holding these cells (only looked up when reporting an error)."""
        for i, ln in enumerate(self.lines):
            try:
                row = next(csv.reader([ln], strict=True), []) if self.quoted else ln.split(",")
            except csv.Error:
                continue
            if tuple(row[lo:hi]) == cells:
                return self.start + i
        return None

    def fail(self, message: str, line: int | None):
        raise FileFormatError(message, line=line, path=self.path)


def parse_csv(text: str, candidates=None, *, layout: str = "auto", first_vote_column=None,
              first_vote_row: int = 2, overvote_delimiter: str | None = "|",
              skipped_label: str | None = None, overvote_label: str | None = None,
              write_in_label: str | None = None, path: str | None = None) -> Election:
    """Read CSV cast-vote records from text (see the module docstring for the layouts).

    ``candidates`` fixes the candidate list and order; a name not in it is an error (except the
    ``write_in_label``, read as "Undeclared Write-ins"). ``first_vote_row`` is the 1-based line of
    the first ballot; the header is the line before it. ``skipped_label`` and ``overvote_label``
    are cell texts that mean a skipped rank or an overvote (rank layout).
    """
    if layout not in LAYOUTS:
        raise BallotError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line = first_vote_row - 1
    lines = text.split("\n", first_vote_row)
    if header_line < 1 or len(lines) < first_vote_row or not lines[header_line - 1].strip():
        raise FileFormatError("no header line", line=max(header_line, 1), path=path)
    try:
        header = [h.strip() for h in next(csv.reader([lines[header_line - 1]], strict=True))]
    except csv.Error as exc:
        raise FileFormatError(f"cannot split the header into fields: {exc}", line=header_line,
                              path=path) from None
    rows = _Rows(text, first_vote_row, path)
    ranks = _rank_columns(header, header_line, path)
    layout = ("ranks" if ranks else "candidates") if layout == "auto" else layout
    count_col = next((i for i, h in enumerate(header) if h.lower() in _COUNT_HEADERS), None)
    if layout == "ranks":
        numbers = sorted(ranks.values())
        if not ranks or numbers != list(range(1, len(numbers) + 1)):
            raise FileFormatError("rank columns (headers like 'Rank 1') must be numbered 1..N "
                                  f"once each, found {numbers}", line=header_line, path=path)
        vote_cols = sorted(ranks, key=ranks.get)
    else:
        vote_cols = _candidate_columns(header, first_vote_column, count_col, rows, header_line,
                                       path)
    used = vote_cols + ([count_col] if count_col is not None else [])
    lo, hi = min(used), max(used) + 1
    if candidates is not None:
        names, fixed = [str(c) for c in candidates], True
    elif layout == "candidates":
        names = list(dict.fromkeys(WRITE_IN if header[c] == write_in_label else header[c]
                                   for c in vote_cols))
        fixed = True
    else:
        names, fixed = [], False
    decoder = _Decoder(names, fixed, overvote_delimiter, skipped_label, overvote_label,
                       write_in_label)
    cols = [c - lo for c in vote_cols]
    col_names = [header[c] for c in vote_cols]
    if layout == "candidates":
        try:
            col_codes = [decoder.name_code(header[c]) for c in vote_cols]
        except ValueError as exc:
            raise FileFormatError(f"column {exc}", line=header_line, path=path) from None
    merged: dict[tuple[int, ...], float] = {}
    for cells, (n, line) in rows.count(lo, hi, len(header)).items():
        try:
            weight = 1.0 if count_col is None else _weight(cells[count_col - lo])
            if layout == "ranks":
                codes = decoder.ranks(cells, cols)
            else:
                codes = decoder.by_candidate(cells, cols, col_codes, col_names)
        except ValueError as exc:
            rows.fail(str(exc), line if line is not None else rows.line_of(cells, lo, hi))
        merged[codes] = merged.get(codes, 0.0) + n * weight
    profile = decoder.profile(merged)
    return Election(title=Path(path).stem if path else "", candidates=profile.candidates,
                    profile=profile, meta={"format": "csv", "layout": layout})


def _weight(cell: str) -> float:
    try:
        return float(ascii_decimal(cell, what="count", minimum=0, maximum=MAX_COUNT))
    except FileFormatError:
        raise ValueError(f"count {cell!r} is not a number of ballots (0 to {MAX_COUNT:,}, "
                         "digits 0-9)") from None


def _natural(name: str):
    if name.isascii() and name.isdigit() and len(name) < 100:
        return (0, int(name), "")
    return (1, 0, name)


def _candidate_columns(header, first_vote_column, count_col, rows: _Rows, header_line, path):
    if first_vote_column is not None:
        start = int(first_vote_column) - 1
        if not 0 <= start < len(header):
            raise BallotError(f"first_vote_column {first_vote_column} is outside the "
                              f"{len(header)} columns")
    else:
        sample = [ln.split(",") for ln in rows.lines[:200]] if not rows.quoted else \
            _split_quoted(rows.lines[:200])
        start = 0
        for col, name in enumerate(header):
            cells = [r[col].strip() for r in sample if col < len(r)]
            if col != count_col and not _ID_WORDS.search(name) and \
                    all(c == "" or (c.isascii() and c.isdigit()) for c in cells):
                break
            start = col + 1
    cols = [c for c in range(start, len(header)) if c != count_col]
    blank = [c + 1 for c in cols if not header[c]]
    if not cols or blank:
        raise FileFormatError("no candidate columns found" if not cols else
                              f"column {blank[0]} has no candidate name", line=header_line,
                              path=path)
    return cols


def _split_quoted(lines: list[str]) -> list[list[str]]:
    try:
        return list(csv.reader(lines, strict=True))
    except csv.Error:  # reported with its line when the rows are counted
        return []


class _Decoder:
    """Turns a distinct line's cells into a row of codes (see ``profile``); ValueError says
    what is wrong. Cell texts repeat endlessly, so each one is interpreted once."""

    def __init__(self, names, fixed, delimiter, skipped, overvote, write_in):
        self.names, self.fixed = list(names), fixed
        self.index = {n: i for i, n in enumerate(self.names)}
        self.delimiter, self.skipped, self.overvote, self.write_in = (delimiter, skipped,
                                                                      overvote, write_in)
        self.sets: dict[frozenset[int], int] = {}  # overvote set -> code _SETS - id
        self.cells: dict[str, int] = {}

    def name_code(self, name: str) -> int:
        if name == self.write_in:
            name = WRITE_IN
        code = self.index.get(name)
        if code is None:
            if self.fixed and name != WRITE_IN:
                raise ValueError(f"{name!r} is not a candidate")
            code = self.index[name] = len(self.names)
            self.names.append(name)
        return code

    def _set(self, codes: set[int]) -> int:
        if len(codes) == 1:
            return next(iter(codes))
        return _SETS - self.sets.setdefault(frozenset(codes), len(self.sets))

    def _cell(self, cell: str) -> int:
        text = cell.strip()
        if not text or text == self.skipped:
            return SKIP
        if text == self.overvote:
            if not self.fixed:
                raise ValueError("an overvote label needs the candidate list")
            return self._set(set(range(len(self.names))))
        if self.delimiter and self.delimiter in text:
            parts = {self.name_code(p.strip()) for p in text.split(self.delimiter) if p.strip()}
            return self._set(parts) if parts else SKIP
        return self.name_code(text)

    def ranks(self, cells, cols) -> tuple[int, ...]:
        codes = []
        for rank, col in enumerate(cols, start=1):
            code = self.cells.get(cells[col])
            if code is None:
                try:
                    code = self.cells[cells[col]] = self._cell(cells[col])
                except ValueError as exc:
                    raise ValueError(f"rank {rank}: {exc}") from None
            codes.append(code)
        while codes and codes[-1] == SKIP:
            codes.pop()
        return tuple(codes)

    def by_candidate(self, cells, cols, col_codes, col_names) -> tuple[int, ...]:
        by_rank: dict[int, set[int]] = {}
        for col, code, name in zip(cols, col_codes, col_names):
            cell = cells[col].strip()
            if cell:
                try:
                    rank = ascii_int(cell, what="rank", minimum=1, maximum=MAX_RANK)
                except FileFormatError:
                    raise ValueError(f"column {name!r}: rank {cell!r} is not a whole number "
                                     f"from 1 to {MAX_RANK}") from None
                by_rank.setdefault(rank, set()).add(code)
        top = max(by_rank, default=0)
        return tuple(self._set(by_rank[r]) if r in by_rank else SKIP for r in range(1, top + 1))

    def profile(self, merged: dict[tuple[int, ...], float]) -> Profile:
        """The Profile of the merged rows, candidates in natural order unless they were given."""
        width = max((len(k) for k in merged), default=0)
        table = np.array([list(k) + [PAD] * (width - len(k)) for k in merged],
                         dtype=np.int32).reshape(len(merged), width)
        sets = {code: marks for marks, code in ((m, _SETS - i) for m, i in self.sets.items())}
        names = self.names
        if not self.fixed:
            names = sorted(self.names, key=_natural)
            remap = np.array([names.index(n) for n in self.names] or [0], dtype=np.int32)
            table = np.where(table >= 0, remap[np.maximum(table, 0)], table)
            sets = {code: frozenset(int(remap[c]) for c in m) for code, m in sets.items()}
        overvotes = {}
        for r, c in zip(*np.nonzero(table <= _SETS)):
            overvotes[(int(r), int(c))] = sets[int(table[r, c])]
            table[r, c] = OVERVOTE
        counts = np.fromiter(merged.values(), dtype=np.float64, count=len(merged))
        return Profile(names, table if width else np.full((len(merged), 1), PAD, np.int32),
                       counts, overvotes)


def read_csv(path: str | Path, candidates=None, **options) -> Election:
    """Read a CSV cast-vote-record file (see ``parse_csv`` for the options)."""
    return parse_csv(read_text(path, newline=""), candidates, path=str(path), **options)


def write_csv(data: Profile | Election, dest: str | Path | IO[str], *,
              one_per_ballot: bool = False, overvote_delimiter: str = "|") -> None:
    """Write ballots in the rank layout, which ``read_csv`` reads back to the same profile.

    By default each distinct ranking is one line with a ``Count`` column; ``one_per_ballot``
    writes a numbered line per ballot instead (counts must then be whole numbers).
    """
    profile = data.profile if isinstance(data, Election) else data
    if profile is None:
        raise BallotError("there are no ranked ballots to write")
    if (profile.rankings < -3).any():
        raise BallotError("these ballots already have counting rules applied; write the "
                          "ballots as read")
    width = max(int((profile.rankings != PAD).sum(axis=1).max(initial=0)), 1)
    rows = []
    for count, ranking in profile.ballots():
        cells = []
        for mark in ranking:
            if isinstance(mark, frozenset):
                cells.append(overvote_delimiter.join(sorted(mark)))
            else:
                cells.append("" if mark is None else mark)
        rows.append((count, cells + [""] * (width - len(cells))))
    bad = [n for n in profile.candidates if overvote_delimiter in n or n != n.strip()]
    if bad:
        raise BallotError(f"candidate name {bad[0]!r} cannot be written: it contains the "
                          "overvote delimiter or surrounding spaces")
    ranks = [f"Rank {i}" for i in range(1, width + 1)]
    fh = open(dest, "w", encoding="utf-8", newline="") if isinstance(dest, str | Path) else dest
    try:
        out = csv.writer(fh, lineterminator="\n")
        if one_per_ballot:
            out.writerow(["Ballot"] + ranks)
            number = 0
            for count, cells in rows:
                if count != int(count):
                    raise BallotError(f"cannot write {count} ballots one per line")
                for _ in range(int(count)):
                    number += 1
                    out.writerow([number] + cells)
        else:
            out.writerow(["Count"] + ranks)
            for count, cells in rows:
                out.writerow([int(count) if count == int(count) else
                              np.format_float_positional(count, unique=True, trim="-")] + cells)
    finally:
        if fh is not dest:
            fh.close()
