"""Funded projects: created when a result is published, then kept up to date by the proposing
board and staff.

Each verb checks the role, then the cycle's phase and the project's status, then validates
everything before touching a row, so a refused or invalid request changes nothing. It flushes
and writes its audit event in the caller's transaction; the view commits once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.services import record
from ..follows.tell import notify
from ..cycles.models import Result
from ..extensions import db
from ..images.services import PictureChange, apply_picture
from ..labels import FILTERS, N_
from ..models_base import TranslationRefused, site_written
from ..proposals.models import Proposal
from ..proposals.services import is_member
from .models import (REASON_REQUIRED, STATUSES, Milestone, Project,
                     ProjectStatusChange, ProjectUpdate)

#: a closed cycle's projects are a finished record; they change only during implementation
CHANGE_PHASES = ("implementation",)


class Refused(Exception):
    """Not carried out; the message says why, for the person who tried."""


class NotAllowed(Refused):
    """Wrong person (the view answers 403)."""


class NotNow(Refused):
    """Right person, wrong moment: the cycle's phase or the project's status forbids it."""


class Invalid(Refused):
    """What was entered is not acceptable; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class MilestoneFields:
    title: str
    due_on: date | None
    note: str = ""
    #: ``{"es": {"title": ..., "note": ...}}``; None leaves the translations as they are
    translations: dict[str, dict[str, str]] | None = None


def _actor_id(actor) -> int | None:
    return getattr(actor, "id", None)


# Creation at publication ------------------------------------------------------------------------

def create_projects_for(result: Result, actor, winners: list[str] | None = None
                        ) -> list[Project]:
    """One planned project per funded proposal of ``result`` (``winners``, the final list,
    else the count's), its budget the proposal's cost, or its part when part-funded.

    Runs inside ``publish_result``, which refuses a second publication; the unique
    ``proposal_id`` is the backstop, and proposals that already have a project are skipped.
    The publication's own audit event lists the projects made here, as it lists the proposals
    it funded, so the chain has one event for the one decision.
    """
    winners = [str(w) for w in (result.data.get("winners", []) if winners is None else winners)]
    parts = {str(p["id"]): int(Decimal(str(p["part_funded"])) * 100)
             for p in result.data.get("projects") or [] if p.get("part_funded") is not None}
    proposals = {str(p.id): p for p in db.session.scalars(select(Proposal).where(
        Proposal.cycle_id == result.cycle_id, Proposal.status == "funded"))}
    existing = set(db.session.scalars(select(Project.proposal_id).where(
        Project.proposal_id.in_([p.id for p in proposals.values()]))))
    created = []
    for winner in winners:
        proposal = proposals.get(winner)
        if proposal is None or proposal.id in existing:
            continue
        project = Project(proposal=proposal, cycle_id=proposal.cycle_id,
                          board_id=proposal.board_id, title=proposal.title,
                          summary=proposal.summary,
                          budget_cents=parts.get(winner, proposal.cost_cents),
                          status="planned")
        project.copy_translations(proposal)
        reason, translations = site_written(
            "reason", N_("Funded by the published result of “%(cycle)s”."),
            cycle=lambda locale: result.cycle.text("name", locale))
        project.history.append(ProjectStatusChange(
            actor_id=_actor_id(actor), from_status=None, to_status="planned",
            reason=reason, translations=translations))
        db.session.add(project)
        created.append(project)
    db.session.flush()
    return created


# Who may change a project ------------------------------------------------------------------------

def can_manage(user, project: Project) -> bool:
    """Staff, or a member of the proposing board whose term covers today."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_staff", False)) or is_member(user, project.board_id)


def _status_word(status: str) -> str:
    return FILTERS["project_status_label"](status).lower()


def _status(project: Project) -> str:
    return _status_word(project.status)


def check_manage(user, project: Project, doing: str = N_("Changing this project")) -> None:
    """``doing`` is a message id (``N_``), said in the reader's language when refused."""
    if not can_manage(user, project):
        raise NotAllowed(gettext("Only members of the proposing board and staff can change a "
                                 "project."))
    if project.cycle.phase not in CHANGE_PHASES:
        raise NotNow(gettext("%(doing)s is possible only while the cycle is in implementation; "
                             "“%(cycle)s” is in the %(phase)s phase. Nothing was changed.",
                             doing=gettext(doing), cycle=project.cycle.name,
                             phase=FILTERS["phase_label"](project.cycle.phase)))


def check_open(user, project: Project, doing: str) -> None:
    """Milestones and status belong to a project still under way."""
    check_manage(user, project, doing)
    if project.is_final:
        raise NotNow(gettext("This project is %(status)s; its milestones and status can no "
                             "longer change. Nothing was changed.", status=_status(project)))


# The card's picture -----------------------------------------------------------------------------

def check_picture(user, project: Project) -> None:
    if not getattr(user, "is_staff", False):
        raise NotAllowed(gettext("Only staff choose a project's picture."))
    check_manage(user, project, N_("Changing the picture"))


def set_picture(user, project: Project, change: PictureChange) -> str | None:
    """Staff give a project its own picture (the public page and cards show it), describe it,
    or remove it so the proposal's shows again."""
    check_picture(user, project)
    done = apply_picture(project, change)
    if done:
        record(user, "project.picture", f"project:{project.id}", picture=done)
    return done


# Updates ---------------------------------------------------------------------------------------

def post_update(user, project: Project, title: str, body: str,
                translations: dict[str, dict[str, str]] | None = None) -> ProjectUpdate:
    """A dated public note; allowed after completion too, for the closing report.
    ``translations`` (``{"es": {"title": ..., "body": ...}}``) are for readers in Spanish."""
    check_manage(user, project, N_("Posting an update"))
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise Invalid(gettext("Give the update a title."), "title")
    if not body:
        raise Invalid(gettext("Write what happened."), "body")
    entry = ProjectUpdate(project=project, author_id=user.id, title=title, body=body)
    try:
        entry.translate(translations)
    except TranslationRefused as error:
        raise Invalid(str(error)) from None
    db.session.add(entry)
    db.session.flush()
    record(user, "project.post_update", f"project:{project.id}", update_id=entry.id,
           title=title, **({"translations": entry.translations} if entry.translations else {}))
    notify(project, "update", user, update_id=entry.id, title=title)
    return entry


# Milestones ------------------------------------------------------------------------------------

def _check_milestone(fields: MilestoneFields) -> MilestoneFields:
    title = (fields.title or "").strip()
    if not title:
        raise Invalid(gettext("Give the milestone a title."), "title")
    if fields.due_on is None:
        raise Invalid(gettext("Give the date it is due."), "due_on")
    return MilestoneFields(title=title, due_on=fields.due_on, note=(fields.note or "").strip(),
                           translations=fields.translations)


def save_milestone(user, project: Project, fields: MilestoneFields,
                   milestone: Milestone | None = None) -> Milestone:
    """Add a milestone, or edit one of this project's; a new due date is logged with the old."""
    check_open(user, project, N_("Changing milestones"))
    if milestone is not None and milestone.project_id != project.id:
        raise Invalid(gettext("That milestone belongs to another project."))
    clean = _check_milestone(fields)
    spanish = Milestone(translations=dict(milestone.translations or {}) if milestone else {})
    try:
        spanish.translate(clean.translations)
    except TranslationRefused as error:
        raise Invalid(str(error)) from None
    if milestone is None:
        milestone = Milestone(project=project, title=clean.title, due_on=clean.due_on,
                              note=clean.note, translations=spanish.translations)
        db.session.add(milestone)
        db.session.flush()
        record(user, "project.milestone_add", f"project:{project.id}",
               milestone_id=milestone.id, title=clean.title, due_on=clean.due_on.isoformat(),
               **({"translations": milestone.translations} if milestone.translations else {}))
        notify(project, "milestone", user, milestone_id=milestone.id, title=clean.title,
               due_on=clean.due_on.isoformat())
        return milestone
    changes = {}
    for name in ("title", "due_on", "note"):
        old, new = getattr(milestone, name), getattr(clean, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(milestone, name, new)
    if (milestone.translations or {}) != spanish.translations:
        changes["translations"] = [milestone.translations or {}, spanish.translations]
        milestone.translations = spanish.translations
    if changes:
        db.session.flush()
        record(user, "project.milestone_edit", f"project:{project.id}",
               milestone_id=milestone.id, changes=changes)
    return milestone


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def complete_milestone(user, project: Project, milestone: Milestone,
                       done_on: date | None = None) -> Milestone:
    """Mark a milestone done on ``done_on`` (today by default); it cannot be done in future."""
    check_open(user, project, N_("Completing a milestone"))
    if milestone.project_id != project.id:
        raise Invalid(gettext("That milestone belongs to another project."))
    if milestone.done_on is not None:
        raise NotNow(gettext("“%(title)s” was already marked done. Nothing was changed.",
                             title=milestone.title))
    done_on = done_on or date.today()
    if done_on > date.today():
        raise Invalid(gettext("A milestone cannot be done on a future date."), "done_on")
    milestone.done_on = done_on
    db.session.flush()
    record(user, "project.milestone_done", f"project:{project.id}", milestone_id=milestone.id,
           done_on=done_on.isoformat(), due_on=milestone.due_on.isoformat())
    notify(project, "milestone_done", user, milestone_id=milestone.id, title=milestone.title)
    return milestone


# Status ----------------------------------------------------------------------------------------

def _claim(project: Project, expected: str, to_status: str) -> None:
    """Set the status only if it is still ``expected``: of two people changing it at once, the
    second updates no row and is refused instead of overwriting the first."""
    moved = db.session.execute(
        update(Project).where(Project.id == project.id, Project.status == expected)
        .values(status=to_status).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise NotNow(gettext("Someone changed this project's status a moment ago. Nothing was "
                             "changed; reload the page to see where it stands."))
    set_committed_value(project, "status", to_status)


def change_status(user, project: Project, to_status: str, reason: str = "",
                  reason_es: str = "") -> Project:
    """Move the project one step (see NEXT_STATUSES); pausing or cancelling must say why.
    ``reason_es`` is the reason for readers in Spanish (optional)."""
    check_open(user, project, N_("Changing the status"))
    reason = (reason or "").strip()
    if to_status not in STATUSES:
        raise Invalid(gettext("Choose one of the statuses listed."), "status")
    if to_status not in project.next_statuses:
        raise Invalid(gettext("A project that is %(status)s cannot become %(new)s.",
                              status=_status(project), new=_status_word(to_status)), "status")
    if to_status in REASON_REQUIRED and not reason:
        raise Invalid(gettext("Say why the project is %(status)s; residents will read it.",
                              status=_status_word(to_status)), "reason")
    change = ProjectStatusChange(actor_id=user.id, from_status=project.status,
                                 to_status=to_status, reason=reason)
    try:
        change.translate({"es": {"reason": reason_es or ""}})
    except TranslationRefused as error:
        raise Invalid(str(error), "reason_es") from None
    old = project.status
    _claim(project, old, to_status)
    project.history.append(change)
    db.session.flush()
    record(user, "project.status", f"project:{project.id}", old=old, new=to_status,
           reason=reason, **({"reason_es": change.translations["es"]["reason"]}
                             if change.translations else {}))
    notify(project, "status", user, status=to_status)
    return project
