"""Funded projects: created when a result is published, then kept up to date by the proposing
board and staff.

Each verb checks the role, then the cycle's phase and the project's status, then validates
everything before touching a row, so a refused or invalid request changes nothing. It flushes
and writes its audit event in the caller's transaction; the view commits once.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.services import record
from ..cycles.models import Neighbourhood, Result
from ..extensions import db
from ..metrics.models import Metric, ProjectMetric
from ..proposals.models import Proposal
from ..proposals.services import is_member
from .models import (REASON_REQUIRED, SPENDING_CATEGORIES, STATUS_LABELS, STATUSES, Milestone,
                     Project, ProjectStatusChange, ProjectUpdate, Spending)

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


def _actor_id(actor) -> int | None:
    return getattr(actor, "id", None)


# Creation at publication ------------------------------------------------------------------------

def create_projects_for(result: Result, actor) -> list[Project]:
    """One planned project per funded proposal of ``result``, its budget the proposal's cost.

    Runs inside ``publish_result``, which refuses a second publication; the unique
    ``proposal_id`` is the backstop, and proposals that already have a project are skipped.
    The publication's own audit event lists the projects made here, as it lists the proposals
    it funded, so the chain has one event for the one decision.
    """
    winners = [str(w) for w in result.data.get("winners", [])]
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
                          summary=proposal.summary, budget_cents=proposal.cost_cents,
                          status="planned")
        project.history.append(ProjectStatusChange(
            actor_id=_actor_id(actor), from_status=None, to_status="planned",
            reason=f"Funded by the published result of “{result.cycle.name}”."))
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


def check_manage(user, project: Project, doing: str = "Changing this project") -> None:
    if not can_manage(user, project):
        raise NotAllowed("Only members of the proposing board and staff can change a project.")
    if project.cycle.phase not in CHANGE_PHASES:
        raise NotNow(f"{doing} is possible only while the cycle is in implementation; "
                     f"“{project.cycle.name}” is {project.cycle.phase}. Nothing was changed.")


def check_open(user, project: Project, doing: str) -> None:
    """Milestones and status belong to a project still under way."""
    check_manage(user, project, doing)
    if project.is_final:
        raise NotNow(f"This project is {project.status_label.lower()}; its milestones and "
                     "status can no longer change. Nothing was changed.")


# Updates ---------------------------------------------------------------------------------------

def post_update(user, project: Project, title: str, body: str) -> ProjectUpdate:
    """A dated public note; allowed after completion too, for the closing report."""
    check_manage(user, project, "Posting an update")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise Invalid("Give the update a title.", "title")
    if not body:
        raise Invalid("Write what happened.", "body")
    entry = ProjectUpdate(project=project, author_id=user.id, title=title, body=body)
    db.session.add(entry)
    db.session.flush()
    record(user, "project.post_update", f"project:{project.id}", update_id=entry.id,
           title=title)
    return entry


# Milestones ------------------------------------------------------------------------------------

def _check_milestone(fields: MilestoneFields) -> MilestoneFields:
    title = (fields.title or "").strip()
    if not title:
        raise Invalid("Give the milestone a title.", "title")
    if fields.due_on is None:
        raise Invalid("Give the date it is due.", "due_on")
    return MilestoneFields(title=title, due_on=fields.due_on, note=(fields.note or "").strip())


def save_milestone(user, project: Project, fields: MilestoneFields,
                   milestone: Milestone | None = None) -> Milestone:
    """Add a milestone, or edit one of this project's; a new due date is logged with the old."""
    check_open(user, project, "Changing milestones")
    if milestone is not None and milestone.project_id != project.id:
        raise Invalid("That milestone belongs to another project.")
    clean = _check_milestone(fields)
    if milestone is None:
        milestone = Milestone(project=project, title=clean.title, due_on=clean.due_on,
                              note=clean.note)
        db.session.add(milestone)
        db.session.flush()
        record(user, "project.milestone_add", f"project:{project.id}",
               milestone_id=milestone.id, title=clean.title, due_on=clean.due_on.isoformat())
        return milestone
    changes = {}
    for name in ("title", "due_on", "note"):
        old, new = getattr(milestone, name), getattr(clean, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(milestone, name, new)
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
    check_open(user, project, "Completing a milestone")
    if milestone.project_id != project.id:
        raise Invalid("That milestone belongs to another project.")
    if milestone.done_on is not None:
        raise NotNow(f"“{milestone.title}” was already marked done. Nothing was changed.")
    done_on = done_on or date.today()
    if done_on > date.today():
        raise Invalid("A milestone cannot be done on a future date.", "done_on")
    milestone.done_on = done_on
    db.session.flush()
    record(user, "project.milestone_done", f"project:{project.id}", milestone_id=milestone.id,
           done_on=done_on.isoformat(), due_on=milestone.due_on.isoformat())
    return milestone


# Status ----------------------------------------------------------------------------------------

def _claim(project: Project, expected: str, to_status: str) -> None:
    """Set the status only if it is still ``expected``: of two people changing it at once, the
    second updates no row and is refused instead of overwriting the first."""
    moved = db.session.execute(
        update(Project).where(Project.id == project.id, Project.status == expected)
        .values(status=to_status).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise NotNow("Someone changed this project's status a moment ago. Nothing was changed; "
                     "reload the page to see where it stands.")
    set_committed_value(project, "status", to_status)


def change_status(user, project: Project, to_status: str, reason: str = "") -> Project:
    """Move the project one step (see NEXT_STATUSES); pausing or cancelling must say why."""
    check_open(user, project, "Changing the status")
    reason = (reason or "").strip()
    if to_status not in STATUSES:
        raise Invalid("Choose one of the statuses listed.", "status")
    if to_status not in project.next_statuses:
        raise Invalid(f"A {project.status_label.lower()} project cannot become "
                      f"{STATUS_LABELS[to_status].lower()}.", "status")
    if to_status in REASON_REQUIRED and not reason:
        raise Invalid(f"Say why the project is {STATUS_LABELS[to_status].lower()}; "
                      "residents will read it.", "reason")
    old = project.status
    _claim(project, old, to_status)
    project.history.append(ProjectStatusChange(actor_id=user.id, from_status=old,
                                               to_status=to_status, reason=reason))
    db.session.flush()
    record(user, "project.status", f"project:{project.id}", old=old, new=to_status,
           reason=reason)
    return project


# Spending --------------------------------------------------------------------------------------

#: one entry above this is a typing slip (and would overflow the column); 10 million units
MAX_AMOUNT_CENTS = 1_000_000_000
_AMOUNT = re.compile(r"\d+(?:\.\d{1,2})?")


@dataclass
class SpendingFields:
    spent_on: date | None
    amount: str  # as typed: "1250" or "1250.50", whole currency units
    category: str
    payee: str
    note: str = ""


@dataclass(frozen=True)
class BudgetSummary:
    """Budget against spending, in cents; ``by_category`` lists only categories with spending."""

    budget_cents: int
    spent_cents: int
    by_category: list[tuple[str, int]]

    @property
    def remaining_cents(self) -> int:
        return max(self.budget_cents - self.spent_cents, 0)

    @property
    def over_cents(self) -> int:
        return max(self.spent_cents - self.budget_cents, 0)

    @property
    def percent_spent(self) -> int | None:
        """Whole percent, rounded down so 99.6% never reads as all spent; None without budget."""
        if self.budget_cents <= 0:
            return None
        return self.spent_cents * 100 // self.budget_cents


def parse_amount(text: str) -> int:
    """Cents from whole units with at most two decimals; exact, so no float ever rounds money."""
    text = (text or "").strip()
    if not text:
        raise Invalid("Give the amount.", "amount")
    if not _AMOUNT.fullmatch(text):
        raise Invalid("Write the amount in digits, with at most two decimals after a point "
                      "(e.g. 1250 or 1250.50); no commas or currency signs.", "amount")
    cents = int(Decimal(text) * 100)
    if cents <= 0:
        raise Invalid("The amount must be more than zero.", "amount")
    if cents > MAX_AMOUNT_CENTS:
        raise Invalid(f"One entry cannot be more than {MAX_AMOUNT_CENTS // 100:,}; "
                      "split it or check the amount.", "amount")
    return cents


def budget_summary(project: Project) -> BudgetSummary:
    totals: dict[str, int] = {}
    for entry in project.spending:
        totals[entry.category] = totals.get(entry.category, 0) + entry.amount_cents
    order = {c: i for i, c in enumerate(SPENDING_CATEGORIES)}
    by_category = sorted(totals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return BudgetSummary(project.budget_cents, sum(totals.values()), by_category)


def add_spending(user, project: Project, fields: SpendingFields) -> Spending:
    """Record a payment. Going over budget is allowed, because the money has been spent and
    hiding it would be worse; the page flags the overspend instead."""
    check_manage(user, project, "Recording spending")
    cents = parse_amount(fields.amount)
    if fields.spent_on is None:
        raise Invalid("Give the date of the payment.", "spent_on")
    if fields.spent_on > date.today():
        raise Invalid("Spending cannot be dated in the future; record it once it is paid.",
                      "spent_on")
    if fields.category not in SPENDING_CATEGORIES:
        raise Invalid("Choose one of the categories listed.", "category")
    payee = (fields.payee or "").strip()
    if not payee:
        raise Invalid("Say who was paid.", "payee")
    if len(payee) > 160:
        raise Invalid("Keep the payee's name under 160 characters.", "payee")
    entry = Spending(project=project, spent_on=fields.spent_on, amount_cents=cents,
                     category=fields.category, payee=payee, note=(fields.note or "").strip(),
                     entered_by_id=_actor_id(user))
    db.session.add(entry)
    db.session.flush()
    record(user, "project.spending_add", f"project:{project.id}", spending_id=entry.id,
           amount_cents=cents, spent_on=fields.spent_on.isoformat(), category=fields.category,
           payee=payee)
    return entry


def delete_spending(user, project: Project, entry: Spending) -> None:
    """Staff only: undoing a board's record is an oversight task, and the audit log keeps
    what was removed."""
    check_manage(user, project, "Deleting spending")
    if not getattr(user, "is_staff", False):
        raise NotAllowed("Only staff can delete a spending entry.")
    if entry.project_id != project.id:
        raise Invalid("That entry belongs to another project.")
    detail = dict(spending_id=entry.id, amount_cents=entry.amount_cents,
                  spent_on=entry.spent_on.isoformat(), category=entry.category,
                  payee=entry.payee)
    project.spending.remove(entry)
    db.session.delete(entry)
    db.session.flush()
    record(user, "project.spending_delete", f"project:{project.id}", **detail)


# Metric targets --------------------------------------------------------------------------------

@dataclass
class TargetFields:
    metric_id: int | None
    neighbourhood_id: int | None
    baseline_value: float | None
    baseline_period: str
    baseline_on: date | None
    target_value: float | None
    target_on: date | None


def _check_number(metric: Metric, value: float | None, field: str, what: str) -> float:
    if value is None:
        raise Invalid(f"Give the {what} value.", field)
    if not math.isfinite(value):
        raise Invalid(f"The {what} value must be a number.", field)
    if value < 0:
        raise Invalid(f"The {what} value cannot be negative.", field)
    if metric.kind == "percent" and value > 100:
        raise Invalid(f"The {what} value is a percentage: at most 100.", field)
    return float(value)


def add_target(user, project: Project, fields: TargetFields) -> ProjectMetric:
    """Declare a metric the project aims to move. A target on the wrong side of its baseline
    is refused: progress would call it achieved the day it was set."""
    check_manage(user, project, "Setting metric targets")
    metric = db.session.get(Metric, fields.metric_id) if fields.metric_id else None
    if metric is None:
        raise Invalid("Choose a metric from the catalogue.", "metric")
    neighbourhood = None
    if fields.neighbourhood_id:
        neighbourhood = db.session.get(Neighbourhood, fields.neighbourhood_id)
        if neighbourhood is None:
            raise Invalid("Choose one of the neighbourhoods listed.", "neighbourhood")
    if db.session.scalar(select(ProjectMetric.id).where(
            ProjectMetric.project_id == project.id, ProjectMetric.metric_id == metric.id)):
        raise Invalid(f"This project already has a target for “{metric.name}”; remove that "
                      "one first to set a different target.", "metric")
    baseline = _check_number(metric, fields.baseline_value, "baseline_value", "baseline")
    period = (fields.baseline_period or "").strip()
    if not period:
        raise Invalid("Say which period the baseline describes, e.g. “2025”.", "baseline_period")
    if len(period) > 60:
        raise Invalid("Keep the baseline period under 60 characters.", "baseline_period")
    if fields.baseline_on is None:
        raise Invalid("Give the last day of the baseline period.", "baseline_on")
    target = _check_number(metric, fields.target_value, "target_value", "target")
    if fields.target_on is None:
        raise Invalid("Give the date the target should be reached by.", "target_on")
    if fields.target_on <= fields.baseline_on:
        raise Invalid("The target date must come after the baseline period ends.", "target_on")
    worse = target > baseline if metric.lower_is_better else target < baseline
    if worse:
        direction = "lower" if metric.lower_is_better else "higher"
        raise Invalid(f"For “{metric.name}” {direction} is better, so the target cannot be "
                      f"{'above' if metric.lower_is_better else 'below'} the baseline.",
                      "target_value")
    row = ProjectMetric(project_id=project.id, metric_id=metric.id,
                        neighbourhood_id=neighbourhood.id if neighbourhood else None,
                        baseline_value=baseline, baseline_period=period,
                        baseline_on=fields.baseline_on, target_value=target,
                        target_on=fields.target_on)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # someone set the same metric a moment ago
        raise Invalid(f"This project already has a target for “{metric.name}”.", "metric")
    record(user, "project.target_add", f"project:{project.id}", target_id=row.id,
           metric=metric.key, neighbourhood=neighbourhood.slug if neighbourhood else None,
           baseline_value=baseline, baseline_period=period,
           baseline_on=fields.baseline_on.isoformat(), target_value=target,
           target_on=fields.target_on.isoformat())
    return row


def remove_target(user, project: Project, target: ProjectMetric) -> None:
    check_manage(user, project, "Removing a metric target")
    if target.project_id != project.id:
        raise Invalid("That target belongs to another project.")
    detail = dict(target_id=target.id, metric=target.metric.key,
                  baseline_value=target.baseline_value, target_value=target.target_value,
                  target_on=target.target_on.isoformat())
    db.session.delete(target)
    db.session.flush()
    record(user, "project.target_remove", f"project:{project.id}", **detail)
