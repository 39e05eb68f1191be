"""Forms for boards, memberships and meetings. Rules that need the database live in services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _  # lazy: read in each request's language
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, DateTimeLocalField, RadioField, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, Optional, Regexp,
                                ValidationError)

from ..form_fields import CheckboxListField, TranslationFields
from ..number_inputs import coerce_id
from .services import SEAT_LABELS, SLUG_RE

try:
    from wtforms import SelectChoice as choice
except ImportError:  # WTForms before 3.3 takes plain pairs
    def choice(value, label):
        return (value, label)

EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EXISTING_ACCOUNT = ("existing", "They already have an account")
NEW_ACCOUNT = ("new", "Create an account for them (we email them a link to choose a password)")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class BoardForm(TranslationFields, FlaskForm):
    name = StringField(_("Name"), filters=[_strip], validators=[DataRequired(), Length(max=160)])
    slug = StringField(_("Web address"), filters=[_strip], validators=[
        DataRequired(), Length(max=80),
        Regexp(SLUG_RE, message=_("Use lower-case letters, digits and single hyphens."))])
    purpose = TextAreaField(_("Purpose"), validators=[Length(max=2000)])
    neighbourhoods = CheckboxListField(_("Neighbourhoods it serves"), coerce=coerce_id)
    charter = TextAreaField(_("Charter or memorandum of understanding"),
                            validators=[Length(max=50_000)], render_kw={"rows": 12})
    # Optional Spanish texts; residents reading in Spanish see them, else the originals above.
    name_es = StringField(_("Name in Spanish"), filters=[_strip],
                          validators=[Optional(), Length(max=160)])
    purpose_es = TextAreaField(_("Purpose in Spanish"), validators=[Optional(), Length(max=2000)])
    charter_es = TextAreaField(_("Charter in Spanish (optional)"),
                               validators=[Optional(), Length(max=50_000)], render_kw={"rows": 8})

    TRANSLATED = {"es": ("name", "purpose", "charter")}


class MembershipForm(FlaskForm):
    seat = SelectField(_("Seat"), choices=[choice(k, v) for k, v in SEAT_LABELS.items()])
    organisation = StringField(_("Organisation"), validators=[Length(max=160)])
    is_chair = BooleanField(_("Chair of this board"))
    term_start = DateField(_("Term starts"), validators=[InputRequired(message=_("Give a start date."))])
    term_end = DateField(_("Term ends"), validators=[Optional()])

    def validate_term_end(self, field):
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError("The term cannot end before it starts.")


class InviteForm(MembershipForm):
    account = RadioField(_("Account"), default="existing",
                         choices=[choice(*EXISTING_ACCOUNT), choice(*NEW_ACCOUNT)])
    email = StringField(_("Email"), filters=[_strip], validators=[
        DataRequired(), Length(max=254), Regexp(EMAIL_RE, message=_("Enter an email address."))])
    name = StringField(_("Name (for a new account)"), filters=[_strip], validators=[Length(max=120)])

    def existing_accounts_only(self) -> None:
        """For chairs: they may seat people who have accounts, not create accounts."""
        self.account.choices = [choice(*EXISTING_ACCOUNT)]

    def validate_name(self, field):
        if self.account.data == "new" and not field.data.strip():
            raise ValidationError("Give the new member's name.")


class MeetingForm(TranslationFields, FlaskForm):
    title = StringField(_("Title"), filters=[_strip],
                        validators=[DataRequired(), Length(max=160)])
    starts_at = DateTimeLocalField(_("Starts"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                   validators=[InputRequired(message=_("Give a date and time."))])
    location = StringField(_("Location"), validators=[Length(max=200)])
    agenda = TextAreaField(_("Agenda"), validators=[Length(max=50_000)], render_kw={"rows": 8})
    minutes = TextAreaField(_("Minutes"), validators=[Length(max=200_000)],
                            render_kw={"rows": 12})
    # Optional Spanish texts; residents reading in Spanish see them, else the originals above.
    title_es = StringField(_("Title in Spanish (optional)"), filters=[_strip],
                           validators=[Optional(), Length(max=160)])
    location_es = StringField(_("Location in Spanish (optional)"), filters=[_strip],
                              validators=[Optional(), Length(max=200)])
    agenda_es = TextAreaField(_("Agenda in Spanish (optional)"),
                              validators=[Optional(), Length(max=50_000)], render_kw={"rows": 6})
    minutes_es = TextAreaField(_("Minutes in Spanish (optional)"),
                               validators=[Optional(), Length(max=200_000)],
                               render_kw={"rows": 8})

    TRANSLATED = {"es": ("title", "location", "agenda", "minutes")}
