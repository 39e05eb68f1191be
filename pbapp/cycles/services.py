"""Budget cycles: creating and editing them, moving them through their phases, counting the
ballots with ``pbapp.tally`` and publishing what was funded. Each function flushes and writes its
audit event in the caller's transaction; the request commits once."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timezone

from flask_babel import gettext
from sqlalchemy import func, select

from .. import tally
from ..audit.services import record
from ..follows.tell import notify
from ..extensions import db
from ..labels import FILTERS, N_
from ..models_base import TranslationRefused, site_written, utcnow
from ..projects.services import create_projects_for
from ..proposals.models import Proposal, StatusChange
from ..tally.money import from_minor
from ..voting.models import Ballot, Participation
from ..voting.services import ballot_choices
from .models import PHASES, CloseChange, Cycle, Neighbourhood, Result

#: slugs that would shadow fixed URLs (/cycles/manage/, /vote/tracker)
RESERVED_SLUGS = frozenset({"manage", "tracker", "new"})
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: changing these after ballots exist would change what voters were asked, how they count, or
#: who could vote
BALLOT_FIELDS = ("budget_cents", "method", "max_ranks", "neighbourhoods", "seats", "scoring",
                 "completion", "threshold", "part_fund_share", "min_age", "vote_by_account", "vote_by_code",
                 "use_roll", "require_address")
SCORINGS = ("k-points", "borda", "dowdall")
COMPLETIONS = (None, "add1", "add1-then-greedy")
EDITABLE = ("name", "slug", "description", "proposals_open", "voting_opens", "voting_closes",
            *BALLOT_FIELDS)


class PhaseError(Exception):
    """The action is not allowed in the cycle's current phase."""


class CycleInvalid(ValueError):
    """The cycle's settings are not acceptable; ``field`` names the one at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def canonical_cvr(rankings: list[list[int]]) -> str:
    """One line per ballot, sorted: the same ballots always give the same text and hash."""
    return "".join(sorted(",".join(map(str, r)) + "\n" for r in rankings))


def locked_fields(cycle: Cycle) -> set[str]:
    """Settings that may no longer change: the slug once public, ballot settings and the
    opening time once voting opens (voters ranked under them), everything but the wording once
    the cycle is closed. The close may still move later during voting (``_move_close``)."""
    locked: set[str] = set()
    if cycle.phase != "draft":
        locked.add("slug")
    if PHASES.index(cycle.phase) >= PHASES.index("voting"):
        locked.update({*BALLOT_FIELDS, "voting_opens"})
    if cycle.phase == "closed":
        locked.update({"proposals_open", "voting_opens", "voting_closes"})
    return locked


def _check(values: dict, cycle_id: int | None = None) -> None:
    slug = values.get("slug")
    if slug is not None:
        if not SLUG_PATTERN.match(slug):
            raise CycleInvalid("slug", gettext("Use lower-case letters, digits and single "
                                               "hyphens."))
        if slug in RESERVED_SLUGS:
            raise CycleInvalid("slug", gettext("“%(slug)s” is reserved; choose another.",
                                               slug=slug))
        taken = db.session.scalar(select(Cycle.id).where(Cycle.slug == slug))
        if taken is not None and taken != cycle_id:
            raise CycleInvalid("slug", gettext("Another cycle already uses this slug."))
    if "method" in values and values["method"] not in tally.METHODS:
        raise CycleInvalid("method", gettext("Choose one of the counting methods listed."))
    if values.get("budget_cents", 0) < 0:
        raise CycleInvalid("budget", gettext("The budget cannot be negative."))
    if values.get("seats", 1) is None or values.get("seats", 1) < 1:
        raise CycleInvalid("seats", gettext("At least one seat (winner)."))
    if values.get("scoring", "k-points") not in SCORINGS:
        raise CycleInvalid("scoring", gettext("Choose one of the listed ways to give points."))
    if values.get("completion") not in COMPLETIONS:
        raise CycleInvalid("completion", gettext("Choose one of the listed completions."))
    share = values.get("part_fund_share")
    if share is not None and not 1 <= share <= 100:
        raise CycleInvalid("part_fund_share", gettext("The share is a percent from 1 to 100."))
    if values.get("threshold") is not None and values["threshold"] < 0:
        raise CycleInvalid("threshold", gettext("The minimum score cannot be negative."))
    if values.get("method") == "greedy-threshold" and values.get("threshold") is None:
        raise CycleInvalid("threshold", gettext("Greedy with a minimum support needs a minimum "
                                                "score."))
    if values.get("max_ranks", 1) < 1:
        raise CycleInvalid("max_ranks", gettext("Voters must be able to rank at least one "
                                                "proposal."))
    opens, closes = values.get("voting_opens"), values.get("voting_closes")
    if opens and closes and closes <= opens:
        raise CycleInvalid("voting_closes", gettext("Voting must close after it opens."))
    start = values.get("proposals_open")
    if start and opens and opens < start:
        raise CycleInvalid("voting_opens", gettext("Voting cannot open before proposals do."))
    if values.get("min_age") is not None and values["min_age"] < 0:
        raise CycleInvalid("min_age", gettext("The minimum age cannot be negative."))
    current = db.session.get(Cycle, cycle_id) if cycle_id is not None else None
    ways = {k: values.get(k, getattr(current, k, None)) for k in
            ("vote_by_account", "vote_by_code", "use_roll")}
    if ways["vote_by_account"] is False and ways["vote_by_code"] is False:
        raise CycleInvalid("vote_by_account", gettext("Allow at least one way to vote."))
    _check_codes_fit(ways, cycle_id)


def _check_codes_fit(ways: dict, cycle_id: int | None) -> None:
    """Anonymous codes and accounts (or a roll) in one cycle would give one person two
    identities; personal codes need the roll they vote as."""
    from ..voting.codes import has_anonymous_codes
    from ..voting.models import VotingCode

    if (ways["vote_by_account"] or ways["use_roll"]) and has_anonymous_codes(cycle_id):
        field = "vote_by_account" if ways["vote_by_account"] else "use_roll"
        raise CycleInvalid(field, gettext("This cycle has anonymous voting codes, so residents "
                                          "cannot also vote with an account or from a roll: "
                                          "one person could vote twice."))
    if not ways["use_roll"] and cycle_id is not None and db.session.scalar(
            select(VotingCode.id).where(VotingCode.cycle_id == cycle_id,
                                        VotingCode.roll_entry_id.is_not(None)).limit(1)):
        raise CycleInvalid("use_roll", gettext("This cycle has personal codes made from its "
                                               "voter roll, so it must keep using the roll."))


def _audit_value(value):
    if isinstance(value, list):
        return sorted(n.slug for n in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _translate(cycle: Cycle, translations: dict | None) -> None:
    try:
        cycle.translate(translations)
    except TranslationRefused as error:
        raise CycleInvalid("name_es", str(error)) from None


def create_cycle(actor, *, neighbourhoods: list[Neighbourhood] = (),
                 translations: dict | None = None, **values) -> Cycle:
    """A new cycle starts as a draft, visible to staff only."""
    values["neighbourhoods"] = list(neighbourhoods)
    _check(values)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not cycle settings: {', '.join(sorted(unknown))}")
    cycle = Cycle(phase="draft", **values)
    _translate(cycle, translations)
    db.session.add(cycle)
    db.session.flush()
    record(actor, "cycle.create", f"cycle:{cycle.id}", slug=cycle.slug, name=cycle.name,
           budget_cents=cycle.budget_cents, method=cycle.method, max_ranks=cycle.max_ranks)
    return cycle


def update_cycle(cycle: Cycle, actor, *, close_reason: str | None = None,
                 translations: dict | None = None, **values) -> dict:
    """Apply the changed settings and return them as {field: [old, new]}; a change to a field
    that the phase has locked is refused whatever the form showed. During voting the close
    moves only later and with ``close_reason``, which is published (``_move_close``). The
    wording (name, description and their translations) may change in every phase."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not cycle settings: {', '.join(sorted(unknown))}")
    changed = {k: v for k, v in values.items()
               if _audit_value(getattr(cycle, k)) != _audit_value(v)}
    refused = sorted(set(changed) & locked_fields(cycle))
    if refused:
        raise PhaseError(gettext(
            "In the %(phase)s phase these can no longer change: %(fields)s.",
            phase=FILTERS["phase_label"](cycle.phase),
            fields=", ".join(f.replace("_cents", "") for f in refused)))
    moved_close = None
    if cycle.phase == "voting" and "voting_closes" in changed:
        moved_close = changed.pop("voting_closes")
        old = cycle.voting_closes
        if old is not None and moved_close == old.replace(second=0, microsecond=0):
            moved_close = None  # the form shows whole minutes: this is the same close
        else:
            _check_close_move(cycle, moved_close, close_reason)
    merged = {k: getattr(cycle, k) for k in ("proposals_open", "voting_opens", "voting_closes",
                                             "method", "threshold")}
    merged.update(changed)
    if moved_close is not None:
        merged["voting_closes"] = moved_close
    _check(merged, cycle.id)
    diff = {}
    if translations is not None:
        before = cycle.translations or {}
        _translate(cycle, translations)
        if cycle.translations != before:
            diff["translations"] = [before, cycle.translations]
    for key, value in changed.items():
        diff[key] = [_audit_value(getattr(cycle, key)), _audit_value(value)]
        setattr(cycle, key, value)
    if diff:
        db.session.flush()
        record(actor, "cycle.update", f"cycle:{cycle.id}", changes=diff)
    if moved_close is not None:
        diff["voting_closes"] = _move_close(cycle, actor, moved_close, close_reason)
    return diff


def _check_close_move(cycle: Cycle, new, reason: str | None) -> None:
    """Residents plan around the published close: during voting it may move only later (never
    earlier, never away), to a time still to come, and with a reason they can read."""
    old = cycle.voting_closes
    if new is None:
        raise CycleInvalid("voting_closes", gettext("During voting the close cannot be "
                                                    "removed; it can only move later."))
    if old is not None and new <= old:
        raise CycleInvalid("voting_closes", gettext("During voting the close can only move "
                                                    "later, not earlier."))
    if new <= utcnow():
        raise CycleInvalid("voting_closes", gettext("The new close has already passed; choose "
                                                    "a later time."))
    if not (reason or "").strip():
        raise CycleInvalid("close_reason", gettext("Give the reason for moving the close: "
                                                   "residents will read it on the cycle page."))


def _move_close(cycle: Cycle, actor, new, reason: str) -> list:
    """Kept as a public ``CloseChange`` and in the audit log, so the move cannot go unseen."""
    old, reason = cycle.voting_closes, reason.strip()
    cycle.close_changes.append(CloseChange(old_closes=old, new_closes=new, reason=reason,
                                           changed_by=getattr(actor, "id", None)))
    cycle.voting_closes = new
    db.session.flush()
    change = [_audit_value(old), _audit_value(new)]
    record(actor, "cycle.extend_close", f"cycle:{cycle.id}", old=change[0], new=change[1],
           reason=reason)
    return change


@dataclass(frozen=True)
class PhaseMove:
    """A step a cycle could take from its current phase, and why it is blocked, if it is."""

    to: str
    forward: bool
    blocked: str | None = None


def _count(model, cycle: Cycle) -> int:
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.cycle_id == cycle.id))


def _blocker(cycle: Cycle, to: str) -> str | None:
    here = PHASES.index(cycle.phase)
    if to not in PHASES:
        return gettext("Unknown phase “%(phase)s”.", phase=to)
    there = PHASES.index(to)
    if abs(there - here) != 1:
        return gettext("The cycle is in the %(phase)s phase; it moves one step at a time (the "
                       "page may be out of date).", phase=FILTERS["phase_label"](cycle.phase))
    if there > here:
        if to == "voting" and not ballot_choices(cycle):
            return gettext("Accept at least one proposal before voting opens.")
        if to == "voting" and cycle.voting_closes is None:
            return gettext("Set when voting closes (Edit settings) before opening voting: "
                           "residents need to know until when they can vote.")
        if to == "voting" and _aware(cycle.voting_closes) <= utcnow():
            return gettext("The closing time set for voting has passed: move it later (Edit "
                           "settings) before opening voting.")
        if to == "implementation":
            return gettext("Publish a counted result; publishing moves the cycle to "
                           "implementation.")
        return None
    if cycle.phase == "proposals" and _count(Proposal, cycle):
        return gettext("Proposals have been made, so the cycle cannot go back to being a "
                       "draft.")
    if cycle.phase == "voting" and _count(Participation, cycle):
        return gettext("Ballots have been cast, so the ballot can no longer change.")
    if cycle.phase == "counting" and _count(Result, cycle):
        return gettext("The ballots have been counted, so voting cannot reopen.")
    if cycle.phase == "implementation":
        return gettext("The result is published; it cannot be unpublished.")
    return None


def _aware(when):
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def phase_moves(cycle: Cycle) -> list[PhaseMove]:
    """The next and previous phase, each with the reason it is blocked (None when allowed)."""
    here = PHASES.index(cycle.phase)
    moves = []
    for there in (here + 1, here - 1):
        if 0 <= there < len(PHASES):
            moves.append(PhaseMove(PHASES[there], there > here, _blocker(cycle, PHASES[there])))
    return moves


def advance_phase(cycle: Cycle, to: str, actor) -> None:
    """Move the cycle one step to ``to``: forward, or back where nothing done so far would be
    invalidated. ``to`` is the phase the page offered, so a stale page is refused rather than
    moving the cycle two steps."""
    blocked = _blocker(cycle, to)
    if blocked:
        raise PhaseError(blocked)
    set_phase(cycle, to, actor)


def set_phase(cycle: Cycle, phase: str, actor) -> None:
    if phase not in PHASES:
        raise PhaseError(gettext("Unknown phase “%(phase)s”.", phase=phase))
    old = cycle.phase
    cycle.phase = phase
    record(actor, "cycle.phase", f"cycle:{cycle.id}", old=old, new=phase)
    if old != phase:
        notify(cycle, "phase", actor, old=old, new=phase)


def count_options(cycle: Cycle, proposals: list[Proposal]) -> dict:
    """The cycle's settings as ``pbapp.tally`` options for its method (and only those).

    Amounts go to the count exactly as stored (cents as a ``Decimal`` when there are any), not
    floored to whole units: a cent over the budget must keep a project out."""
    if cycle.method not in tally.PB_METHODS:
        return {} if cycle.method == "irv" else {"seats": cycle.seats}
    options = {"budget": from_minor(cycle.budget_cents, 100),
               "costs": {str(p.id): from_minor(p.cost_cents, 100) for p in proposals},
               "vote_type": "ordinal", "scoring": cycle.scoring, "max_length": cycle.max_ranks}
    if cycle.method == "equal-shares" and cycle.completion:
        options["completion"] = cycle.completion
    if cycle.method == "greedy-threshold":
        options["threshold"] = cycle.threshold or 0
    if cycle.part_fund_share:
        options["part_fund"] = f"{cycle.part_fund_share}%"
    return options


def count_cycle(cycle: Cycle, actor) -> Result:
    """Count the frozen ballots with the cycle's method and store the result with the CVR hash."""
    if cycle.phase != "counting":
        raise PhaseError(gettext("Close voting (move the cycle to counting) before counting."))
    rankings = list(db.session.scalars(select(Ballot.ranking).where(Ballot.cycle_id == cycle.id)))
    proposals = ballot_choices(cycle)
    ids = [str(p.id) for p in proposals]
    options = count_options(cycle, proposals)
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
    """Make the count public, mark the final list's proposals funded (the computed winners
    with staff's overrides, see ``overrides``) and make each one a project; the cycle moves
    to implementation."""
    from .overrides import final_list

    if result.cycle.phase != "counting":
        raise PhaseError(gettext("Only a cycle in the counting phase can publish a result."))
    if result.published_at is not None:
        raise PhaseError(gettext("This result is already published."))
    result.published_at = utcnow()
    final = final_list(result)
    funded = set(final.final)
    for p in ballot_choices(result.cycle):
        new = "funded" if str(p.id) in funded else "not_funded"
        if p.status != new:
            reason, translations = site_written("reason", N_("Result of the count."))
            p.history.append(StatusChange(actor_id=getattr(actor, "id", None),
                                          from_status=p.status, to_status=new,
                                          reason=reason, translations=translations))
            p.status = new
    projects = create_projects_for(result, actor, winners=final.final)
    old = result.cycle.phase
    result.cycle.phase = "implementation"
    record(actor, "cycle.publish", f"cycle:{result.cycle_id}", result_id=result.id,
           funded=sorted(funded, key=str), computed=final.computed, old=old, new="implementation",
           projects={str(p.proposal_id): p.id for p in projects})
    notify(result.cycle, "result", actor)
    for p in ballot_choices(result.cycle):
        notify(p, "decision", actor, status=p.status)


def latest_results(cycle: Cycle) -> list[Result]:
    return list(db.session.scalars(select(Result).where(Result.cycle_id == cycle.id)
                                   .order_by(Result.counted_at.desc(), Result.id.desc())))


def cycle_stats(cycle: Cycle) -> dict[str, int]:
    """Numbers staff need before moving a phase: proposals made, on the ballot, ballots cast."""
    return {"proposals": _count(Proposal, cycle), "on_ballot": len(ballot_choices(cycle)),
            "ballots": _count(Participation, cycle)}
