"""Residents' survey pages: the list, answering (a plain POST form), and the results."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import literal, select

from .. import page_memory
from ..cycles.models import Neighbourhood
from ..extensions import db, limiter
from ..metrics.models import Measurement, Metric
from ..metrics.tables import HIDDEN_MEANING, HIDDEN_TEXT
from ..models_base import utcnow
from ..reports.participation import age_band_label
from ..voting.roll import AGE_BANDS
from . import bp
from . import services as svc
from .forms import CodeForm
from .models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from .results import BREAKDOWNS, NOT_GIVEN

page_memory.watch(Survey)

#: per address, counted only when a response was stored
RESPONSES_PER_ADDRESS = "30 per hour"
DONE = "pbapp.survey_done"


def survey_or_404(slug: str) -> Survey:
    if len(slug) > 80:
        abort(404)
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None:
        abort(404)
    return survey


def visible(query):
    """Residents see a survey once it has opened."""
    return query.where(Survey.opens_at <= utcnow())


@bp.app_template_global()
def open_surveys() -> list[Survey]:
    """The surveys taking answers now, for the home page."""
    now = utcnow()
    return list(db.session.scalars(select(Survey).where(
        Survey.closed_at.is_(None), Survey.opens_at <= now, Survey.closes_at > now)
        .order_by(Survey.closes_at)))


@bp.app_template_global()
def surveys_feeding(metric: Metric) -> list[Survey]:
    """The closed surveys whose answers fed ``metric`` (for the metric's page): not one whose
    measurement the metric's agreement refused."""
    fed = select(SurveyQuestion.survey_id).where(SurveyQuestion.metric_id == metric.id)
    measured = select(Measurement.id).where(Measurement.metric_id == metric.id,
                                            Measurement.note == literal("Survey: ") + Survey.slug)
    return list(db.session.scalars(
        select(Survey).where(Survey.id.in_(fed), Survey.closed_at.is_not(None),
                             measured.exists())
        .order_by(Survey.closed_at.desc())))


@bp.get("/surveys")
def index():
    surveys = db.session.scalars(visible(select(Survey)).order_by(Survey.opens_at.desc())).all()
    return render_template("surveys/index.html", surveys=surveys, now=utcnow())


def _page(survey: Survey, status: int = 200, error: str | None = None, given=None):
    who_key = None
    if current_user.is_authenticated and current_user.email_verified_at is not None \
            and survey.mode != "code":
        who_key = svc.voter_key("user", current_user.voter_id)
    hoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)).all()
    defaults = {}
    if current_user.is_authenticated:
        defaults = {"neighbourhood": str(current_user.neighbourhood_id or ""),
                    "age_band": svc.account_band(survey, current_user) or ""}
    return render_template(
        "surveys/show.html", survey=survey, form=CodeForm(), error=error,
        given=given, defaults=defaults, locale=get_locale(), now=utcnow(),
        answered=bool(who_key) and svc.has_answered(survey, who_key),
        hoods=hoods, age_bands=AGE_BANDS, band_label=age_band_label), status


@bp.get("/surveys/<slug>")
def show(slug: str):
    survey = survey_or_404(slug)
    if survey.opens_at > utcnow() and not getattr(current_user, "is_staff", False):
        abort(404)
    return _page(survey)[0]


def _done(_response) -> bool:
    return request.environ.get(DONE, False)


@bp.post("/surveys/<slug>")
@limiter.limit(lambda: current_app.config.get("SURVEY_RESPONSES_PER_ADDRESS",
                                              RESPONSES_PER_ADDRESS),
               deduct_when=_done, scope="survey-responses-address")
def answer(slug: str):
    survey = survey_or_404(slug)
    if not CodeForm().validate_on_submit():
        return _page(survey, 400, _("The form had expired; nothing was sent. Try again."),
                     request.form)
    if survey.mode == "account" and not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path), 302)
    try:
        who = svc.respondent(survey, current_user, request.form.get("code"))
        answers = svc.check_answers(survey, request.form, get_locale())
        svc.submit(survey, who, answers)
    except svc.Refused as error:
        db.session.rollback()
        return _page(survey, 400, str(error), request.form)
    db.session.commit()
    request.environ[DONE] = True
    flash(_("Thank you: your answers are recorded. The results are published when the survey "
            "closes."), "success")
    return redirect(url_for(".show", slug=survey.slug), 303)


def approved_texts(survey: Survey) -> dict[int, list[str]]:
    """Each question's approved free-text answers, in alphabetical order (never by who wrote
    them or when)."""
    rows = db.session.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.review == "approved",
               SurveyAnswer.text.is_not(None))).all()
    out: dict[int, list[str]] = {}
    for qid, text in sorted(rows, key=lambda r: (r[0], r[1].casefold())):
        out.setdefault(qid, []).append(text)
    return out


def cell_text(cell) -> str:
    value, hidden = cell
    if hidden:
        return HIDDEN_TEXT.get(hidden, "—")
    return "–" if value is None else f"{int(value):,}"


def share(cell, n) -> str | None:
    """A share only when both its count and the number who answered are shown."""
    if cell[1] or n[1] or cell[0] is None or not n[0]:
        return None
    return f"{cell[0] / n[0] * 100:.1f}"


@bp.get("/surveys/<slug>/results")
def results(slug: str):
    survey = survey_or_404(slug)
    if survey.closed_at is None or survey.results is None:
        return render_template("surveys/not_yet.html", survey=survey), 404
    hoods = dict(db.session.execute(select(Neighbourhood.slug, Neighbourhood.name)).all())
    meanings = {HIDDEN_TEXT[r]: _(m) for r, m in HIDDEN_MEANING.items()}
    return render_template("surveys/results.html", survey=survey, results=survey.results,
                           texts=approved_texts(survey), cell_text=cell_text, share=share,
                           hoods=hoods, breakdowns=BREAKDOWNS, not_given=NOT_GIVEN,
                           locale=get_locale(), meanings=meanings,
                           band_label=age_band_label)
