"""A survey, its questions, who answered (participation) and what was answered (responses).

As with ballots, ``SurveyParticipation`` proves that a person answered (a UNIQUE survey and
respondent key stops a second response) and ``SurveyResponse`` holds the answers under a
random id; no column links the two, and a response carries no time. A response may carry the
respondent's neighbourhood and age band, for the protected breakdowns only.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (JSON, BigInteger, CheckConstraint, ForeignKey, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Translated, UTCDateTime, utcnow

#: who may answer: verified accounts, letter codes, or anyone with the link
MODES = ("account", "code", "link")
KINDS = ("single", "multiple", "scale", "number", "text")
#: a 1-5 scale's answers
SCALE = (1, 2, 3, 4, 5)
#: the largest number a number question takes
NUMBER_MAX = 1_000_000
TEXT_MAX = 2000
REVIEWS = ("pending", "approved", "withheld")


class Survey(Translated, db.Model):
    TRANSLATED_FIELDS = {"title": 200, "intro": 5000}
    MARKDOWN_FIELDS = ("intro",)

    __tablename__ = "survey"
    __table_args__ = (CheckConstraint("opens_at < closes_at", name="window_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(10), default="account")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: ask for (or take from the account) the neighbourhood and age band, for breakdowns
    breakdowns: Mapped[bool] = mapped_column(default=False)
    #: set once, when the survey was closed and its results and measurements made
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the protected results, made when the survey closed (see ``results``)
    results: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list["SurveyQuestion"]] = relationship(
        order_by="SurveyQuestion.position", cascade="all, delete-orphan", back_populates="survey")

    def __repr__(self) -> str:
        return f"<Survey {self.slug}>"

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and self.opens_at <= now < self.closes_at


class SurveyQuestion(Translated, db.Model):
    """One question. Choices are numbered from 0 in ``options``, each ``{"en": .., "es": ..}``;
    a scale's choices are 1 to 5. A question linked to a metric counts the responses whose
    answer is one of ``metric_counts`` over all that answered it."""

    TRANSLATED_FIELDS = {"wording": 500}
    MARKDOWN_FIELDS = ()

    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(10))
    wording: Mapped[str] = mapped_column(String(500))
    options: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    metric_id: Mapped[int | None] = mapped_column(ForeignKey("metric.id", ondelete="SET NULL"))
    metric_counts: Mapped[list] = mapped_column(JSON, default=list)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    metric = relationship("Metric")

    def __repr__(self) -> str:
        return f"<SurveyQuestion {self.survey_id}.{self.position} {self.kind}>"

    def choices(self, locale=None) -> list[tuple[int, str]]:
        """(value, label) in the reader's language."""
        if self.kind == "scale":
            return [(v, str(v)) for v in SCALE]
        lang = str(locale or "en")[:2]
        return [(i, o.get(lang) or o.get("en", "")) for i, o in enumerate(self.options or [])]

    @property
    def has_choices(self) -> bool:
        return self.kind in ("single", "multiple", "scale")


class SurveyCode(db.Model):
    """A letter code for a survey, stored only as a keyed hash (``pbapp.voting.codes``). It has
    answered when a participation row with its key exists."""

    __tablename__ = "survey_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)


class SurveyParticipation(db.Model):
    __tablename__ = "survey_participation"
    __table_args__ = (UniqueConstraint("survey_id", "respondent_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(128))


class SurveyResponse(db.Model):
    __tablename__ = "survey_response"

    id: Mapped[str] = mapped_column(String(36), primary_key=True,
                                    default=lambda: str(uuid.uuid4()))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"))
    age_band: Mapped[str | None] = mapped_column(String(20))


class SurveyAnswer(db.Model):
    """One answer: a choice (one row per choice ticked), a number, or a text that is published
    only once staff approve it."""

    __tablename__ = "survey_answer"
    __table_args__ = (CheckConstraint("review IN ('pending', 'approved', 'withheld')",
                                      name="review_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), index=True)
    choice: Mapped[int | None]
    number: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str | None] = mapped_column(Text)
    review: Mapped[str] = mapped_column(String(10), default="pending")
