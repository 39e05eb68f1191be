"""Staff build surveys, hand out letter codes, review free-text answers and close surveys."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import staff_required
from ..extensions import db
from ..metrics.models import Metric
from . import bp, building
from . import services as svc
from .forms import CodeForm, CodesForm, QuestionForm, SurveyForm
from .models import SurveyAnswer, SurveyQuestion, SurveyResponse
from .views import survey_or_404


def _actor():
    return current_user._get_current_object()


def _first_error(form) -> str:
    return next((f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()
                 if name in form and errors),
                _("The form had expired; nothing was saved. Try again."))


def _question_form() -> QuestionForm:
    form = QuestionForm()
    form.metric.choices = [("", _("No metric"))] + [
        (m.key, m.text("name", "en")) for m in db.session.scalars(
            select(Metric).where(Metric.kind != "median").order_by(Metric.name))]
    return form


@bp.get("/staff/surveys")
@staff_required
def staff_index():
    from .models import Survey

    surveys = db.session.scalars(select(Survey).order_by(Survey.id.desc())).all()
    return render_template("surveys/staff_index.html", surveys=surveys)


def _survey_data(form: SurveyForm) -> dict:
    return {name: form[name].data for name in ("slug", "title", "title_es", "intro", "intro_es",
                                               "mode", "opens_at", "closes_at", "breakdowns")}


@bp.route("/staff/surveys/new", methods=["GET", "POST"])
@staff_required
def new():
    form = SurveyForm()
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise svc.Refused(_first_error(form))
            survey = building.save_survey(None, _survey_data(form), _actor())
        except svc.Refused as error:
            db.session.rollback()
            return render_template("surveys/form.html", form=form, survey=None,
                                   error=str(error)), 400
        db.session.commit()
        flash(_("The survey is saved; now add its questions."), "success")
        return redirect(url_for(".edit", slug=survey.slug), 303)
    return render_template("surveys/form.html", form=form, survey=None, error=None)


def _edit_page(survey, form=None, qform=None, error=None, status=200):
    if form is None:
        es = (survey.translations or {}).get("es") or {}
        form = SurveyForm(obj=survey, title_es=es.get("title", ""), intro_es=es.get("intro", ""))
    return render_template("surveys/form.html", form=form, survey=survey,
                           qform=qform or _question_form(), codes_form=CodesForm(),
                           action_form=CodeForm(), error=error,
                           answered=building.answered(survey)), status


@bp.route("/staff/surveys/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit(slug: str):
    survey = survey_or_404(slug)
    if request.method == "GET":
        return _edit_page(survey)
    form = SurveyForm()
    try:
        if not form.validate_on_submit():
            raise svc.Refused(_first_error(form))
        building.save_survey(survey, _survey_data(form), _actor())
    except svc.Refused as error:
        db.session.rollback()
        return _edit_page(survey_or_404(slug), form, error=str(error), status=400)
    db.session.commit()
    flash(_("The survey is saved."), "success")
    return redirect(url_for(".edit", slug=survey.slug), 303)


@bp.post("/staff/surveys/<slug>/questions")
@staff_required
def add_question(slug: str):
    survey = survey_or_404(slug)
    qform = _question_form()
    try:
        if not qform.validate_on_submit():
            raise svc.Refused(_first_error(qform))
        building.add_question(survey, {name: qform[name].data for name in (
            "kind", "text", "text_es", "options", "options_es", "required", "metric",
            "counts")}, _actor())
    except svc.Refused as error:
        db.session.rollback()
        return _edit_page(survey_or_404(slug), qform=qform, error=str(error), status=400)
    db.session.commit()
    flash(_("The question is added."), "success")
    return redirect(url_for(".edit", slug=slug, _anchor="questions"), 303)


@bp.post("/staff/surveys/<slug>/questions/<int:question_id>/remove")
@staff_required
def remove_question(slug: str, question_id: int):
    survey = survey_or_404(slug)
    question = db.session.get(SurveyQuestion, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    try:
        if not CodeForm().validate_on_submit():
            raise svc.Refused(_("The form had expired; nothing was saved. Try again."))
        building.remove_question(question, _actor())
    except svc.Refused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".edit", slug=slug), 303)
    db.session.commit()
    flash(_("The question is removed."), "success")
    return redirect(url_for(".edit", slug=slug, _anchor="questions"), 303)


@bp.post("/staff/surveys/<slug>/codes")
@staff_required
def make_codes(slug: str):
    survey = survey_or_404(slug)
    form = CodesForm()
    try:
        if not form.validate_on_submit():
            raise svc.Refused(_first_error(form))
        codes = svc.make_codes(survey, form.count.data, _actor())
    except svc.Refused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".edit", slug=slug), 303)
    db.session.commit()
    return render_template("surveys/codes.html", survey=survey, codes=codes)


@bp.post("/staff/surveys/<slug>/close")
@staff_required
def close(slug: str):
    survey = survey_or_404(slug)
    try:
        if not CodeForm().validate_on_submit():
            raise svc.Refused(_("The form had expired; nothing was saved. Try again."))
        closed = svc.close(survey, _actor())
    except svc.Refused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".edit", slug=slug), 303)
    db.session.commit()
    flash(_("The survey is closed and its results are published.") if closed
          else _("The survey was closed already; nothing changed."), "success")
    for why in (closed.refused if closed else ()):
        flash(why, "error")
    return redirect(url_for(".results", slug=slug), 303)


@bp.get("/staff/surveys/<slug>/review")
@staff_required
def review(slug: str):
    survey = survey_or_404(slug)
    answers = db.session.execute(
        select(SurveyAnswer, SurveyQuestion)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.review != "pending", SurveyQuestion.position, SurveyAnswer.id)
    ).all()
    return render_template("surveys/review.html", survey=survey, answers=answers)


@bp.post("/staff/surveys/answers/<int:answer_id>/review")
@staff_required
def review_answer(answer_id: int):
    answer = db.session.get(SurveyAnswer, answer_id)
    if answer is None:
        abort(404)
    survey = db.session.get(SurveyQuestion, answer.question_id).survey
    try:
        if not CodeForm().validate_on_submit():
            raise svc.Refused(_("The form had expired; nothing was saved. Try again."))
        svc.review(answer, request.form.get("decision", ""), _actor())
    except svc.Refused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".review", slug=survey.slug), 303)
    db.session.commit()
    flash(_("The answer is published.") if answer.review == "approved"
          else _("The answer is withheld."), "success")
    return redirect(url_for(".review", slug=survey.slug, _anchor=f"answer-{answer.id}"), 303)
