"""The yearly review: close a plan with what the board found, and open the next plan for the
following period with what carries over.

Unfinished actions (planned or under way) are copied into the next plan with their lead,
partners, targets and links, each pointing back to the action it continues; their progress
notes stay on the closed plan, which remains public as the record of its year. A plan has at
most one next plan: a second review is refused in words, and the unique ``previous_id`` stops
two reviews sent at the same moment.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..extensions import db
from ..models_base import utcnow
from .models import UNFINISHED, ActionPlan, ActionTarget, PlanAction
from .services import (LATEST, Invalid, NotNow, PlanFields, _apply_plan, _check_edit,
                       _translate, clean_text)


@dataclass
class ReviewFields:
    review: str
    next_title: str
    next_start: date | None
    next_end: date | None
    #: ``{"es": {"review": ...}}`` for the closed plan, and the next plan's title
    review_translations: dict[str, dict[str, str]] | None = None
    next_translations: dict[str, dict[str, str]] | None = None


def following_period(plan: ActionPlan) -> tuple[date, date] | None:
    """The period after ``plan``'s, as long as it (a year after a year); None past the
    latest date a plan may have."""
    start = plan.period_end + timedelta(days=1) if plan.period_end < LATEST else None
    if start is None:
        return None
    end = start + (plan.period_end - plan.period_start)
    return (start, end) if end <= LATEST else None


def already_reviewed(plan: ActionPlan) -> str | None:
    """Why ``plan`` cannot be reviewed now, in words; None when it can."""
    if plan.next_plan is not None or plan.status == "closed":
        if plan.next_plan is not None:
            return gettext("This plan has already been reviewed; its next plan is “%(title)s”.",
                           title=plan.next_plan.title)
        return gettext("This plan has already been reviewed and closed.")
    if plan.status == "draft":
        return gettext("Publish the plan before its yearly review.")
    return None


def review_plan(user, plan: ActionPlan, fields: ReviewFields) -> ActionPlan:
    """Close ``plan`` and open its successor as a draft; returns the new plan."""
    _check_edit(user, plan.board_id)
    refused = already_reviewed(plan)
    if refused:
        raise NotNow(refused)
    review = clean_text(fields.review, 20_000, "review", gettext("review of the year"), required=True,
                        multiline=True)
    if fields.next_start is not None and fields.next_start <= plan.period_start:
        raise Invalid(gettext("The next plan must start after this one starts."), "next_start")
    carried = [a for a in plan.actions if a.status in UNFINISHED]
    successor = ActionPlan(board_id=plan.board_id, status="draft", previous_id=plan.id)
    _apply_plan(successor, PlanFields(
        title=fields.next_title, period_start=fields.next_start, period_end=fields.next_end,
        needs=plan.needs, neighbourhood_ids=[h.id for h in plan.neighbourhoods],
        metric_ids=[f.metric_id for f in plan.figures],
        translations={loc: {"needs": texts["needs"]} for loc, texts in
                      (plan.translations or {}).items() if texts.get("needs")}))
    _translate(successor, fields.next_translations)
    _translate(plan, fields.review_translations)
    successor.actions = [_carried(a) for a in carried]
    try:
        with db.session.begin_nested():
            db.session.add(successor)
    except IntegrityError:  # another review of the same plan was a moment faster
        db.session.expire(plan)
        raise NotNow(gettext("This plan has already been reviewed.")) from None
    plan.status, plan.review, plan.closed_at = "closed", review, utcnow()
    db.session.flush()
    record(user, "plan.review", f"plan:{plan.id}", next_plan=successor.id,
           carried=[a.id for a in carried])
    return successor


def _carried(old: PlanAction) -> PlanAction:
    new = PlanAction(title=old.title, description=old.description, lead_id=old.lead_id,
                     lead_organisation=old.lead_organisation, partners_text=old.partners_text,
                     due_on=old.due_on, status=old.status, carried_from_id=old.id,
                     translations=dict(old.translations or {}))
    new.partner_seats = list(old.partner_seats)
    new.projects, new.proposals = list(old.projects), list(old.proposals)
    new.targets = [ActionTarget(metric_id=t.metric_id, neighbourhood_id=t.neighbourhood_id,
                                baseline_on=t.baseline_on, target_value=t.target_value,
                                target_on=t.target_on) for t in old.targets]
    return new

