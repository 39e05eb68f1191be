"""Counting a cycle with ``pbapp.tally`` and publishing what it funded."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from .. import tally
from ..audit.services import record
from ..extensions import db
from ..models_base import utcnow
from ..proposals.models import Proposal, StatusChange
from ..voting.models import Ballot
from ..voting.services import ballot_choices
from .models import PHASES, Cycle, Result


class PhaseError(Exception):
    """The action is not allowed in the cycle's current phase."""


def canonical_cvr(rankings: list[list[int]]) -> str:
    """One line per ballot, sorted: the same ballots always give the same text and hash."""
    return "".join(sorted(",".join(map(str, r)) + "\n" for r in rankings))


def set_phase(cycle: Cycle, phase: str, actor) -> None:
    if phase not in PHASES:
        raise PhaseError(f"Unknown phase {phase!r}.")
    old = cycle.phase
    cycle.phase = phase
    record(actor, "cycle.phase", f"cycle:{cycle.id}", old=old, new=phase)


def count_cycle(cycle: Cycle, actor) -> Result:
    """Count the frozen ballots with the cycle's method and store the result with the CVR hash."""
    if cycle.phase != "counting":
        raise PhaseError("Close voting (move the cycle to counting) before counting.")
    rankings = list(db.session.scalars(select(Ballot.ranking).where(Ballot.cycle_id == cycle.id)))
    proposals = ballot_choices(cycle)
    ids = [str(p.id) for p in proposals]
    options: dict = {}
    if cycle.method in tally.PB_METHODS:
        options = {"budget": cycle.budget, "costs": {str(p.id): p.cost for p in proposals}}
    result = tally.count([[str(i) for i in r] for r in rankings], method=cycle.method,
                         candidates=ids, **options)
    data = result.to_dict()
    names = {str(p.id): p.title for p in proposals}
    data["names"] = names
    stored = Result(cycle_id=cycle.id, method=cycle.method, data=data, ballots=len(rankings),
                    cvr_sha256=hashlib.sha256(canonical_cvr(rankings).encode()).hexdigest())
    db.session.add(stored)
    db.session.flush()
    record(actor, "cycle.count", f"cycle:{cycle.id}", result_id=stored.id,
           cvr_sha256=stored.cvr_sha256, winners=result.winners)
    return stored


def publish_result(result: Result, actor) -> None:
    """Make the count public and mark funded proposals; the cycle moves to implementation."""
    result.published_at = utcnow()
    funded = set(result.data["winners"])
    for p in ballot_choices(result.cycle):
        new = "funded" if str(p.id) in funded else "not_funded"
        if p.status != new:
            p.history.append(StatusChange(actor_id=getattr(actor, "id", None),
                                          from_status=p.status, to_status=new,
                                          reason="Result of the count."))
            p.status = new
    result.cycle.phase = "implementation"
    record(actor, "cycle.publish", f"cycle:{result.cycle_id}", result_id=result.id)
