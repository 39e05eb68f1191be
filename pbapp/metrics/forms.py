"""Staff forms for the metric catalogue, measurements and the CSV import.

The measurement form takes text and leaves every rule to ``services.check_row``, which the CSV
import applies too, so both refuse the same values with the same words.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _  # lazy: read in each request's language
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..form_fields import TranslationFields
from ..number_inputs import WholeNumberField
from .models import BREAKDOWNS, DIRECTIONS, FREQUENCIES, KINDS, SCOPES, SOURCES
from .tables import BREAKDOWN_LABELS

KIND_LABELS = {"count": _("Count (people or events)"), "percent": _("Percentage (numerator over "
               "denominator)"), "rate": _("Rate per a number of residents"), "median": _("Median")}
DIRECTION_LABELS = {"lower": _("Lower is better"), "higher": _("Higher is better")}
SOURCE_LABELS = {"police": _("Police"), "hospital": _("Hospital"), "ambulance": _("Ambulance"),
                 "survey": _("Survey"), "council": _("Council"), "partner": _("Partner")}
FREQUENCY_LABELS = {"monthly": _("Monthly"), "quarterly": _("Quarterly"), "yearly": _("Yearly")}
SCOPE_LABELS = {"city": _("City"), "neighbourhood": _("Neighbourhood"), "project": _("Project")}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label, limit: int, required=None, area: bool = False):
    checks = [DataRequired(message=required)] if required else [Optional()]
    kind = TextAreaField if area else StringField
    return kind(label, filters=[_strip], validators=[*checks, Length(max=limit)],
                render_kw={"rows": 3} if area else None)


class MetricForm(TranslationFields, FlaskForm):
    key = _text(_("Key"), 60, _("Give the metric a key."))
    name = _text(_("Name"), 160, _("Give the metric a name."))
    definition = _text(_("Definition"), 5000, area=True)
    unit = _text(_("Unit"), 40)
    kind = SelectField(_("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS])
    rate_per = WholeNumberField(_("Rate per"), validators=[Optional(), NumberRange(min=1)])
    better = SelectField(_("Which way is better"), choices=[SelectChoice(d, DIRECTION_LABELS[d])
                                                          for d in DIRECTIONS])
    source = SelectField(_("Source"), choices=[SelectChoice(s, SOURCE_LABELS[s]) for s in SOURCES])
    supplier = _text(_("Supplier"), 160)
    frequency = SelectField(_("Update frequency"), choices=[SelectChoice(f, FREQUENCY_LABELS[f])
                                                         for f in FREQUENCIES])
    sharing_what = _text(_("What is shared"), 5000, area=True)
    sharing_consent = _text(_("Consent"), 5000, area=True)
    sharing_retention = _text(_("Retention"), 5000, area=True)
    # Optional Spanish words; residents reading in Spanish see them, else the originals above.
    name_es = _text(_("Name in Spanish (optional)"), 160)
    definition_es = _text(_("Definition in Spanish (optional)"), 5000, area=True)
    unit_es = _text(_("Unit in Spanish (optional)"), 40)
    sharing_what_es = _text(_("What is shared, in Spanish (optional)"), 5000, area=True)
    sharing_consent_es = _text(_("Consent, in Spanish (optional)"), 5000, area=True)
    sharing_retention_es = _text(_("Retention, in Spanish (optional)"), 5000, area=True)

    TRANSLATED = {"es": ("name", "definition", "unit", "sharing_what", "sharing_consent",
                         "sharing_retention")}


class MeasurementForm(FlaskForm):
    # the choices are checked by the service, with the words the CSV import uses
    scope = SelectField(_("Scope"), choices=[SelectChoice(s, SCOPE_LABELS[s]) for s in SCOPES],
                        validate_choice=False)
    neighbourhood = SelectField(_("Neighbourhood"), choices=[], validate_choice=False)
    project = SelectField(_("Project"), choices=[], validate_choice=False)
    period_start = StringField(_("Period start"), filters=[_strip], render_kw={"type": "date"})
    period_end = StringField(_("Period end"), filters=[_strip], render_kw={"type": "date"})
    value = StringField(_("Value"), filters=[_strip], render_kw={"inputmode": "decimal"})
    numerator = StringField(_("Numerator"), filters=[_strip], render_kw={"inputmode": "numeric"})
    denominator = StringField(_("Denominator"), filters=[_strip],
                              render_kw={"inputmode": "numeric"})
    breakdown = SelectField(_("Breakdown"), choices=[
        SelectChoice(b, str(BREAKDOWN_LABELS[b])) for b in ("", *BREAKDOWNS)],
        validate_choice=False)
    group = StringField(_("Group"), filters=[_strip])
    source = StringField(_("Source"), filters=[_strip])
    note = TextAreaField(_("Note"), filters=[_strip], render_kw={"rows": 3})

    def set_choices(self, neighbourhoods, projects) -> "MeasurementForm":
        self.neighbourhood.choices = [SelectChoice("", "—")] + [
            SelectChoice(h.slug, h.name) for h in neighbourhoods]
        self.project.choices = [SelectChoice("", "—")] + [
            SelectChoice(str(p.id), f"{p.title} (#{p.id})") for p in projects]
        return self

    def raw(self) -> dict[str, str]:
        """The entry as the CSV import would read it, for ``services.check_row``."""
        ref = {"neighbourhood": self.neighbourhood.data, "project": self.project.data}
        return {"scope": self.scope.data or "", "scope_ref": ref.get(self.scope.data) or "",
                **{name: getattr(self, name).data or "" for name in (
                    "period_start", "period_end", "value", "numerator", "denominator",
                    "breakdown", "group", "source", "note")}}


class ImportForm(FlaskForm):
    file = FileField(_("Measurements (CSV)"), validators=[
        FileRequired(message=_("Choose the CSV file to import.")),
        FileAllowed(["csv", "txt"], message=_("Upload a .csv file."))])
