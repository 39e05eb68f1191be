"""Forms for project updates, milestones and status; the services repeat every rule."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from .models import REASON_REQUIRED, STATUS_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class UpdateForm(FlaskForm):
    title = StringField("Title", filters=[_strip],
                        validators=[DataRequired(message="Give the update a title."),
                                    Length(max=160)])
    body = TextAreaField("What happened", filters=[_strip],
                         validators=[DataRequired(message="Write what happened."),
                                     Length(max=20_000)], render_kw={"rows": 10})


class MilestoneForm(FlaskForm):
    title = StringField("Milestone", filters=[_strip],
                        validators=[DataRequired(message="Give the milestone a title."),
                                    Length(max=160)])
    due_on = DateField("Due on", validators=[InputRequired(message="Give the date it is due.")])
    note = TextAreaField("Note", filters=[_strip], validators=[Optional(), Length(max=2000)])


class CompleteMilestoneForm(FlaskForm):
    done_on = DateField("Done on", validators=[Optional()])


class StatusForm(FlaskForm):
    status = SelectField("New status", validators=[InputRequired(message="Choose a status.")])
    reason = TextAreaField("Reason (public)", filters=[_strip],
                           validators=[Length(max=2000)])

    def set_choices(self, statuses) -> "StatusForm":
        self.status.choices = [SelectChoice(s, STATUS_LABELS[s]) for s in statuses]
        return self

    def validate_reason(self, field) -> None:
        if self.status.data in REASON_REQUIRED and not field.data:
            raise ValidationError(f"Say why the project is "
                                  f"{STATUS_LABELS[self.status.data].lower()}; residents will "
                                  "read it.")
