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
in the text, the line; nothing is guessed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..election import Election
from ..errors import FileFormatError
from ..profile import from_ballots

WRITE_IN = "Undeclared Write-ins"


class _Cdf:
    """One report being read; keeps the text so errors can point at a line."""

    def __init__(self, data: dict, text: str | None, path: str | None):
        self.data, self.text, self.path = data, text, path

    def fail(self, message: str, near: tuple[str, object] | None = None):
        """Raise, naming the line where ``"key": value`` first appears in the text."""
        line = None
        if self.text and near and near[1] is not None:
            key, value = near
            m = re.search(rf'"{re.escape(key)}"\s*:\s*"?{re.escape(str(value))}"?\s*[,}}\n]',
                          self.text)
            if m:
                line = self.text.count("\n", 0, m.start()) + 1
        raise FileFormatError(message, line=line, path=self.path)

    def contest(self, wanted: str | None) -> tuple[dict, dict[str, str]]:
        """The contest to count and its selection id -> candidate name."""
        elections = self.data.get("Election") or []
        if not isinstance(elections, list):
            self.fail('"Election" must be a list')
        people: dict[str, str] = {}
        contests: list[dict] = []
        for election in elections:
            for cand in election.get("Candidate") or []:
                if "@id" not in cand:
                    self.fail("a Candidate has no @id", ("Name", cand.get("Name")))
                people[cand["@id"]] = str(cand.get("Name", cand["@id"]))
            contests += election.get("Contest") or []
        if not contests:
            return {}, {}
        if wanted is None:
            if len(contests) > 1:
                names = ", ".join(repr(c.get("Name", c.get("@id"))) for c in contests)
                self.fail(f"the file has several contests ({names}); say which one to count")
            chosen = contests[0]
        else:
            found = [c for c in contests if wanted in (c.get("Name"), c.get("@id"))]
            if not found:
                self.fail(f"contest {wanted!r} is not in the file")
            chosen = found[0]
        names: dict[str, str] = {}
        for sel in chosen.get("ContestSelection") or []:
            sid = sel.get("@id")
            if str(sel.get("IsWriteIn", "")).lower() == "true":
                names[sid] = WRITE_IN
                continue
            ids = sel.get("CandidateIds") or ([sel["CandidateId"]] if "CandidateId" in sel else [])
            if not ids:
                self.fail(f"ContestSelection {sid!r} names no candidate", ("@id", sid))
            if ids[0] not in people:
                self.fail(f"ContestSelection {sid!r} names candidate {ids[0]!r}, which is not "
                          "among the Election's candidates", ("@id", sid))
            names[sid] = people[ids[0]]
        return chosen, names

    def ranking(self, number: int, cvr: dict, contest_id: str | None,
                names: dict[str, str]) -> tuple | None:
        """One ballot's marks by rank, or None when it has no part in this contest."""
        key = next((k for k in ("UniqueId", "BallotPrePrintedId") if cvr.get(k)), None)
        label = cvr[key] if key else f"#{number}"
        near = (key, cvr[key]) if key else None
        snaps = cvr.get("CVRSnapshot") or []
        current = cvr.get("CurrentSnapshotId")
        snap = next((s for s in snaps if s.get("@id") == current), None)
        if snap is None:
            if len(snaps) != 1:
                self.fail(f"CVR {label}: no snapshot matches CurrentSnapshotId {current!r}",
                          ("CurrentSnapshotId", current) if current else near)
            snap = snaps[0]
        if snap.get("@id") is not None:
            near = ("@id", snap["@id"])
        contests = snap.get("CVRContest") or []
        if contest_id is None and len(contests) > 1:
            self.fail(f"CVR {label} votes in several contests; say which one to count", near)
        mine = [c for c in contests if contest_id is None or c.get("ContestId") == contest_id]
        if not mine:
            return None
        by_rank: dict[int, set[str]] = {}
        for sel in mine[0].get("CVRContestSelection") or []:
            if sel.get("Status") == "needs-adjudication":
                continue
            sid = sel.get("ContestSelectionId")
            name = names.get(sid, sid if not names else None)
            if name is None:
                self.fail(f"CVR {label}: ContestSelectionId {sid!r} is not a selection of the "
                          "contest", near)
            positions = sel.get("SelectionPosition") or []
            if "Rank" in sel and not positions:
                positions = [{"Rank": sel["Rank"]}]
            for p in positions:
                if str(p.get("HasIndication", "yes")).lower() == "no" or \
                        str(p.get("IsAllocable", "yes")).lower() == "no":
                    continue
                votes = p.get("NumberVotes", 1)
                if votes in (0, "0"):
                    continue
                if str(votes) != "1":
                    self.fail(f"CVR {label}: NumberVotes {votes!r} for {name}; a ranked ballot "
                              "gives one vote per mark", near)
                rank = p.get("Rank", sel.get("Rank"))
                try:
                    rank = int(rank)
                except (TypeError, ValueError):
                    self.fail(f"CVR {label}: rank {rank!r} for {name} is not a whole number", near)
                if rank < 1:
                    self.fail(f"CVR {label}: rank {rank} for {name} is below 1", near)
                by_rank.setdefault(rank, set()).add(WRITE_IN if p.get("CVRWriteIn") else name)
        if not by_rank:
            return ()
        return tuple((None if r not in by_rank else next(iter(by_rank[r]))
                      if len(by_rank[r]) == 1 else frozenset(by_rank[r]))
                     for r in range(1, max(by_rank) + 1))


def parse_cdf(source: str | dict, candidates=None, *, contest: str | None = None,
              path: str | None = None) -> Election:
    """Read a CDF report given as JSON text or an already-parsed dict.

    ``contest`` picks a contest by name or id when the file has several. ``candidates`` fixes
    the candidate list and its order (e.g. from an RCTab config); a ballot naming anyone else
    is an error. Ballots without this contest are left out; ballots with it but no marks are
    kept as undervotes.
    """
    text = source if isinstance(source, str) else None
    if text is not None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileFormatError(f"not valid JSON: {exc.msg}", line=exc.lineno,
                                  path=path) from None
    else:
        data = source
    reader = _Cdf(data, text, path)
    if not isinstance(data, dict) or not isinstance(data.get("CVR"), list):
        reader.fail('not a CDF cast-vote-record report: no "CVR" list')
    chosen, names = reader.contest(contest)
    contest_id = chosen.get("@id") if chosen else contest
    ballots: list[tuple] = []
    for number, cvr in enumerate(data["CVR"], start=1):
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
    title = str(chosen.get("Name", "")) if chosen else ""
    meta: dict[str, Any] = {"format": "cdf"}
    if data.get("GeneratedDate"):
        meta["generated"] = str(data["GeneratedDate"])
    return Election(title=title, candidates=order, profile=from_ballots(ballots, order),
                    meta=meta)


def read_cdf(path: str | Path, candidates=None, *, contest: str | None = None) -> Election:
    """Read a CDF JSON file (see ``parse_cdf``)."""
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    return parse_cdf(text, candidates, contest=contest, path=str(path))
