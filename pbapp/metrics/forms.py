"""Staff forms for the metric catalogue, measurements and the CSV import.

The measurement form takes text and leaves every rule to ``services.check_row``, which the CSV
import applies too, so both refuse the same values with the same words.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..number_inputs import WholeNumberField
from .models import BREAKDOWNS, DIRECTIONS, FREQUENCIES, KINDS, SCOPES, SOURCES
from .tables import BREAKDOWN_LABELS

KIND_LABELS = {"count": "Count (people or events)", "percent": "Percentage (numerator over "
               "denominator)", "rate": "Rate per a number of residents", "median": "Median"}
DIRECTION_LABELS = {"lower": "Lower is better", "higher": "Higher is better"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label: str, limit: int, required: str | None = None, area: bool = False):
    checks = [DataRequired(message=required)] if required else [Optional()]
    kind = TextAreaField if area else StringField
    return kind(label, filters=[_strip], validators=[*checks, Length(max=limit)],
                render_kw={"rows": 3} if area else None)


class MetricForm(FlaskForm):
    key = _text("Key", 60, "Give the metric a key.")
    name = _text("Name", 160, "Give the metric a name.")
    definition = _text("Definition", 5000, area=True)
    unit = _text("Unit", 40)
    kind = SelectField("Kind", choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS])
    rate_per = WholeNumberField("Rate per", validators=[Optional(), NumberRange(min=1)])
    better = SelectField("Which way is better", choices=[SelectChoice(d, DIRECTION_LABELS[d])
                                                          for d in DIRECTIONS])
    source = SelectField("Source", choices=[SelectChoice(s, s.capitalize()) for s in SOURCES])
    supplier = _text("Supplier", 160)
    frequency = SelectField("Update frequency", choices=[SelectChoice(f, f.capitalize())
                                                         for f in FREQUENCIES])
    sharing_what = _text("What is shared", 5000, area=True)
    sharing_consent = _text("Consent", 5000, area=True)
    sharing_retention = _text("Retention", 5000, area=True)


class MeasurementForm(FlaskForm):
    # the choices are checked by the service, with the words the CSV import uses
    scope = SelectField("Scope", choices=[SelectChoice(s, s.capitalize()) for s in SCOPES],
                        validate_choice=False)
    neighbourhood = SelectField("Neighbourhood", choices=[], validate_choice=False)
    project = SelectField("Project", choices=[], validate_choice=False)
    period_start = StringField("Period start", filters=[_strip], render_kw={"type": "date"})
    period_end = StringField("Period end", filters=[_strip], render_kw={"type": "date"})
    value = StringField("Value", filters=[_strip], render_kw={"inputmode": "decimal"})
    numerator = StringField("Numerator", filters=[_strip], render_kw={"inputmode": "numeric"})
    denominator = StringField("Denominator", filters=[_strip],
                              render_kw={"inputmode": "numeric"})
    breakdown = SelectField("Breakdown", choices=[
        SelectChoice(b, str(BREAKDOWN_LABELS[b])) for b in ("", *BREAKDOWNS)],
        validate_choice=False)
    group = StringField("Group", filters=[_strip])
    source = StringField("Source", filters=[_strip])
    note = TextAreaField("Note", filters=[_strip], render_kw={"rows": 3})

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
    file = FileField("Measurements (CSV)", validators=[
        FileRequired(message="Choose the CSV file to import."),
        FileAllowed(["csv", "txt"], message="Upload a .csv file.")])
