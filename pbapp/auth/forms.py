"""Forms for signing up, signing in and managing accounts."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _  # lazy: read in each request's language
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..cycles.models import Neighbourhood
from ..extensions import db
from ..models_base import utcnow
from ..number_inputs import WholeNumberField, coerce_id
from .models import ROLES
from .services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NO_NEIGHBOURHOOD = 0


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email_shape(form, field) -> None:
    if field.data and not _EMAIL.fullmatch(field.data):
        raise ValidationError(_("Enter an email address like name@example.org."))


def _birth_year(form, field) -> None:
    if field.data is not None and not 1900 <= field.data <= utcnow().year:
        raise ValidationError(_("Enter a year between 1900 and %(year)s.", year=utcnow().year))


def _email_field() -> EmailField:
    return EmailField(_("Email address"), filters=[_strip],
                      validators=[DataRequired(_("Enter your email address.")), Length(max=254),
                                  _email_shape])


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(label, render_kw={"autocomplete": "new-password"}, validators=[
        DataRequired(_("Choose a password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
               message=_("Use between %(min)d and %(max)d characters.")),
    ])


def _name_field() -> StringField:
    return StringField(_("Name"), filters=[_strip],
                       validators=[DataRequired(_("Enter a name.")), Length(max=120)])


def _confirm_field() -> PasswordField:
    return PasswordField(_("Repeat the password"), render_kw={"autocomplete": "new-password"},
                         validators=[
        DataRequired(_("Repeat the password.")),
        EqualTo("password", _("The passwords do not match."))])


class DetailsForm(FlaskForm):
    """Name, neighbourhood and birth year: the last two decide where the account may vote."""
    name = _name_field()
    neighbourhood = SelectField(_("Neighbourhood"), coerce=coerce_id, default=NO_NEIGHBOURHOOD)
    birth_year = WholeNumberField(_("Birth year"), validators=[Optional(), _birth_year])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = db.session.execute(select(Neighbourhood.id, Neighbourhood.name)
                                  .order_by(Neighbourhood.name)).all()
        self.neighbourhood.choices = [(NO_NEIGHBOURHOOD, _("Not given"))] + \
            [(row.id, row.name) for row in rows]

    @property
    def neighbourhood_id(self) -> int | None:
        return self.neighbourhood.data or None


class RegisterForm(FlaskForm):
    name = _name_field()
    email = _email_field()
    password = _new_password_field(_("Password"))
    confirm = _confirm_field()
    neighbourhood = SelectField(_("Neighbourhood"), coerce=coerce_id,
                                default=NO_NEIGHBOURHOOD)
    birth_year = WholeNumberField(_("Birth year"), validators=[Optional(), _birth_year])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = db.session.execute(select(Neighbourhood.id, Neighbourhood.name)
                                  .order_by(Neighbourhood.name)).all()
        self.neighbourhood.choices = [(NO_NEIGHBOURHOOD, _("Prefer not to say"))] + \
            [(row.id, row.name) for row in rows]

    @property
    def neighbourhood_id(self) -> int | None:
        return self.neighbourhood.data or None


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_("Password"), validators=[DataRequired(_("Enter your password."))])


class SignInLinkForm(FlaskForm):
    email = _email_field()


class NewPasswordForm(FlaskForm):
    password = _new_password_field(_("New password"))
    confirm = _confirm_field()


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_("Current password"), render_kw={"autocomplete": "current-password"},
                            validators=[DataRequired(_("Enter your current password."))])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_("Your password"),
                             validators=[DataRequired(_("Enter your password."))])


class ButtonForm(FlaskForm):
    """Only the CSRF token: the page's URL says what the button does."""


class StaffForm(FlaskForm):
    name = _name_field()
    email = _email_field()
    password = _new_password_field(_("First password"))


class RoleForm(FlaskForm):
    role = SelectField(_("Role"), choices=list(ROLES))
