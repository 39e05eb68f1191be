"""The plain-data result every method returns (JSON-serialisable through ``to_dict``)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import money
from .ties import TieBreak


def _num(x):
    """Integers stay integers in JSON; fractions keep at most 6 decimals."""
    if x is None:
        return None
    xf = float(x)
    if xf.is_integer():
        return int(xf)
    return round(xf, 6)


@dataclass
class Round:
    """One counting round (a 'stage' in Scottish STV)."""

    number: int
    tallies: dict[str, float]
    threshold: float | None = None
    elected: list[str] = field(default_factory=list)
    eliminated: list[str] = field(default_factory=list)
    #: votes each candidate gains (+) or loses (-) when this round's decision is carried out
    transfers: dict[str, float] = field(default_factory=dict)
    #: inactive ballots so far, by reason (see ``profile.REASONS``)
    exhausted: dict[str, float] = field(default_factory=dict)
    tie_break: TieBreak | None = None
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "round": self.number,
            "tallies": {k: _num(v) for k, v in self.tallies.items()},
            "threshold": _num(self.threshold),
            "elected": self.elected,
            "eliminated": self.eliminated,
            "transfers": {k: _num(v) for k, v in self.transfers.items()},
            "exhausted": {k: _num(v) for k, v in self.exhausted.items()},
            "tie_break": self.tie_break.to_dict() if self.tie_break else None,
            "note": self.note,
        }


@dataclass
class ProjectOutcome:
    """One project in a participatory-budgeting count."""

    id: str
    cost: money.Amount  # as published: int when whole, else Decimal
    score: float
    funded: bool
    reason: str  # "funded", "part-funded", "did not fit", "below threshold", "not reached"
    name: str = ""
    #: what a part-funded project gets (less than its cost; see ``part_funding``)
    part: money.Amount | None = None

    def to_dict(self) -> dict:
        out = {"id": self.id, "name": self.name, "cost": money.to_json(self.cost),
               "score": _num(self.score),
               "funded": self.funded, "reason": self.reason}
        if self.part is not None:
            out["part_funded"] = money.to_json(self.part)
        return out


@dataclass
class Result:
    method: str
    options: dict[str, Any]
    candidates: list[str]
    winners: list[str]
    rounds: list[Round] = field(default_factory=list)
    ballots: float = 0
    seed: str = "0"
    pairwise: list[list[float]] | None = None
    projects: list[ProjectOutcome] | None = None
    budget: money.Amount | None = None
    spent: money.Amount | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: what was read but not as the format says, and how it was counted (see ``Election``)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tie_breaks(self) -> list[TieBreak]:
        return [r.tie_break for r in self.rounds if r.tie_break]

    def ties(self) -> list[dict]:
        """Every tie the count broke: who was tied, who went first, by which rule, and the
        alternatives. For budgets, ``decides_funding`` says whether the tied projects ended
        differently (some funded, some not), i.e. whether the rule may have decided who is
        funded; ties whose projects all end alike changed only the order."""
        funded = {p.id: p.funded for p in self.projects or []}
        out = []
        for r in self.rounds:
            tie = r.tie_break
            if tie is None or len(tie.among) < 2:
                continue
            entry = {"round": r.number, **tie.to_dict(),
                     "alternatives": [c for c in tie.among if c != tie.chosen]}
            if self.projects is not None:
                entry["decides_funding"] = len({funded.get(c) for c in tie.among}) > 1
            out.append(entry)
        return out

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "method": self.method,
            "options": self.options,
            "candidates": self.candidates,
            "winners": self.winners,
            "ballots": _num(self.ballots),
            "seed": str(self.seed),
            "rounds": [r.to_dict() for r in self.rounds],
        }
        if self.pairwise is not None:
            out["pairwise"] = [[_num(v) for v in row] for row in self.pairwise]
        if self.projects is not None:
            out["projects"] = [p.to_dict() for p in self.projects]
            out["budget"] = money.to_json(self.budget)
            out["spent"] = money.to_json(self.spent)
            out["money_left"] = (None if self.budget is None else
                                 money.to_json(money.whole_or_decimal(
                                     self.budget - (self.spent or 0))))
        out["ties"] = self.ties()
        out["warnings"] = list(self.warnings)
        out.update(self.extra)
        return out

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)
