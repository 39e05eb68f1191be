"""Staff's survey forms; ``building`` checks everything again for every caller."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..cycles.forms import LocalDateTimeField
from ..number_inputs import WholeNumberField


def mode_choices() -> list[tuple[str, str]]:
    return [("account", _l("People with a confirmed account")),
            ("code", _l("People with a letter code")),
            ("link", _l("Anyone with the link (an open consultation; repeats cannot be stopped)"))]


def kind_choices() -> list[tuple[str, str]]:
    return [("single", _l("One choice")), ("multiple", _l("Several choices")),
            ("scale", _l("A scale from 1 to 5")), ("number", _l("A number")),
            ("text", _l("Free text"))]


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    title_es = StringField(_l("Title in Spanish"), validators=[Optional(), Length(max=200)])
    slug = StringField(_l("Web address (slug)"), validators=[
        DataRequired(), Length(max=80),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Use lower-case letters, digits and single hyphens."))])
    intro = TextAreaField(_l("Introduction"), validators=[Length(max=5000)])
    intro_es = TextAreaField(_l("Introduction in Spanish"), validators=[Optional(),
                                                                      Length(max=5000)])
    mode = SelectField(_l("Who may answer"), choices=mode_choices)
    opens_at = LocalDateTimeField(_l("Opens"), validators=[DataRequired()])
    closes_at = LocalDateTimeField(_l("Closes"), validators=[DataRequired()])
    breakdowns = BooleanField(_l("Ask for the neighbourhood and age band (for breakdowns)"))


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of answer"), choices=kind_choices)
    text = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    text_es = StringField(_l("Question in Spanish"), validators=[Optional(), Length(max=500)])
    options = TextAreaField(_l("Answers to choose from, one a line"),
                            validators=[Length(max=5000)])
    options_es = TextAreaField(_l("The same answers in Spanish, one a line"),
                               validators=[Length(max=5000)])
    required = BooleanField(_l("An answer is required"))
    metric = SelectField(_l("Feeds the metric"), choices=[], validate_choice=False)
    counts = StringField(_l("Answers the metric counts (their numbers, such as 1, 2)"),
                         validators=[Length(max=200)])


class CodesForm(FlaskForm):
    count = WholeNumberField(_l("How many codes"), default=100,
                             validators=[DataRequired(), NumberRange(min=1, max=10_000)])


class CodeForm(FlaskForm):
    """The letter code box on a code survey's page."""
