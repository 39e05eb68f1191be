"""A board's action plan for a period: the needs assessment it rests on, the neighbourhoods it
targets, and its actions, each with a lead seat, partners, a due date, metric targets, a status,
dated progress notes and the proposals or projects that carry it out.

A yearly review closes a plan and opens its successor (``previous_id``, unique, so a plan has at
most one next plan however often the review is sent). Actions carried over point back to the
action they continue; their notes stay on the old plan.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (CheckConstraint, Column, Float, ForeignKey, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..boards.models import Board, Membership
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..metrics.models import Metric
from ..models_base import Translated, UTCDateTime, utcnow
from ..projects.models import Project
from ..proposals.models import Proposal

#: draft: only the board and staff see it; published: public; closed: reviewed, still public
PLAN_STATUSES = ("draft", "published", "closed")
#: what the board says of an action; "late" is never stored, it is read from the due date
ACTION_STATUSES = ("planned", "under_way", "done", "dropped")
#: actions a yearly review carries into the next plan
UNFINISHED = ("planned", "under_way")

plan_neighbourhood = Table(
    "plan_neighbourhood", db.metadata,
    Column("plan_id", ForeignKey("action_plan.id", ondelete="CASCADE"), primary_key=True),
    Column("neighbourhood_id", ForeignKey("neighbourhood.id", ondelete="CASCADE"),
           primary_key=True),
)
action_partner = Table(
    "plan_action_partner", db.metadata,
    Column("action_id", ForeignKey("plan_action.id", ondelete="CASCADE"), primary_key=True),
    Column("membership_id", ForeignKey("membership.id", ondelete="CASCADE"), primary_key=True),
)
action_project = Table(
    "plan_action_project", db.metadata,
    Column("action_id", ForeignKey("plan_action.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
)
action_proposal = Table(
    "plan_action_proposal", db.metadata,
    Column("action_id", ForeignKey("plan_action.id", ondelete="CASCADE"), primary_key=True),
    Column("proposal_id", ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
)


class ActionPlan(Translated, db.Model):
    __tablename__ = "action_plan"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="plan_period_ordered"),)
    TRANSLATED_FIELDS = {"title": 160, "needs": 20_000, "review": 20_000}
    MARKDOWN_FIELDS = ("needs", "review")

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    period_start: Mapped[date]
    period_end: Mapped[date]
    #: the needs assessment, Markdown (sanitised on output)
    needs: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")
    #: what the yearly review found, Markdown; written when the plan is closed
    review: Mapped[str] = mapped_column(Text, default="")
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_plan.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    board: Mapped[Board] = relationship()
    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        secondary=plan_neighbourhood, order_by=Neighbourhood.name)
    figures: Mapped[list["PlanFigure"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanFigure.id")
    actions: Mapped[list["PlanAction"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(PlanAction.due_on, PlanAction.id)")
    previous: Mapped["ActionPlan | None"] = relationship(remote_side=[id],
                                                         back_populates="next_plan")
    next_plan: Mapped["ActionPlan | None"] = relationship(back_populates="previous",
                                                          uselist=False)

    def __repr__(self) -> str:
        return f"<ActionPlan {self.id} board={self.board_id} {self.status}>"

    @property
    def is_public(self) -> bool:
        return self.status != "draft"


class PlanFigure(db.Model):
    """A catalogue metric the needs assessment rests on: its latest protected total for the
    city and for each neighbourhood the plan targets."""

    __tablename__ = "plan_figure"
    __table_args__ = (UniqueConstraint("plan_id", "metric_id", name="uq_plan_figure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"),
                                         index=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))

    plan: Mapped[ActionPlan] = relationship(back_populates="figures")
    metric: Mapped[Metric] = relationship()


class PlanAction(Translated, db.Model):
    __tablename__ = "plan_action"
    TRANSLATED_FIELDS = {"title": 200, "description": 5000, "partners_text": 500}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: the board seat that leads it; its organisation is kept in words in case the seat goes
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id", ondelete="SET NULL"))
    lead_organisation: Mapped[str] = mapped_column(String(160), default="")
    #: partners outside the board, in words
    partners_text: Mapped[str] = mapped_column(String(500), default="")
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    #: the action of the previous plan this one continues
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_action.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="actions")
    lead: Mapped[Membership | None] = relationship()
    partner_seats: Mapped[list[Membership]] = relationship(secondary=action_partner,
                                                           order_by=Membership.id)
    projects: Mapped[list[Project]] = relationship(secondary=action_project,
                                                   order_by=Project.id)
    proposals: Mapped[list[Proposal]] = relationship(secondary=action_proposal,
                                                     order_by=Proposal.id)
    targets: Mapped[list["ActionTarget"]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionTarget.id")
    notes: Mapped[list["ProgressNote"]] = relationship(
        back_populates="action", cascade="all, delete-orphan",
        order_by="(ProgressNote.noted_on.desc(), ProgressNote.id.desc())")
    carried_from: Mapped["PlanAction | None"] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<PlanAction {self.id} plan={self.plan_id} {self.status}>"


class ActionTarget(db.Model):
    """A metric the action should move: the baseline is the protected total of the period
    ending on or before ``baseline_on``; the latest is the newest protected total."""

    __tablename__ = "action_target"
    __table_args__ = (CheckConstraint("baseline_on < target_on", name="target_after_baseline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_action.id", ondelete="CASCADE"),
                                           index=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"))
    baseline_on: Mapped[date]
    target_value: Mapped[float] = mapped_column(Float)
    target_on: Mapped[date]

    action: Mapped[PlanAction] = relationship(back_populates="targets")
    metric: Mapped[Metric] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()


class ProgressNote(Translated, db.Model):
    __tablename__ = "progress_note"
    TRANSLATED_FIELDS = {"body": 5000}
    MARKDOWN_FIELDS = ("body",)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_action.id", ondelete="CASCADE"),
                                           index=True)
    noted_on: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[PlanAction] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()
