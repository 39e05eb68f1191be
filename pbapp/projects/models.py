"""Funded projects and their public record: status history, milestones and dated updates.

A project is born when a result is published and keeps its own copy of the proposal's title,
summary and cost, so later edits elsewhere never rewrite what was funded. Spending entries and
shared metrics hang off ``project.id`` the same way milestones and updates do.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Select, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..boards.models import Board
from ..cycles.models import Cycle
from ..extensions import db
from ..images.models import Image
from ..models_base import StatusHistory, Translated, UTCDateTime, utcnow
from ..proposals.models import Proposal

STATUSES = ("planned", "in_progress", "completed", "paused", "cancelled")
STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "completed": "Completed",
                 "paused": "Paused", "cancelled": "Cancelled"}
#: moving into these must say why, in public
REASON_REQUIRED = ("paused", "cancelled")
#: where a project may go next; completed and cancelled are final
NEXT_STATUSES = {
    "planned": ("in_progress", "paused", "cancelled"),
    "in_progress": ("paused", "completed", "cancelled"),
    "paused": ("planned", "in_progress", "cancelled"),
    "completed": (),
    "cancelled": (),
}


class Project(Translated, db.Model):
    __tablename__ = "project"
    __table_args__ = (CheckConstraint("budget_cents >= 0", name="budget_not_negative"),)
    TRANSLATED_FIELDS = {"title": 160, "summary": 400}

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), unique=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(400), default="")
    budget_cents: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    #: staff's picture for the card; without one the proposal's picture is shown
    image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    cycle: Mapped[Cycle] = relationship()
    board: Mapped[Board] = relationship()
    image: Mapped[Image | None] = relationship()
    history: Mapped[list["ProjectStatusChange"]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="(ProjectStatusChange.at, ProjectStatusChange.id)")
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="(Milestone.due_on, Milestone.id)")
    spending: Mapped[list["Spending"]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="(Spending.spent_on, Spending.id)")
    updates: Mapped[list["ProjectUpdate"]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="(ProjectUpdate.published_at.desc(), ProjectUpdate.id.desc())")

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.status}>"

    @property
    def part_of_cents(self) -> int | None:
        """The proposal's full cost when this project was part-funded (its budget is the
        part: ``pbapp.tally.part_funding``), else None."""
        cost = self.proposal.cost_cents
        return cost if self.budget_cents < cost else None

    @property
    def budget(self) -> int:
        """Whole currency units, as the proposal's cost was shown to voters."""
        return self.budget_cents // 100

    @property
    def card_image(self) -> Image | None:
        """The picture shown for the project: its own, else the one residents voted on."""
        return self.image or self.proposal.image

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return NEXT_STATUSES.get(self.status, ())

    @property
    def is_final(self) -> bool:
        return not self.next_statuses

    @staticmethod
    def listed(cycle_id: int | None = None, status: str | None = None) -> Select:
        """Every project is public once its result is; newest cycle first, then by title."""
        query = select(Project)
        if cycle_id is not None:
            query = query.where(Project.cycle_id == cycle_id)
        if status is not None:
            query = query.where(Project.status == status)
        return query.order_by(Project.cycle_id.desc(), Project.title, Project.id)


class ProjectStatusChange(StatusHistory, db.Model):
    """Who moved a project, when and why; the reason is public."""

    __tablename__ = "project_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)

    project: Mapped[Project] = relationship(back_populates="history")

    def __repr__(self) -> str:
        return f"<ProjectStatusChange {self.project_id} {self.from_status}->{self.to_status}>"


class Milestone(Translated, db.Model):
    __tablename__ = "milestone"
    TRANSLATED_FIELDS = {"title": 160, "note": 2000}

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    title: Mapped[str] = mapped_column(String(160))
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship(back_populates="milestones")

    def __repr__(self) -> str:
        return f"<Milestone {self.id} project={self.project_id}>"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or date.today())


class ProjectUpdate(Translated, db.Model):
    """A dated public note on progress; the body is Markdown, sanitised when shown."""

    __tablename__ = "project_update"
    TRANSLATED_FIELDS = {"title": 160, "body": 20_000}
    MARKDOWN_FIELDS = ("body",)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProjectUpdate {self.id} project={self.project_id}>"


#: what money went on, for the budget-vs-spent breakdown
SPENDING_CATEGORIES = ("staff", "services", "equipment", "materials", "events", "other")


class Spending(db.Model):
    """One payment out of a project's budget; public, as the budget is."""

    __tablename__ = "spending"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    spent_on: Mapped[date]
    amount_cents: Mapped[int]
    category: Mapped[str] = mapped_column(String(20))
    payee: Mapped[str] = mapped_column(String(160))
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="spending")

    def __repr__(self) -> str:
        return f"<Spending {self.id} project={self.project_id} {self.amount_cents}>"


def spent_cents(project_ids) -> dict[int, int]:
    """Total spent per project, in one query; projects with no spending get 0."""
    from sqlalchemy import func

    ids = list(project_ids)
    totals = dict(db.session.execute(
        select(Spending.project_id, func.sum(Spending.amount_cents))
        .where(Spending.project_id.in_(ids)).group_by(Spending.project_id)).all()) if ids else {}
    return {i: int(totals.get(i) or 0) for i in ids}


def milestone_counts(project_ids) -> dict[int, tuple[int, int]]:
    """(done, total) milestones per project, in one query; projects with none get (0, 0)."""
    from sqlalchemy import func

    ids = list(project_ids)
    rows = db.session.execute(
        select(Milestone.project_id, func.count(Milestone.done_on), func.count())
        .where(Milestone.project_id.in_(ids)).group_by(Milestone.project_id)).all() if ids else []
    found = {project_id: (int(done), int(total)) for project_id, done, total in rows}
    return {i: found.get(i, (0, 0)) for i in ids}
