"""The metric catalogue, measurements, and the metrics a funded project aims to move.

A measurement is one cell of one fixed table: a metric, a scope (the city, a neighbourhood or a
project), a period, and either the total (``breakdown == ""``) or one group of one breakdown
(age band, gender, ...). Its natural key is unique, so importing the same file twice finds every
row already there. Raw values live here; the public only ever sees them through
``pbapp.metrics.tables``, which applies small-cell protection.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import Translated, UTCDateTime, utcnow

if TYPE_CHECKING:
    from ..agreements.models import Agreement

#: count: people or events counted (small cells hidden); percent and rate: numerator over
#: denominator (shown only with a denominator of at least 11); median: a statistic of n cases
KINDS = ("count", "percent", "rate", "median")
DIRECTIONS = ("lower", "higher")  # which way is better
SOURCES = ("police", "hospital", "ambulance", "survey", "council", "partner")
FREQUENCIES = ("monthly", "quarterly", "yearly")
SCOPES = ("city", "neighbourhood", "project")
#: the only breakdowns ever published, each a fixed one-dimensional table under its total
BREAKDOWNS = ("age_band", "gender", "race_ethnicity", "disability", "neighbourhood")


class Metric(Translated, db.Model):
    """A shared measure with its definition and the data-sharing agreement behind it. Its
    public words (name, unit, definition, the agreement) may be given in Spanish too; pages
    and reports show ``metric.text(field, locale)``, the API the stored text."""

    TRANSLATED_FIELDS = {"name": 160, "unit": 40, "definition": 5000, "sharing_what": 5000,
                         "sharing_consent": 5000, "sharing_retention": 5000}
    MARKDOWN_FIELDS = ("definition",)

    __tablename__ = "metric"
    __table_args__ = (CheckConstraint("rate_per IS NULL OR rate_per > 0", name="rate_per_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(10), default="count")
    #: a rate's multiplier (per 1,000 residents); percent is per 100
    rate_per: Mapped[int | None]
    better: Mapped[str] = mapped_column(String(6), default="lower")
    source: Mapped[str] = mapped_column(String(20), default="partner")
    #: the partner organisation that supplies it, in words
    supplier: Mapped[str] = mapped_column(String(160), default="")
    frequency: Mapped[str] = mapped_column(String(12), default="quarterly")
    sharing_what: Mapped[str] = mapped_column(Text, default="")
    sharing_consent: Mapped[str] = mapped_column(Text, default="")
    sharing_retention: Mapped[str] = mapped_column(Text, default="")
    #: the data-sharing agreement its measurements come under (``pbapp.agreements``); the
    #: ``sharing_*`` texts above are what the catalogue said before agreements had pages
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Optional["Agreement"]] = relationship(back_populates="metrics")

    def __repr__(self) -> str:
        return f"<Metric {self.key}>"

    @property
    def is_count(self) -> bool:
        return self.kind == "count"

    @property
    def lower_is_better(self) -> bool:
        return self.better == "lower"


class Measurement(db.Model):
    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("metric_id", "scope", "scope_ref", "period_start", "period_end",
                         "breakdown", "group_name", name="uq_measurement_cell"),
        CheckConstraint("period_start <= period_end", name="period_ordered"),
        CheckConstraint("denominator IS NULL OR denominator >= 0", name="denominator_not_negative"),
        CheckConstraint("numerator IS NULL OR numerator >= 0", name="numerator_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(14))
    #: "" for the city, the neighbourhood's slug, or the project's id: part of the natural key
    scope_ref: Mapped[str] = mapped_column(String(80), default="")
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhood.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    #: the value for counts and medians; for percent/rate, numerator/denominator when given
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[int | None]
    denominator: Mapped[int | None]
    breakdown: Mapped[str] = mapped_column(String(20), default="")
    group_name: Mapped[str] = mapped_column(String(80), default="")
    source: Mapped[str] = mapped_column(String(160), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    metric: Mapped[Metric] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    entered_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return (f"<Measurement {self.metric_id} {self.scope}:{self.scope_ref} "
                f"{self.period_start}..{self.period_end} {self.breakdown}={self.group_name}>")

    @property
    def effective_value(self) -> float | None:
        """The number the metric reports: the stored value, else numerator over denominator
        scaled by the metric's kind (percent, or per ``rate_per``)."""
        if self.value is not None:
            return self.value
        if self.numerator is None or not self.denominator:
            return None
        scale = 100 if self.metric.kind == "percent" else (self.metric.rate_per or 1)
        return self.numerator / self.denominator * scale


class ProjectMetric(Translated, db.Model):
    """A metric a funded project aims to move: where it started and where it should get to.
    Its baseline period's words may be given in Spanish too.

    Progress reads the latest total measured for the project itself, else for
    ``neighbourhood`` (when set), else for the city.
    """

    __tablename__ = "project_metric"
    TRANSLATED_FIELDS = {"baseline_period": 60}
    __table_args__ = (UniqueConstraint("project_id", "metric_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"))
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhood.id"))
    baseline_value: Mapped[float] = mapped_column(Float)
    #: in words, e.g. "2025" or "Jan–Jun 2026"; ``baseline_on`` is the period's last day
    baseline_period: Mapped[str] = mapped_column(String(60))
    baseline_on: Mapped[date]
    target_value: Mapped[float] = mapped_column(Float)
    target_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    metric: Mapped[Metric] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProjectMetric project={self.project_id} metric={self.metric_id}>"


class PublishedCell(db.Model):
    """One number as the public may see it: small-cell protected, rounded, audited.

    Written by ``pbapp.metrics.published`` whenever the metric's measurements change, and the
    only thing pages, charts, downloads, reports and the API read: no request runs the
    protection or its solver."""

    __tablename__ = "published_cell"
    __table_args__ = (
        UniqueConstraint("metric_id", "scope", "scope_ref", "period_start", "period_end",
                         "breakdown", "group_name", name="uq_published_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(14))
    scope_ref: Mapped[str] = mapped_column(String(80), default="")
    period_start: Mapped[date]
    period_end: Mapped[date]
    breakdown: Mapped[str] = mapped_column(String(20), default="")
    group_name: Mapped[str] = mapped_column(String(80), default="")
    #: the published value (a count, or a rate rounded to one decimal); None when hidden or
    #: not measured
    value: Mapped[float | None] = mapped_column(Float)
    #: why it is hidden: "small", "complementary", "small-numerator", "small-denominator"
    hidden: Mapped[str | None] = mapped_column(String(20))


class MetricAudit(db.Model):
    """The last protection of one metric and its audit: when, whether it passed, and what it
    used. A metric whose audit did not pass publishes nothing."""

    __tablename__ = "metric_audit"

    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"),
                                           primary_key=True)
    audited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    passed: Mapped[bool] = mapped_column(default=False)
    cells: Mapped[int] = mapped_column(default=0)
    small: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[int] = mapped_column(default=0)
    #: {"counts": {why: n}, "listed": [relation in words, ...]}
    relations: Mapped[dict] = mapped_column(db.JSON, default=dict)
    #: why the audit failed, in words (empty when it passed)
    problems: Mapped[str] = mapped_column(Text, default="")
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
