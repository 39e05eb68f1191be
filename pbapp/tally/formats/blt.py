"""BLT ballot files (OpenSTV, eSTV, Scottish council results), read strictly and fast.

Layout, one item per line (``#`` starts a comment; blank lines are ignored)::

    4 2                 candidates seats
    -2                  optional: withdrawn candidates as negative numbers
    3 1 3 4 0           count, preferences (candidate numbers from 1), 0
    1 2=3 1 0           '=' joins candidates ranked equal (an overvote); '-' is a skipped rank
    (b7) 1 4 0          optional ballot id in parentheses, ignored
    0                   end of ballots
    "Alice"             candidate names, quoted or not, one per line
    ...
    "Election title"    title, last

A quote inside a quoted name or title is doubled, as in CSV: ``"#1 ""Youth"" fund"`` is the
title ``#1 "Youth" fund``. The format has no standard escape; doubling keeps the line readable
and a reader that ignores it still finds the name between the outer quotes. Numbers are ASCII
digits (``numbers.ascii_int``); a ballot line stands for at most ``MAX_COUNT`` ballots.

Anything else is an error naming the line: nothing is guessed. Identical ballot lines are counted
first and each distinct line parsed once, so a million-ballot file reads in well under a second.
"""
from __future__ import annotations

import io
from collections import Counter
from itertools import chain
from pathlib import Path

import numpy as np

from .. import default_method
from ..election import Election
from ..errors import BallotError, FileFormatError
from ..numbers import MAX_COUNT, ascii_decimal, ascii_int
from ..profile import OVERVOTE, PAD, SKIP, Profile
from . import read_text

#: characters that send a ballot line to the careful parser (``int()`` accepts '+' and '_')
_SPECIAL = frozenset('#=(-".+_')
#: what ``str.splitlines`` breaks lines at: never written inside a name
_LINE_BREAKS = dict.fromkeys(map(ord, "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"), " ")


def read_blt(path: str | Path) -> Election:
    """Read a BLT file into an ``Election`` (seats, withdrawn and title from the file)."""
    return parse_blt(read_text(path), path=str(path))


def parse_blt(text: str, path: str | None = None) -> Election:
    """Parse BLT text; ``path`` only labels errors."""
    return _Parser(text.splitlines(), path).parse()


class _Parser:
    def __init__(self, lines: list[str], path: str | None):
        self.lines = lines
        self.path = path
        self.has_overvotes = False

    def fail(self, message: str, index: int | None) -> FileFormatError:
        return FileFormatError(message, line=None if index is None else index + 1, path=self.path)

    def _content(self, i: int) -> str:
        """Line ``i`` without its comment, stripped."""
        line = self.lines[i]
        if "#" in line:
            line = line[:line.index("#")]
        return line.strip()

    def _next_content(self, i: int) -> int:
        while i < len(self.lines) and not self._content(i):
            i += 1
        return i

    def parse(self) -> Election:
        i = self._next_content(0)
        if i == len(self.lines):
            raise self.fail("empty file: expected 'candidates seats' on the first line", None)
        ncand, seats = self._header(i)
        self.ncand = ncand
        i = self._next_content(i + 1)
        withdrawn: list[int] = []
        if i < len(self.lines) and self._content(i).startswith("-"):
            withdrawn = self._withdrawn(i)
            i = self._next_content(i + 1)
        end = self._find_end(i)
        try:
            profile_rows = self._ballots(i, end)
        except _EarlyEnd as early:  # the end line had a comment or spaces: it comes first
            end = early.index
            profile_rows = self._ballots(i, end)
        names, title = self._names(end + 1)
        profile = self._profile(profile_rows, names)
        election = Election(title=title, candidates=names, profile=profile, seats=seats,
                            withdrawn=[names[w] for w in withdrawn],
                            meta={"format": "blt"})
        election.method = default_method(election)
        return election

    def _int(self, text: str, what: str, index: int, **limits) -> int:
        return ascii_int(text, what=what, line=index + 1, path=self.path, **limits)

    def _header(self, i: int) -> tuple[int, int]:
        tokens = self._content(i).split()
        if len(tokens) != 2:
            raise self.fail(f"expected 'candidates seats' (two whole numbers), found "
                            f"{self._content(i)!r}", i)
        ncand = self._int(tokens[0], "the number of candidates", i, minimum=1)
        seats = self._int(tokens[1], "the number of seats", i, minimum=1)
        if seats > ncand:
            raise self.fail(f"{seats} seats but only {ncand} candidates", i)
        return ncand, seats

    def _withdrawn(self, i: int) -> list[int]:
        out = []
        for token in self._content(i).split():
            if not token.startswith("-"):
                raise self.fail(f"withdrawn candidates are written as negative numbers "
                                f"(e.g. -2); found {token!r}", i)
            number = self._int(token[1:], "a withdrawn candidate", i)
            if not 1 <= number <= self.ncand:
                raise self.fail(f"withdrawn candidate {number} is not between 1 and "
                                f"{self.ncand}", i)
            if number - 1 in out:
                raise self.fail(f"candidate {number} is withdrawn twice", i)
            out.append(number - 1)
        return out

    def _find_end(self, start: int) -> int:
        """Index of the '0' line that ends the ballots (the fast exact match, checked later)."""
        try:
            return self.lines.index("0", start)
        except ValueError:
            pass
        for j in range(start, len(self.lines)):
            if self._content(j) == "0":
                return j
        raise self.fail("no '0' line ending the ballots", len(self.lines) - 1)

    def _ballots(self, start: int, end: int) -> dict[tuple, float]:
        """Distinct rankings with their total counts.

        A ranking is a tuple of candidate numbers as written (from 1), ``SKIP``, and frozensets
        of candidate indices (from 0) for overvotes; ``_profile`` makes numbers indices.
        """
        seen = Counter(self.lines[start:end])
        rankings: dict[tuple, float] = {}
        ncand = self.ncand
        for line, times in seen.items():
            parsed = None
            if line.isascii() and not _SPECIAL.intersection(line):
                try:
                    numbers = list(map(int, line.split()))
                except ValueError:
                    numbers = None
                if numbers is not None:
                    if not numbers:
                        continue
                    if len(numbers) > 1 and numbers[-1] == 0 and 0 < numbers[0] <= MAX_COUNT:
                        prefs = tuple(numbers[1:-1])
                        if not prefs or (min(prefs) >= 1 and max(prefs) <= ncand):
                            parsed = (numbers[0], prefs)
            if parsed is None:
                parsed = self._slow_ballot(line, start, end)
                if parsed is None:
                    continue
            count, key = parsed
            rankings[key] = rankings.get(key, 0) + count * times
        return rankings

    def _slow_ballot(self, line: str, start: int, end: int):
        """Parse one unusual line (comment, id, '=', '-', decimal count), or say what is wrong."""
        content = line.split("#", 1)[0].strip()
        if not content:
            return None
        index = self.lines.index(line, start, end)
        if content == "0":
            raise _EarlyEnd(index)
        if content.startswith("("):
            close = content.find(")")
            if close < 0:
                raise self.fail("ballot id '(' without ')'", index)
            content = content[close + 1:].strip()
        tokens = content.split()
        if not tokens:
            raise self.fail("a ballot id with no ballot", index)
        count = ascii_decimal(tokens[0], what="a ballot line's count", line=index + 1,
                              path=self.path, maximum=MAX_COUNT)
        if count <= 0:
            raise self.fail(f"a ballot line starts with its count (a positive number); found "
                            f"{tokens[0]!r}", index)
        if len(tokens) < 2 or tokens[-1] != "0":
            raise self.fail("a ballot line must end with 0", index)
        key = []
        for token in tokens[1:-1]:
            if token == "-":
                key.append(SKIP)
                continue
            group = []
            for part in token.split("="):
                if not (part.isascii() and part.isdigit()):
                    raise self.fail(f"preference {token!r} is not a candidate number", index)
                number = self._int(part, "a preference", index)
                if number == 0:
                    raise self.fail("0 before the end of a ballot line", index)
                if number > self.ncand:
                    raise self.fail(f"preference {number} is not a candidate (there are "
                                    f"{self.ncand})", index)
                group.append(number)
            key.append(group[0] if len(group) == 1 else frozenset(g - 1 for g in group))
            if len(group) > 1:
                self.has_overvotes = True
        while key and key[-1] == SKIP:
            key.pop()
        return count, tuple(key)

    def _names(self, start: int) -> tuple[list[str], str]:
        entries = []
        for j in range(start, len(self.lines)):
            raw = self.lines[j].strip()
            if not raw or raw.startswith("#"):
                continue
            entries.append((j, self._name(raw, j)))
        expected = self.ncand + 1
        if len(entries) < expected:
            last = entries[-1][0] if entries else start - 1
            raise self.fail(f"expected {self.ncand} candidate names and a title after the 0 "
                            f"line, found {len(entries)} line(s)", last)
        if len(entries) > expected:
            raise self.fail(f"unexpected line after the title (expected {self.ncand} candidate "
                            "names and a title)", entries[expected][0])
        names = [name for _, name in entries[:-1]]
        first: dict[str, int] = {}
        for j, name in entries[:-1]:
            if not name:
                raise self.fail("an empty candidate name", j)
            if name in first:
                raise self.fail(f"candidate name {name!r} appears twice (also line "
                                f"{first[name] + 1})", j)
            first[name] = j
        return names, entries[-1][1]

    def _name(self, raw: str, j: int) -> str:
        """A name as written: unquoted as it stands, quoted with ``""`` for a quote inside."""
        if not raw.startswith('"'):
            return raw
        close = raw.find('"', 1)
        while close >= 0 and raw.startswith('"', close + 1):
            close = raw.find('"', close + 2)
        if close < 0:
            raise self.fail("a quoted name without its closing quote", j)
        rest = raw[close + 1:].strip()
        if rest and not rest.startswith("#"):
            raise self.fail(f"text after the closing quote: {rest!r}", j)
        return raw[1:close].replace('""', '"')

    def _profile(self, rankings: dict[tuple, float], names: list[str]) -> Profile:
        keys = list(rankings)
        counts = np.fromiter(rankings.values(), dtype=np.float64, count=len(keys))
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        width = max(int(lengths.max()) if len(keys) else 0, 1)
        rows = np.full((len(keys), width), PAD, dtype=np.int32)
        overvotes: dict[tuple[int, int], frozenset[int]] = {}
        total = int(lengths.sum())
        if total:
            marks = chain.from_iterable(keys)
            if self.has_overvotes:
                marks = (OVERVOTE if isinstance(m, frozenset) else m for m in marks)
            flat = np.fromiter(marks, dtype=np.int32, count=total)
            flat[flat > 0] -= 1  # candidate numbers from 1 -> indices
            row_of = np.repeat(np.arange(len(keys)), lengths)
            col_of = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            rows[row_of, col_of] = flat
            for r in np.flatnonzero((rows == OVERVOTE).any(axis=1)).tolist():
                for c, mark in enumerate(keys[r]):
                    if isinstance(mark, frozenset):
                        overvotes[(r, c)] = mark
        return Profile(list(names), rows, counts, overvotes)


class _EarlyEnd(Exception):
    """The ballots end at an earlier '0' line than the exact match found first."""

    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


def write_blt(election_or_profile: Election | Profile, path_or_file, title: str | None = None,
              seats: int | None = None) -> None:
    """Write ballots as BLT; ``read_blt`` gives back the same election.

    Skipped ranks are written '-', overvotes 'a=b'. Names and the title are always quoted, a
    quote inside doubled; a line break inside one (a file line each) is written as a space.
    Profiles carrying ballot-rule markers (after ``apply_rules``) are refused: write the
    ballots as cast.
    """
    if isinstance(election_or_profile, Election):
        election = election_or_profile
        profile = election.profile
        if profile is None:
            raise BallotError("this election has no ranked ballots to write as BLT")
        title = election.title if title is None else title
        seats = election.seats if seats is None else seats
        withdrawn = list(election.withdrawn)
    else:
        profile, withdrawn = election_or_profile, []
        title = "" if title is None else title
        seats = 1 if seats is None else seats
    names = list(profile.candidates)
    index = {n: i for i, n in enumerate(names)}
    out = io.StringIO()
    out.write(f"{len(names)} {int(seats)}\n")
    if withdrawn:
        out.write(" ".join(f"-{index[w] + 1}" for w in withdrawn) + "\n")
    rows = zip(profile.rankings.tolist(), profile.counts.tolist(), strict=True)
    for r, (row, count) in enumerate(rows):
        if count <= 0:
            continue
        marks = []
        for c, code in enumerate(row):
            if code >= 0:
                marks.append(str(code + 1))
            elif code == SKIP:
                marks.append("-")
            elif code == OVERVOTE:
                marks.append("=".join(str(m + 1) for m in sorted(profile.overvotes[(r, c)])))
            elif code == PAD:
                break
            else:
                raise BallotError("the profile carries ballot-rule markers; write the ballots "
                                  "as cast, before apply_rules")
        while marks and marks[-1] == "-":
            marks.pop()
        number = str(int(count)) if float(count).is_integer() else \
            np.format_float_positional(count, unique=True, trim="-")
        out.write(" ".join([number, *marks, "0"]) + "\n")
    out.write("0\n")
    for name in names:
        out.write(_quote(name) + "\n")
    out.write(_quote(title) + "\n")
    text = out.getvalue()
    if hasattr(path_or_file, "write"):
        path_or_file.write(text)
    else:
        Path(path_or_file).write_text(text, encoding="utf-8")


def _quote(text: str) -> str:
    return '"' + str(text).translate(_LINE_BREAKS).replace('"', '""') + '"'
