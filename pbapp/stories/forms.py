"""The story form and staff's moderation forms. Fields are read as text; the services check
every rule again (length, characters, consent, what it is about) for every caller."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField

from ..labels import N_

#: what the author agrees to, stored word for word (in the language shown) with the story
CONSENT = N_("I agree that this story may be published on this site and in its open data, under "
             "the name I chose, once staff have checked it. Staff may shorten it or take out "
             "details that could identify anyone. I can withdraw it at any time with the "
             "private link I am given, and it is then erased.")
NAME_LABELS = {"own": N_("My name on this site (%(name)s)"),
               "given": N_("Another name I give below"),
               "anonymous": N_("Anonymous")}


class StoryForm(FlaskForm):
    body = TextAreaField(_l("Your story"))
    neighbourhood = SelectField(_l("Neighbourhood"), validate_choice=False)
    project = SelectField(_l("Project"), validate_choice=False)
    metric = SelectField(_l("Measure"), validate_choice=False)
    name_choice = RadioField(_l("Publish it under"), validate_choice=False, default="anonymous")
    given_name = StringField(_l("The name to publish it under"))
    picture = FileField(_l("Picture (optional)"),
                        render_kw={"accept": "image/jpeg,image/png,image/webp"})
    picture_alt = StringField(_l("Describe the picture"))
    consent = BooleanField(_l("I agree to publication"))


class ApproveForm(FlaskForm):
    public_text = TextAreaField(_l("Text to publish"))
    public_text_es = TextAreaField(_l("Text to publish in Spanish (optional)"))


class DeclineForm(FlaskForm):
    reason = StringField(_l("Why it is declined (staff only)"))


class WithdrawForm(FlaskForm):
    """Only the CSRF token."""
