"""The comment forms; the services check lengths and characters again, for every caller."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .models import BODY_MAX, FLAG_REASON_MAX, HIDE_REASON_MAX


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[
        DataRequired(_l("Write your comment first.")),
        Length(max=BODY_MAX, message=_l("A comment is at most 5,000 characters."))])
    parent_id = HiddenField(validators=[Optional()])


class FlagForm(FlaskForm):
    reason = StringField(_l("Why should a moderator look at it?"), validators=[
        DataRequired(_l("Say why you flag this comment.")),
        Length(max=FLAG_REASON_MAX, message=_l("A reason is at most 500 characters."))])


class HideForm(FlaskForm):
    reason = StringField(_l("Public reason"), validators=[
        DataRequired(_l("Give the public reason for hiding it.")),
        Length(max=HIDE_REASON_MAX, message=_l("A reason is at most 300 characters."))])


class KeepForm(FlaskForm):
    """Only the CSRF token."""
