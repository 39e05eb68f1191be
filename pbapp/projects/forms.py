"""Forms for project updates, milestones, status, spending and metric targets; the services
repeat every rule."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _  # lazy: read in each request's language
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..cycles.models import Neighbourhood
from ..extensions import db
from ..images.forms import PictureFields
from ..metrics.models import Metric
from ..number_inputs import DecimalNumberField, coerce_id
from .models import REASON_REQUIRED, SPENDING_CATEGORIES, STATUS_LABELS

#: what each spending category means to a reader
SPENDING_LABELS = {"staff": "Staff", "services": "Services and contracts",
                   "equipment": "Equipment", "materials": "Materials", "events": "Events",
                   "other": "Other"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class UpdateForm(FlaskForm):
    title = StringField(_("Title"), filters=[_strip],
                        validators=[DataRequired(message=_("Give the update a title.")),
                                    Length(max=160)])
    body = TextAreaField(_("What happened"), filters=[_strip],
                         validators=[DataRequired(message=_("Write what happened.")),
                                     Length(max=20_000)], render_kw={"rows": 10})
    title_es = StringField(_("Title in Spanish (optional)"), filters=[_strip],
                           validators=[Optional(), Length(max=160)])
    body_es = TextAreaField(_("What happened, in Spanish (optional)"), filters=[_strip],
                            validators=[Optional(), Length(max=20_000)], render_kw={"rows": 6})

    def spanish(self) -> dict[str, dict[str, str]]:
        return {"es": {"title": self.title_es.data or "", "body": self.body_es.data or ""}}


class PictureForm(PictureFields, FlaskForm):
    """The project's own picture; without one the card shows the proposal's."""


class MilestoneForm(FlaskForm):
    title = StringField(_("Milestone"), filters=[_strip],
                        validators=[DataRequired(message=_("Give the milestone a title.")),
                                    Length(max=160)])
    due_on = DateField(_("Due on"), validators=[InputRequired(message=_("Give the date it is due."))])
    note = TextAreaField(_("Note"), filters=[_strip], validators=[Optional(), Length(max=2000)])
    title_es = StringField(_("Milestone in Spanish (optional)"), filters=[_strip],
                           validators=[Optional(), Length(max=160)])
    note_es = TextAreaField(_("Note in Spanish (optional)"), filters=[_strip],
                            validators=[Optional(), Length(max=2000)])

    def spanish(self) -> dict[str, dict[str, str]]:
        return {"es": {"title": self.title_es.data or "", "note": self.note_es.data or ""}}

    @staticmethod
    def spanish_data(milestone) -> dict[str, str]:
        texts = (milestone.translations or {}).get("es") or {} if milestone else {}
        return {"title_es": texts.get("title", ""), "note_es": texts.get("note", "")}


class CompleteMilestoneForm(FlaskForm):
    done_on = DateField(_("Done on"), validators=[Optional()])


class StatusForm(FlaskForm):
    status = SelectField(_("New status"), validators=[InputRequired(message=_("Choose a status."))])
    reason = TextAreaField(_("Reason (public)"), filters=[_strip],
                           validators=[Length(max=2000)])
    reason_es = TextAreaField(_("Reason in Spanish (optional)"), filters=[_strip],
                              validators=[Optional(), Length(max=2000)])

    def set_choices(self, statuses) -> "StatusForm":
        self.status.choices = [SelectChoice(s, STATUS_LABELS[s]) for s in statuses]
        return self

    def validate_reason(self, field) -> None:
        if self.status.data in REASON_REQUIRED and not field.data:
            raise ValidationError(f"Say why the project is "
                                  f"{STATUS_LABELS[self.status.data].lower()}; residents will "
                                  "read it.")


class SpendingForm(FlaskForm):
    spent_on = DateField(_("Date paid"), validators=[InputRequired(message=_("Give the date of the "
                                                                         "payment."))])
    # text, not a number field: "1250.50" is parsed exactly by the service, never as a float
    amount = StringField(_("Amount"), filters=[_strip],
                         validators=[DataRequired(message=_("Give the amount."))],
                         render_kw={"inputmode": "decimal", "autocomplete": "off"})
    category = SelectField(_("Category"), choices=[SelectChoice(c, SPENDING_LABELS[c])
                                                for c in SPENDING_CATEGORIES],
                           validate_choice=False)
    payee = StringField(_("Paid to"), filters=[_strip],
                        validators=[DataRequired(message=_("Say who was paid.")), Length(max=160)])
    note = TextAreaField(_("Note"), filters=[_strip], validators=[Optional(), Length(max=2000)])


_NONE = 0


class TargetForm(FlaskForm):
    metric = SelectField(_("Metric"), coerce=coerce_id, validate_choice=False)
    neighbourhood = SelectField(_("Neighbourhood (optional)"), coerce=coerce_id, default=_NONE,
                                validate_choice=False)
    baseline_value = DecimalNumberField(_("Baseline value"), validators=[InputRequired(
        message=_("Give the baseline value as a number."))])
    baseline_period = StringField(_("Baseline period"), filters=[_strip], validators=[
        DataRequired(message=_("Say which period the baseline describes.")), Length(max=60)])
    baseline_on = DateField(_("Baseline period ends"), validators=[InputRequired(
        message=_("Give the last day of the baseline period."))])
    target_value = DecimalNumberField(_("Target value"), validators=[InputRequired(
        message=_("Give the target value as a number."))])
    target_on = DateField(_("Target date"), validators=[InputRequired(
        message=_("Give the date the target should be reached by."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        metrics = db.session.scalars(select(Metric).order_by(Metric.name)).all()
        locale = get_locale()
        self.metric.choices = [(_NONE, "Choose a metric")] + [(m.id, m.text("name", locale))
                                                              for m in metrics]
        places = db.session.execute(select(Neighbourhood.id, Neighbourhood.name)
                                    .order_by(Neighbourhood.name)).all()
        self.neighbourhood.choices = [(_NONE, "Whole city")] + [(n.id, n.name) for n in places]

    def validate_metric(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose a metric from the catalogue.")
