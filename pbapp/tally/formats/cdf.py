"""NIST SP 1500-103 cast-vote records (CDF), JSON form: what RCTab and US vendors export.

A ``CastVoteRecordReport`` holds the ballots (``CVR``) and, in ``Election``, the candidates and
contests: each ``ContestSelection`` of a contest names its candidate through ``CandidateIds``.
A ballot's marks are in its current snapshot (``CurrentSnapshotId``), under the contest's
``CVRContestSelection``s: each has a ``ContestSelectionId`` and ``SelectionPosition``s carrying the
``Rank``. Several candidates at one rank are an overvote, a rank nobody holds is a skip, a
candidate at several ranks is a repeat; the ballot rules decide what they mean later. As RCTab
does, positions with ``HasIndication`` or ``IsAllocable`` ``"no"`` are not marks, selections with
``Status`` ``needs-adjudication`` are ignored, and write-ins (``IsWriteIn`` selections,
``CVRWriteIn`` positions) count for the candidate "Undeclared Write-ins".

Anything that does not fit raises ``FileFormatError`` naming the ballot and, when it can be found
in the text, the line; nothing is guessed. That includes a value of the wrong JSON type (a list
where an object belongs, an object as an id) and a ``Rank`` that is not a whole number from 1 to
``MAX_RANK`` (a JSON integer or ASCII digits).
"""
from __future__ import annotations

import re
import reprlib
from pathlib import Path
from typing import Any

from ..election import Election
from ..errors import FileFormatError
from ..numbers import MAX_RANK, ascii_int
from ..profile import from_ballots
from . import parse_json, read_text

WRITE_IN = "Undeclared Write-ins"
_SCALARS = (str, int, float)
_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60


def _flag(value) -> str | None:
    """A yes/no or true/false setting, lower-cased (JSON true is "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.lower() if isinstance(value, str) else None


class _Cdf:
    """One report being read; keeps the text so errors can point at a line."""

    def __init__(self, data: dict, text: str | None, path: str | None):
        self.data, self.text, self.path = data, text, path

    def fail(self, message: str, near: tuple[str, object] | None = None):
        """Raise, naming the line where ``"key": value`` first appears in the text."""
        line = None
        if self.text and near and isinstance(near[1], _SCALARS):
            key, value = near
            m = re.search(rf'"{re.escape(key)}"\s*:\s*"?{re.escape(str(value))}"?\s*[,}}\n]',
                          self.text)
            if m:
                line = self.text.count("\n", 0, m.start()) + 1
        raise FileFormatError(message, line=line, path=self.path)

    def objects(self, owner: dict, key: str, near=None) -> list[dict]:
        """``owner[key]``: a list of JSON objects (missing or null: none)."""
        value = owner.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(f'"{key}" must be a list of objects, not {_short.repr(value)}', near)
        return value

    def scalar(self, value, what: str, near=None):
        """An id or name: text or a number (or missing), never a list or an object."""
        if value is not None and (not isinstance(value, _SCALARS) or isinstance(value, bool)):
            self.fail(f"{what} must be text or a number, not {_short.repr(value)}", near)
        return value

    def contest(self, wanted: str | None) -> tuple[dict, dict[str, str]]:
        """The contest to count and its selection id -> candidate name."""
        if not isinstance(self.data.get("Election") or [], list):
            self.fail('"Election" must be a list')
        people: dict[str, str] = {}
        contests: list[dict] = []
        for election in self.objects(self.data, "Election"):
            for cand in self.objects(election, "Candidate"):
                name = self.scalar(cand.get("Name"), "a Candidate's Name")
                if "@id" not in cand:
                    self.fail("a Candidate has no @id", ("Name", name))
                cid = self.scalar(cand["@id"], "a Candidate's @id", ("Name", name))
                people[cid] = str(cid if name is None else name)
            contests += self.objects(election, "Contest")
        if not contests:
            return {}, {}
        if wanted is None:
            if len(contests) > 1:
                names = ", ".join(_short.repr(c.get("Name", c.get("@id"))) for c in contests)
                self.fail(f"the file has several contests ({names}); say which one to count")
            chosen = contests[0]
        else:
            found = [c for c in contests if wanted in (c.get("Name"), c.get("@id"))]
            if not found:
                self.fail(f"contest {wanted!r} is not in the file")
            chosen = found[0]
        names: dict[str, str] = {}
        for sel in self.objects(chosen, "ContestSelection"):
            sid = self.scalar(sel.get("@id"), "a ContestSelection's @id")
            if _flag(sel.get("IsWriteIn")) == "true":
                names[sid] = WRITE_IN
                continue
            ids = sel.get("CandidateIds") or ([sel["CandidateId"]] if "CandidateId" in sel else [])
            if not isinstance(ids, list):
                self.fail(f"ContestSelection {sid!r}: CandidateIds must be a list", ("@id", sid))
            if not ids:
                self.fail(f"ContestSelection {sid!r} names no candidate", ("@id", sid))
            if self.scalar(ids[0], "a candidate id", ("@id", sid)) not in people:
                self.fail(f"ContestSelection {sid!r} names candidate {ids[0]!r}, which is not "
                          "among the Election's candidates", ("@id", sid))
            names[sid] = people[ids[0]]
        return chosen, names

    def ranking(self, number: int, cvr: dict, contest_id: str | None,
                names: dict[str, str]) -> tuple | None:
        """One ballot's marks by rank, or None when it has no part in this contest."""
        key = next((k for k in ("UniqueId", "BallotPrePrintedId") if cvr.get(k)), None)
        label = f"#{number}" if not key else cvr[key] if isinstance(cvr[key], str) else \
            _short.repr(cvr[key])
        near = (key, cvr[key]) if key else None
        snaps = self.objects(cvr, "CVRSnapshot", near)
        current = self.scalar(cvr.get("CurrentSnapshotId"), f"CVR {label}: CurrentSnapshotId",
                              near)
        snap = next((s for s in snaps if s.get("@id") == current), None)
        if snap is None:
            if len(snaps) != 1:
                self.fail(f"CVR {label}: no snapshot matches CurrentSnapshotId {current!r}",
                          ("CurrentSnapshotId", current) if current else near)
            snap = snaps[0]
        if snap.get("@id") is not None:
            near = ("@id", snap["@id"])
        contests = self.objects(snap, "CVRContest", near)
        if contest_id is None and len(contests) > 1:
            self.fail(f"CVR {label} votes in several contests; say which one to count", near)
        mine = [c for c in contests if contest_id is None or c.get("ContestId") == contest_id]
        if not mine:
            return None
        by_rank: dict[int, set[str]] = {}
        for sel in self.objects(mine[0], "CVRContestSelection", near):
            if sel.get("Status") == "needs-adjudication":
                continue
            sid = self.scalar(sel.get("ContestSelectionId"), f"CVR {label}: ContestSelectionId",
                              near)
            name = names.get(sid, str(sid) if not names and sid is not None else None)
            if name is None:
                self.fail(f"CVR {label}: ContestSelectionId {sid!r} is not a selection of the "
                          "contest", near)
            positions = self.objects(sel, "SelectionPosition", near)
            if "Rank" in sel and not positions:
                positions = [{"Rank": sel["Rank"]}]
            for p in positions:
                if _flag(p.get("HasIndication")) == "no" or _flag(p.get("IsAllocable")) == "no":
                    continue
                votes = p.get("NumberVotes", 1)
                if isinstance(votes, _SCALARS) and votes in (0, "0"):
                    continue
                if not isinstance(votes, _SCALARS) or str(votes) != "1":
                    self.fail(f"CVR {label}: NumberVotes {_short.repr(votes)} for {name}; a "
                              "ranked ballot gives one vote per mark", near)
                rank = self.rank(p.get("Rank", sel.get("Rank")), f"CVR {label}", name, near)
                by_rank.setdefault(rank, set()).add(WRITE_IN if p.get("CVRWriteIn") else name)
        if not by_rank:
            return ()
        return tuple((None if r not in by_rank else next(iter(by_rank[r]))
                      if len(by_rank[r]) == 1 else frozenset(by_rank[r]))
                     for r in range(1, max(by_rank) + 1))

    def rank(self, value, label: str, name: str, near) -> int:
        """A mark's ``Rank``: a whole number from 1 to ``MAX_RANK``."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1:
                self.fail(f"{label}: rank {value} for {name} is below 1", near)
            if value > MAX_RANK:
                self.fail(f"{label}: rank {value} for {name} is above {MAX_RANK}", near)
            return value
        try:
            return ascii_int(value, what="rank", minimum=1, maximum=MAX_RANK)
        except FileFormatError:
            self.fail(f"{label}: rank {_short.repr(value)} for {name} is not a whole number "
                      f"from 1 to {MAX_RANK}", near)


def parse_cdf(source: str | dict, candidates=None, *, contest: str | None = None,
              path: str | None = None) -> Election:
    """Read a CDF report given as JSON text or an already-parsed dict.

    ``contest`` picks a contest by name or id when the file has several. ``candidates`` fixes
    the candidate list and its order (e.g. from an RCTab config); a ballot naming anyone else
    is an error. Ballots without this contest are left out; ballots with it but no marks are
    kept as undervotes.
    """
    text = source if isinstance(source, str) else None
    data = parse_json(text, path) if text is not None else source
    reader = _Cdf(data, text, path)
    if not isinstance(data, dict) or not isinstance(data.get("CVR"), list):
        reader.fail('not a CDF cast-vote-record report: no "CVR" list')
    chosen, names = reader.contest(contest)
    contest_id = reader.scalar(chosen.get("@id"), "a Contest's @id") if chosen else contest
    ballots: list[tuple] = []
    for number, cvr in enumerate(reader.objects(data, "CVR"), start=1):
        ranking = reader.ranking(number, cvr, contest_id, names)
        if ranking is not None:
            ballots.append(ranking)
    if candidates is None:
        order = list(dict.fromkeys(names.values()))
        seen = {m for r in ballots for mark in r if mark is not None
                for m in (mark if isinstance(mark, frozenset) else (mark,))}
        order += sorted(seen - set(order))
    else:
        order = [str(c) for c in candidates]
        known = set(order)
        for number, r in enumerate(ballots, start=1):
            for mark in r:
                for m in mark if isinstance(mark, frozenset) else (mark,):
                    if m is not None and m not in known:
                        reader.fail(f"candidate {m!r} is on the ballots but not in the "
                                    "candidate list", ("Name", m))
    title = str(reader.scalar(chosen.get("Name", ""), "a Contest's Name")) if chosen else ""
    meta: dict[str, Any] = {"format": "cdf"}
    if data.get("GeneratedDate"):
        meta["generated"] = str(reader.scalar(data["GeneratedDate"], "GeneratedDate"))
    return Election(title=title, candidates=order, profile=from_ballots(ballots, order),
                    meta=meta)


def read_cdf(path: str | Path, candidates=None, *, contest: str | None = None) -> Election:
    """Read a CDF JSON file (see ``parse_cdf``)."""
    return parse_cdf(read_text(path), candidates, contest=contest, path=str(path))
