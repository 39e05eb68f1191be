"""Keeping action plans: who may, and the verbs that change them.

Each verb checks the person, then the plan's state, then every value, before touching a row, so
a refused request changes nothing. It flushes and writes its audit event in the caller's
transaction; the view commits once. The yearly review is in ``review``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from ..audit.services import record
from ..boards.models import Board, Membership
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..metrics.models import Metric
from ..models_base import TranslationRefused, site_today, utcnow
from ..projects.models import Project
from ..proposals.models import Proposal
from ..proposals.services import is_member
from ..request_text import control_in
from .models import (ACTION_STATUSES, ActionPlan, ActionTarget, PlanAction, PlanFigure,
                     ProgressNote)

#: the years a plan's dates may fall in: anything else is a typing slip
EARLIEST, LATEST = date(1990, 1, 1), date(2200, 12, 31)


class Refused(Exception):
    """Not carried out; the message says why."""


class NotAllowed(Refused):
    """Wrong person (the view answers 403)."""


class NotNow(Refused):
    """Right person, but the plan's state forbids it (already reviewed, still a draft)."""


class Invalid(Refused):
    """A value is not acceptable; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# Who may -------------------------------------------------------------------------------------

def can_edit(user, board_id: int) -> bool:
    """Staff, or a member of the plan's board whose term covers today."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_staff", False)) or is_member(user, board_id)


def can_view(user, plan: ActionPlan) -> bool:
    """Published and closed plans are public; a draft only to those who may edit it."""
    return plan.is_public or can_edit(user, plan.board_id)


def editable_boards(user) -> list[Board]:
    if not getattr(user, "is_authenticated", False):
        return []
    query = select(Board).order_by(Board.name)
    if not user.is_staff:
        query = query.join(Membership).where(Membership.user_id == user.id,
                                             Membership.current_on())
    return list(db.session.scalars(query))


def _check_edit(user, board_id: int) -> None:
    if not can_edit(user, board_id):
        raise NotAllowed(gettext("Only the board's members and staff change its action plans."))


# How an action is going -----------------------------------------------------------------------

#: what the public reads for an action: the board's word, or "late", worked out
STATES = ("planned", "on_track", "late", "done", "dropped")


def action_state(status: str, due_on: date, today: date | None = None) -> str:
    """"done" and "dropped" as the board says; otherwise "late" once the city's today is past
    the due date (the due day itself is still on time), else "on_track" when under way and
    "planned" when not begun."""
    if status in ("done", "dropped"):
        return status
    today = today or site_today()
    if due_on < today:
        return "late"
    return "on_track" if status == "under_way" else "planned"


# Checking values ------------------------------------------------------------------------------

def clean_text(value: str | None, limit: int, name: str, what: str, *, required=False,
               multiline=False) -> str:
    text = (value or "") if multiline else (value or "").strip()
    if control_in(text, multiline=multiline):
        raise Invalid(gettext("The %(what)s contains a control character; type it again "
                              "without it.", what=what), name)
    if required and not text.strip():
        raise Invalid(gettext("Give the %(what)s.", what=what), name)
    if len(text) > limit:
        raise Invalid(gettext("The %(what)s is at most %(limit)s characters.", what=what,
                              limit=format(limit, ",")), name)
    return text


def check_day(value: date | None, name: str, what: str) -> date:
    if value is None:
        raise Invalid(gettext("Give the %(what)s.", what=what), name)
    if not EARLIEST <= value <= LATEST:
        raise Invalid(gettext("The %(what)s must fall between %(first)s and %(last)s.",
                              what=what, first=EARLIEST.year, last=LATEST.year), name)
    return value


def _translate(item, translations) -> None:
    if translations is None:
        return
    try:
        item.translate(translations)
    except TranslationRefused as refused:
        raise Invalid(str(refused)) from None


def _found(model, ids, name: str, message: str) -> list:
    ids = [i for i in dict.fromkeys(ids or []) if i]
    found = list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise Invalid(message, name)
    return sorted(found, key=lambda x: x.id)


# Plans ----------------------------------------------------------------------------------------

@dataclass
class PlanFields:
    title: str
    period_start: date | None
    period_end: date | None
    needs: str = ""
    neighbourhood_ids: list[int] = field(default_factory=list)
    metric_ids: list[int] = field(default_factory=list)
    #: ``{"es": {"title": ..., "needs": ...}}``; None leaves the translations as they are
    translations: dict[str, dict[str, str]] | None = None


def _apply_plan(plan: ActionPlan, fields: PlanFields) -> None:
    title = clean_text(fields.title, 160, "title", gettext("plan's title"), required=True)
    start = check_day(fields.period_start, "period_start", gettext("first day of the plan"))
    end = check_day(fields.period_end, "period_end", gettext("last day of the plan"))
    if end < start:
        raise Invalid(gettext("The plan's last day cannot come before its first."), "period_end")
    needs = clean_text(fields.needs, 20_000, "needs", gettext("needs assessment"),
                       multiline=True)
    hoods = _found(Neighbourhood, fields.neighbourhood_ids, "neighbourhoods",
                   gettext("Choose neighbourhoods from the list."))
    metrics = _found(Metric, fields.metric_ids, "metrics",
                     gettext("Choose metrics from the catalogue."))
    _translate(plan, fields.translations)
    plan.title, plan.period_start, plan.period_end, plan.needs = title, start, end, needs
    plan.neighbourhoods = hoods
    kept = {f.metric_id: f for f in plan.figures}
    plan.figures = [kept.get(m.id) or PlanFigure(metric=m) for m in metrics]


def create_plan(user, board: Board, fields: PlanFields) -> ActionPlan:
    """A new plan starts as a draft, seen only by its board and staff until published."""
    _check_edit(user, board.id)
    plan = ActionPlan(board=board, status="draft")
    _apply_plan(plan, fields)
    db.session.add(plan)
    db.session.flush()
    record(user, "plan.create", f"plan:{plan.id}", board=board.slug, title=plan.title)
    return plan


def update_plan(user, plan: ActionPlan, fields: PlanFields) -> None:
    _check_edit(user, plan.board_id)
    if plan.status == "closed":
        raise NotNow(gettext("This plan was closed by its yearly review; change the next plan "
                             "instead."))
    _apply_plan(plan, fields)
    db.session.flush()
    record(user, "plan.update", f"plan:{plan.id}", title=plan.title)


def publish_plan(user, plan: ActionPlan) -> None:
    _check_edit(user, plan.board_id)
    if plan.status != "draft":
        raise NotNow(gettext("This plan is already public."))
    plan.status, plan.published_at = "published", utcnow()
    db.session.flush()
    record(user, "plan.publish", f"plan:{plan.id}")


# Actions --------------------------------------------------------------------------------------

@dataclass
class ActionFields:
    title: str
    due_on: date | None
    status: str = "planned"
    description: str = ""
    lead_id: int | None = None
    partner_ids: list[int] = field(default_factory=list)
    partners_text: str = ""
    project_ids: list[int] = field(default_factory=list)
    proposal_ids: list[int] = field(default_factory=list)
    translations: dict[str, dict[str, str]] | None = None


def _seat(plan: ActionPlan, membership_id, name: str) -> Membership:
    seat = db.session.get(Membership, membership_id) if membership_id else None
    if seat is None or seat.board_id != plan.board_id:
        raise Invalid(gettext("Choose one of the board's seats."), name)
    return seat


def _apply_action(action: PlanAction, plan: ActionPlan, fields: ActionFields) -> None:
    title = clean_text(fields.title, 200, "title", gettext("action's title"), required=True)
    description = clean_text(fields.description, 5000, "description",
                             gettext("action's description"), multiline=True)
    due = check_day(fields.due_on, "due_on", gettext("due date"))
    if fields.status not in ACTION_STATUSES:
        raise Invalid(gettext("Choose one of the statuses listed."), "status")
    lead = _seat(plan, fields.lead_id, "lead_id")
    partners = [_seat(plan, i, "partner_ids") for i in dict.fromkeys(fields.partner_ids or [])]
    partners_text = clean_text(fields.partners_text, 500, "partners_text",
                               gettext("list of other partners"))
    projects = _found(Project, fields.project_ids, "project_ids",
                      gettext("Choose projects from the list."))
    proposals = _found(Proposal, fields.proposal_ids, "proposal_ids",
                       gettext("Choose proposals from the list."))
    if any(p.board_id != plan.board_id for p in projects + proposals):
        raise Invalid(gettext("Link only the board's own proposals and projects."), "project_ids")
    _translate(action, fields.translations)
    action.title, action.description, action.due_on, action.status = (
        title, description, due, fields.status)
    action.lead, action.lead_organisation = lead, lead.organisation
    action.partner_seats, action.partners_text = partners, partners_text
    action.projects, action.proposals = projects, proposals


def _check_open(plan: ActionPlan) -> None:
    if plan.status == "closed":
        raise NotNow(gettext("This plan was closed by its yearly review; its actions are a "
                             "finished record."))


def add_action(user, plan: ActionPlan, fields: ActionFields) -> PlanAction:
    _check_edit(user, plan.board_id)
    _check_open(plan)
    action = PlanAction()
    _apply_action(action, plan, fields)
    action.plan = plan
    db.session.add(action)
    db.session.flush()
    record(user, "plan.action_add", f"plan:{plan.id}", action_id=action.id, title=action.title,
           status=action.status, due_on=action.due_on.isoformat())
    return action


def update_action(user, action: PlanAction, fields: ActionFields) -> None:
    _check_edit(user, action.plan.board_id)
    _check_open(action.plan)
    before = action.status
    _apply_action(action, action.plan, fields)
    db.session.flush()
    record(user, "plan.action_update", f"plan:{action.plan_id}", action_id=action.id,
           from_status=before, status=action.status, due_on=action.due_on.isoformat())


def add_note(user, action: PlanAction, noted_on: date | None, body: str,
             translations: dict | None = None) -> ProgressNote:
    """A dated note on how the action is going; notes are never edited, so the history stands."""
    _check_edit(user, action.plan.board_id)
    _check_open(action.plan)
    day = check_day(noted_on, "noted_on", gettext("date of the note"))
    if day > site_today():
        raise Invalid(gettext("A progress note cannot be dated in the future."), "noted_on")
    text = clean_text(body, 5000, "body", gettext("note"), required=True, multiline=True)
    note = ProgressNote(action=action, noted_on=day, body=text, author_id=user.id)
    _translate(note, translations)
    db.session.add(note)
    db.session.flush()
    record(user, "plan.note", f"plan:{action.plan_id}", action_id=action.id, note_id=note.id,
           noted_on=day.isoformat())
    return note


# Metric targets -------------------------------------------------------------------------------

@dataclass
class TargetFields:
    metric_id: int | None
    neighbourhood_id: int | None
    baseline_on: date | None
    target_value: float | None
    target_on: date | None


def add_target(user, action: PlanAction, fields: TargetFields) -> ActionTarget:
    """A metric the action should move. The baseline is read from the protected figures of the
    period ending by ``baseline_on``, never typed, so it is never more precise than the public
    may see."""
    _check_edit(user, action.plan.board_id)
    _check_open(action.plan)
    metric = db.session.get(Metric, fields.metric_id) if fields.metric_id else None
    if metric is None:
        raise Invalid(gettext("Choose a metric from the catalogue."), "metric_id")
    hood = None
    if fields.neighbourhood_id:
        hood = db.session.get(Neighbourhood, fields.neighbourhood_id)
        if hood is None:
            raise Invalid(gettext("Choose one of the neighbourhoods listed."), "neighbourhood_id")
    baseline_on = check_day(fields.baseline_on, "baseline_on", gettext("baseline date"))
    target_on = check_day(fields.target_on, "target_on", gettext("target date"))
    if target_on <= baseline_on:
        raise Invalid(gettext("The target date must come after the baseline date."), "target_on")
    value = fields.target_value
    if value is None or not math.isfinite(value) or value < 0 or value > 1e12:
        raise Invalid(gettext("Give the target as a number of zero or more."), "target_value")
    if metric.kind == "percent" and value > 100:
        raise Invalid(gettext("The target is a percentage: at most 100."), "target_value")
    if any(t.metric_id == metric.id and t.neighbourhood_id == (hood.id if hood else None)
           for t in action.targets):
        raise Invalid(gettext("This action already has a target for that metric and place."),
                      "metric_id")
    target = ActionTarget(action=action, metric=metric, neighbourhood=hood,
                          baseline_on=baseline_on, target_value=float(value), target_on=target_on)
    db.session.add(target)
    db.session.flush()
    record(user, "plan.target_add", f"plan:{action.plan_id}", action_id=action.id,
           metric=metric.key, target_value=target.target_value, target_on=target_on.isoformat())
    return target


def remove_target(user, target: ActionTarget) -> None:
    action = target.action
    _check_edit(user, action.plan.board_id)
    _check_open(action.plan)
    detail = dict(action_id=action.id, metric=target.metric.key)
    action.targets.remove(target)
    db.session.flush()
    record(user, "plan.target_remove", f"plan:{action.plan_id}", **detail)
