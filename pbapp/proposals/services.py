"""Ideas and proposals: each verb checks the role, then the cycle phase, then acts.

Services flush and write the audit event; the view commits once. A refusal raises before
anything is touched, so a refused request changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.services import record
from ..follows.tell import notify
from ..boards.models import Board
from ..cycles.models import Cycle, Neighbourhood
from ..extensions import db
from ..images.services import PictureChange, apply_picture
from ..labels import FILTERS
from ..models_base import TranslationRefused
from .models import Idea, Proposal, StatusChange, current_board_ids

IDEA_PHASES = ("proposals",)
DRAFTING_PHASES = ("draft", "proposals")
SUBMIT_PHASES = ("proposals",)
REVIEW_PHASES = ("proposals", "review")
WITHDRAW_PHASES = ("draft", "proposals", "review")
WITHDRAWABLE = ("draft", "submitted", "accepted")


class Refused(Exception):
    """The action was not carried out; the message says why, for the person who tried."""


class NotAllowed(Refused):
    """Wrong role for this action (the view answers 403)."""


class NotNow(Refused):
    """Right person, wrong moment: the cycle's phase or the proposal's status forbids it."""


@dataclass
class ProposalFields:
    """What a board writes in a proposal; ``cost`` is in whole currency units."""

    title: str
    summary: str
    description: str
    problem: str
    root_cause: str
    metrics: str
    cost: int
    neighbourhood_ids: list[int]
    #: texts in other languages, ``{"es": {"title": ..., ...}}``; None leaves them as they are,
    #: an empty text removes that translation (the original is shown instead)
    translations: dict[str, dict[str, str]] | None = None
    #: a new picture for the card, its description, or its removal; None leaves it alone
    picture: PictureChange | None = None


def _phase_name(phases: tuple[str, ...]) -> str:
    return gettext(" or ").join(f"“{FILTERS['phase_label'](p)}”" for p in phases)


def _status(proposal: Proposal) -> str:
    return FILTERS["status_label"](proposal.status).lower()


def _require_phase(cycle: Cycle, phases: tuple[str, ...], doing: str) -> None:
    """``doing`` is already in the reader's language ("Editing a proposal")."""
    if cycle.phase not in phases:
        raise NotNow(gettext(
            "%(doing)s is possible only while the cycle is in the %(phases)s phase; “%(cycle)s” "
            "is in the “%(phase)s” phase. Nothing was changed.", doing=doing,
            phases=_phase_name(phases), cycle=cycle.name,
            phase=FILTERS["phase_label"](cycle.phase)))


def is_member(user, board_id: int) -> bool:
    """A membership on the board whose term covers today; lapsed members no longer act for it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return board_id in set(db.session.scalars(current_board_ids(user.id)))


def member_boards(user) -> list[Board]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(Board).where(Board.id.in_(current_board_ids(user.id)))
                                   .order_by(Board.name)))


def can_view(user, proposal: Proposal) -> bool:
    return (proposal.is_public or getattr(user, "is_staff", False)
            or is_member(user, proposal.board_id))


def _claim(proposal: Proposal, expected: str, to_status: str) -> None:
    """Set the status only if it is still ``expected``. This conditional UPDATE, not the check
    before it, stops two people racing (two reviewers, or an edit against a submission): the
    loser updates no row and is refused. On PostgreSQL it also locks the row until commit."""
    moved = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id, Proposal.status == expected)
        .values(status=to_status).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise NotNow(gettext("Someone changed this proposal a moment ago. Nothing was changed; "
                             "reload the page to see where it stands."))
    set_committed_value(proposal, "status", to_status)


def _change(proposal: Proposal, actor, to_status: str, reason: str = "",
            translations: dict | None = None) -> None:
    from_status = proposal.status
    _claim(proposal, from_status, to_status)
    proposal.history.append(StatusChange(actor_id=actor.id, from_status=from_status,
                                         to_status=to_status, reason=reason.strip(),
                                         translations=translations or {}))


def _neighbourhoods(cycle: Cycle, ids: list[int]) -> list[Neighbourhood]:
    if not ids:
        return []
    found = list(db.session.scalars(select(Neighbourhood).where(Neighbourhood.id.in_(ids))))
    allowed = {n.id for n in cycle.neighbourhoods} or {n.id for n in found}
    if len(found) != len(set(ids)) or not {n.id for n in found} <= allowed:
        raise Refused(gettext("Choose neighbourhoods that take part in this cycle."))
    return found


def _fill(proposal: Proposal, fields: ProposalFields) -> str | None:
    """Validate everything first, so a refused edit leaves the proposal untouched. Returns
    what happened to the picture, if anything (for the audit log)."""
    if fields.cost < 1:
        raise Refused(gettext("The cost must be a whole amount greater than zero."))
    hoods = _neighbourhoods(proposal.cycle, fields.neighbourhood_ids)
    if fields.translations is not None:
        try:
            proposal.translate(fields.translations)
        except TranslationRefused as error:
            raise Refused(str(error)) from None
    proposal.title = fields.title.strip()
    proposal.summary = fields.summary.strip()
    proposal.description = fields.description
    proposal.problem = fields.problem.strip()
    proposal.root_cause = fields.root_cause.strip()
    proposal.metrics = fields.metrics.strip()
    proposal.cost_cents = fields.cost * 100
    proposal.neighbourhoods = hoods
    return apply_picture(proposal, fields.picture)


# Resident ideas -------------------------------------------------------------------------------

def check_submit_idea(user, cycle: Cycle) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(gettext("Sign in to share an idea."))
    _require_phase(cycle, IDEA_PHASES, gettext("Sharing an idea"))


def submit_idea(user, cycle: Cycle, problem: str, place: str, suggestion: str,
                neighbourhood_id: int | None = None) -> Idea:
    """Any signed-in resident, while proposals are open; the author is kept but never shown."""
    check_submit_idea(user, cycle)
    hood = None
    if neighbourhood_id:
        hood = _neighbourhoods(cycle, [neighbourhood_id])[0]
    idea = Idea(cycle_id=cycle.id, author_id=user.id, problem=problem.strip(),
                place=place.strip(), suggestion=suggestion.strip(), neighbourhood=hood)
    db.session.add(idea)
    db.session.flush()
    return idea


# Drafting --------------------------------------------------------------------------------------

def check_create_draft(user, board: Board, cycle: Cycle, idea: Idea | None = None) -> None:
    if not is_member(user, board.id):
        raise NotAllowed(gettext("Only members of this board can draft its proposals."))
    _require_phase(cycle, DRAFTING_PHASES, gettext("Drafting a proposal"))
    if idea is not None and idea.cycle_id != cycle.id:
        raise Refused(gettext("A proposal developed from an idea belongs to the idea's cycle."))
    if idea is not None and idea.proposal_id is not None:
        raise NotNow(gettext("This idea has already been developed into a proposal. Nothing "
                             "was changed."))


def create_draft(user, board: Board, cycle: Cycle, fields: ProposalFields,
                 idea: Idea | None = None) -> Proposal:
    """A board member starts a draft; if it grows from a resident's idea, the idea links to it."""
    check_create_draft(user, board, cycle, idea)
    proposal = Proposal(cycle=cycle, board=board, author_id=user.id, status="draft")
    _fill(proposal, fields)
    reason = f"Developed from resident idea #{idea.id}." if idea is not None else ""
    proposal.history.append(StatusChange(actor_id=user.id, from_status=None, to_status="draft",
                                         reason=reason))
    db.session.add(proposal)
    db.session.flush()
    if idea is not None:
        idea.proposal = proposal
    record(user, "proposal.create", f"proposal:{proposal.id}", board_id=board.id,
           cycle_id=cycle.id, idea_id=idea.id if idea is not None else None)
    return proposal


def check_edit(user, proposal: Proposal) -> None:
    if not is_member(user, proposal.board_id):
        raise NotAllowed(gettext("Only members of the proposing board can edit this proposal."))
    _require_phase(proposal.cycle, DRAFTING_PHASES + _sent_back_phases(proposal),
                   gettext("Editing a proposal"))
    if proposal.status != "draft":
        raise NotNow(gettext("Only drafts can be edited; this proposal is %(status)s. Nothing "
                             "was changed.", status=_status(proposal)))


def update_draft(user, proposal: Proposal, fields: ProposalFields) -> Proposal:
    check_edit(user, proposal)
    _claim(proposal, "draft", "draft")
    _fill(proposal, fields)
    db.session.flush()
    return proposal


# Status changes ----------------------------------------------------------------------------------

def check_submit(user, proposal: Proposal) -> None:
    if not is_member(user, proposal.board_id):
        raise NotAllowed(gettext("Only members of the proposing board can submit this "
                                 "proposal."))
    _require_phase(proposal.cycle, SUBMIT_PHASES + _sent_back_phases(proposal),
                   gettext("Submitting a proposal"))
    if proposal.status != "draft":
        raise NotNow(gettext("This proposal is already %(status)s. Nothing was changed.",
                             status=_status(proposal)))


def submit_proposal(user, proposal: Proposal) -> Proposal:
    """draft → submitted: from here on the board can no longer edit it; staff review it."""
    check_submit(user, proposal)
    _change(proposal, user, "submitted")
    db.session.flush()
    record(user, "proposal.submit", f"proposal:{proposal.id}")
    return proposal


def check_review(user, proposal: Proposal) -> None:
    if not getattr(user, "is_staff", False):
        raise NotAllowed(gettext("Only staff review proposals."))
    _require_phase(proposal.cycle, REVIEW_PHASES, gettext("Reviewing a proposal"))
    if proposal.status != "submitted":
        raise NotNow(gettext("Only submitted proposals can be reviewed; this one is "
                             "%(status)s. Nothing was changed.", status=_status(proposal)))


#: what a review may decide, and the status each leads to
DECISIONS = {"accept": "accepted", "reject": "rejected", "send_back": "draft"}


def can_send_back(proposal: Proposal) -> bool:
    """Staff may send a proposal back whenever they review it: while proposals are open, and
    in the review phase, when the board may still edit and resubmit that one proposal."""
    return proposal.cycle.phase in REVIEW_PHASES


def _sent_back_phases(proposal: Proposal) -> tuple[str, ...]:
    """A draft staff sent back during review may be edited and resubmitted in that phase, so
    sending back is a real choice there too; other drafts wait for the next cycle."""
    last = proposal.history[-1] if proposal.history else None
    sent_back = (proposal.status == "draft" and last is not None
                 and (last.from_status, last.to_status) == ("submitted", "draft"))
    return ("review",) if sent_back else ()


def review_proposal(user, proposal: Proposal, decision: str, reason: str = "",
                    feasibility_note: str = "", cost_note: str = "",
                    reason_es: str = "") -> Proposal:
    """submitted → accepted (onto the ballot), rejected, or back to a draft for the board to
    change and submit again (while proposals are open, or in review). A rejection says why,
    in public; a request for changes says what to change, to the board. ``reason_es`` is the
    reason in Spanish, for Spanish readers (optional)."""
    check_review(user, proposal)
    if decision not in DECISIONS:
        raise Refused(gettext("Choose to accept, reject or send the proposal back for "
                              "changes."))
    if decision == "reject" and not reason.strip():
        raise Refused(gettext("Give the reason for rejecting; residents will read it."))
    if decision == "send_back":
        if not can_send_back(proposal):
            raise Refused(gettext("Proposals can only be sent back for changes while staff "
                                  "review them. Accept or reject it."))
        if not reason.strip():
            raise Refused(gettext("Say what the board should change."))
    reason_es = (reason_es or "").strip()
    if len(reason_es) > 2000:
        raise Refused(gettext("The reason in Spanish is at most 2,000 characters."))
    _change(proposal, user, DECISIONS[decision], reason,
            {"es": {"reason": reason_es}} if reason_es else None)
    proposal.feasibility_note = feasibility_note.strip()
    proposal.cost_note = cost_note.strip()
    db.session.flush()
    record(user, f"proposal.{decision}", f"proposal:{proposal.id}", reason=reason.strip(),
           feasibility_note=proposal.feasibility_note, cost_note=proposal.cost_note,
           **({"reason_es": reason_es} if reason_es else {}))
    notify(proposal, "decision", user, status=proposal.status,
           reason=reason.strip() if decision == "reject" else "")
    return proposal


def check_withdraw(user, proposal: Proposal) -> None:
    if not is_member(user, proposal.board_id):
        raise NotAllowed(gettext("Only members of the proposing board can withdraw this "
                                 "proposal."))
    _require_phase(proposal.cycle, WITHDRAW_PHASES, gettext("Withdrawing a proposal"))
    if proposal.status not in WITHDRAWABLE:
        raise NotNow(gettext("A proposal that is %(status)s cannot be withdrawn. Nothing was "
                             "changed.", status=_status(proposal)))


def withdraw_proposal(user, proposal: Proposal, reason: str = "") -> Proposal:
    """The proposing board takes it back before voting starts; the reason is public."""
    check_withdraw(user, proposal)
    _change(proposal, user, "withdrawn", reason)
    db.session.flush()
    record(user, "proposal.withdraw", f"proposal:{proposal.id}", reason=reason.strip())
    return proposal


@dataclass(frozen=True)
class CountOutcome:
    """What the published count decided about one proposal, for its page."""

    cycle_slug: str
    score: float | None
    funded: bool
    reason: str
    project_id: int | None


def count_outcome(proposal: Proposal) -> CountOutcome | None:
    """The proposal's line in its cycle's newest published result, and the project it became;
    None before a result is published (or when the count did not include it)."""
    from ..cycles.models import Result
    from ..projects.models import Project

    result = db.session.scalar(select(Result).where(
        Result.cycle_id == proposal.cycle_id, Result.published_at.is_not(None))
        .order_by(Result.published_at.desc()).limit(1))
    if result is None:
        return None
    entry = next((p for p in result.data.get("projects", [])
                  if str(p.get("id")) == str(proposal.id)), None)
    if entry is None:
        return None
    project_id = db.session.scalar(select(Project.id).where(Project.proposal_id == proposal.id))
    return CountOutcome(proposal.cycle.slug, entry.get("score"), bool(entry.get("funded")),
                        entry.get("reason") or "", project_id)
