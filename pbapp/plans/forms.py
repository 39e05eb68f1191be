"""Forms for plans, actions, progress notes, targets and the yearly review. They read the types
(dates, numbers, ids); the services check every rule again and name the field at fault."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from ..form_fields import CheckboxListField, TranslationFields
from ..labels import N_
from ..number_inputs import DecimalNumberField, coerce_id

#: the board's word for an action, as people read it
STATUS_LABELS = {"planned": N_("To do"), "under_way": N_("Under way"), "done": N_("Done"),
                 "dropped": N_("Dropped")}
#: what the public reads for an action (``services.action_state``)
STATE_LABELS = {"planned": N_("Not started"), "on_track": N_("On track"), "late": N_("Late"),
                "done": N_("Done"), "dropped": N_("Dropped")}
PLAN_STATUS_LABELS = {"draft": N_("Draft (not public)"), "published": N_("Published"),
                      "closed": N_("Closed by its yearly review")}


def _date(label, message):
    return DateField(label, validators=[InputRequired(message=message)])


class PlanForm(TranslationFields, FlaskForm):
    title = StringField(_l("Title of the plan"))
    period_start = _date(_l("First day of the plan"), _l("Give the plan's first day."))
    period_end = _date(_l("Last day of the plan"), _l("Give the plan's last day."))
    needs = TextAreaField(_l("Needs assessment"))
    neighbourhoods = CheckboxListField(_l("Neighbourhoods it targets"), coerce=coerce_id)
    metrics = CheckboxListField(_l("Figures from the metric catalogue it rests on"),
                                coerce=coerce_id)
    title_es = StringField(_l("Title in Spanish"))
    needs_es = TextAreaField(_l("Needs assessment in Spanish"))

    TRANSLATED = {"es": ("title", "needs")}


class ActionForm(TranslationFields, FlaskForm):
    title = StringField(_l("What will be done"))
    description = TextAreaField(_l("Details"))
    lead_id = SelectField(_l("Lead organisation (a board seat)"), coerce=coerce_id,
                          validate_choice=False)
    partner_ids = CheckboxListField(_l("Partners on the board"), coerce=coerce_id)
    partners_text = StringField(_l("Other partners"))
    due_on = _date(_l("Due on"), _l("Give the date it is due."))
    status = SelectField(_l("Status"))
    project_ids = CheckboxListField(_l("Projects that carry it out"), coerce=coerce_id)
    proposal_ids = CheckboxListField(_l("Proposals that carry it out"), coerce=coerce_id)
    title_es = StringField(_l("What will be done, in Spanish"))
    description_es = TextAreaField(_l("Details in Spanish"))
    partners_text_es = StringField(_l("Other partners, in Spanish"))

    TRANSLATED = {"es": ("title", "description", "partners_text")}


class NoteForm(TranslationFields, FlaskForm):
    noted_on = _date(_l("Date of the note"), _l("Give the date of the note."))
    body = TextAreaField(_l("Progress note"))
    body_es = TextAreaField(_l("Progress note in Spanish"))

    TRANSLATED = {"es": ("body",)}


class TargetForm(FlaskForm):
    metric_id = SelectField(_l("Metric"), coerce=coerce_id, validate_choice=False)
    neighbourhood_id = SelectField(_l("Where"), coerce=coerce_id, default=0,
                                   validate_choice=False)
    baseline_on = _date(_l("Baseline: the figures of the period ending on or before"),
                        _l("Give the baseline date."))
    target_value = DecimalNumberField(_l("Target"), low=0, validators=[InputRequired(
        message=_l("Give the target as a number."))])
    target_on = _date(_l("Target date"), _l("Give the target date."))


class ReviewForm(FlaskForm):
    review = TextAreaField(_l("What the review found"))
    review_es = TextAreaField(_l("What the review found, in Spanish"))
    next_title = StringField(_l("Title of the next plan"))
    next_title_es = StringField(_l("Title of the next plan, in Spanish"))
    next_start = _date(_l("The next plan's first day"), _l("Give the next plan's first day."))
    next_end = _date(_l("The next plan's last day"), _l("Give the next plan's last day."))


class EmptyForm(FlaskForm):
    """A POST button's CSRF check."""

