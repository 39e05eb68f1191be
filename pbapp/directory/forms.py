"""The entry form (English, with optional Spanish texts), the search form and the import."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..form_fields import CheckboxListField, TranslationFields
from ..labels import N_
from ..number_inputs import coerce_id
from . import checks
from .checks import CheckFailed
from .models import CATEGORIES

CATEGORY_LABELS = {
    "housing": N_("Housing and shelter"), "food": N_("Food"), "health": N_("Health"),
    "mental_health": N_("Mental health"), "substance_use": N_("Alcohol and drugs"),
    "legal": N_("Legal advice"), "victim_support": N_("Support after a crime"),
    "family": N_("Families and children"), "youth": N_("Young people"),
    "employment": N_("Work and money"), "education": N_("Learning"), "other": N_("Other"),
}
#: languages offered in the entry form (an import may bring others)
FORM_LANGUAGES = ("en", "es", "fr", "pt", "ar", "zh", "vi", "so", "ht", "ru", "asl")


def category_label(code: str) -> str:
    return gettext(CATEGORY_LABELS[code]) if code in CATEGORY_LABELS else code


def _checked(check, *args, **kw):
    """A WTForms validator from one of ``checks``: its cleaned value replaces the data."""
    def validate(_form, field):
        try:
            field.data = check(field.data, *args, **kw)
        except CheckFailed as error:
            raise ValidationError(gettext("This %(problem)s.",
                                          problem=error.words(gettext))) from None
    return validate


class ServiceForm(TranslationFields, FlaskForm):
    name = StringField(_l("Name of the service"),
                       validators=[DataRequired(), _checked(checks.text, 200)])
    organization = StringField(_l("Organisation that runs it"),
                               validators=[_checked(checks.text, 200)])
    board_id = SelectField(_l("Board that keeps this entry"), coerce=coerce_id)
    category = SelectField(_l("What it helps with"))
    description = TextAreaField(_l("What it offers"),
                                validators=[_checked(checks.text, 4000, multiline=True)])
    eligibility = TextAreaField(_l("Who it is for"),
                                validators=[_checked(checks.text, 1000, multiline=True)])
    address = StringField(_l("Address"), validators=[_checked(checks.text, 200)])
    city = StringField(_l("Town or city"), validators=[_checked(checks.text, 100)])
    postal_code = StringField(_l("Postcode"), validators=[_checked(checks.text, 20)])
    neighbourhoods = CheckboxListField(_l("Neighbourhoods it covers"), coerce=coerce_id)
    hours = StringField(_l("Opening hours"), validators=[_checked(checks.text, 500)])
    languages = CheckboxListField(_l("Languages spoken"))
    phone = StringField(_l("Phone"), validators=[_checked(checks.phone)])
    email = StringField(_l("Email"), validators=[_checked(checks.email)])
    website = StringField(_l("Website"), validators=[_checked(checks.website)])
    projects = CheckboxListField(_l("Projects that use it"), coerce=coerce_id)
    name_es = StringField(_l("Name in Spanish"), validators=[_checked(checks.text, 200)])
    description_es = TextAreaField(_l("What it offers, in Spanish"),
                                   validators=[_checked(checks.text, 4000, multiline=True)])
    eligibility_es = TextAreaField(_l("Who it is for, in Spanish"),
                                   validators=[_checked(checks.text, 1000, multiline=True)])
    hours_es = StringField(_l("Opening hours in Spanish"),
                           validators=[_checked(checks.text, 500)])

    TRANSLATED = {"es": ("name", "description", "eligibility", "hours")}

    def set_choices(self, boards, hoods, projects, extra_languages=()) -> None:
        self.board_id.choices = [(b.id, b.name) for b in boards]
        self.category.choices = [(c, category_label(c)) for c in CATEGORIES]
        self.neighbourhoods.choices = [(h.id, h.name) for h in hoods]
        from .services import language_name
        from flask_babel import get_locale

        codes = list(dict.fromkeys([*FORM_LANGUAGES, *extra_languages]))
        self.languages.choices = [(c, language_name(c, get_locale())) for c in codes]
        self.projects.choices = [(p.id, p.title) for p in projects]

    def data_for_service(self) -> dict:
        data = {name: self[name].data or "" for name in (
            "name", "organization", "category", "description", "eligibility", "address", "city",
            "postal_code", "hours", "phone", "email", "website")}
        data.update(board_id=self.board_id.data, languages=self.languages.data or [],
                    neighbourhoods=self.neighbourhoods.data or [],
                    projects=self.projects.data or [], translations=self.translations())
        return data


class ImportForm(FlaskForm):
    file = FileField(_l("Directory file (HSDS 3.0 JSON)"), validators=[
        FileRequired(message=_l("Choose the JSON file to import.")),
        FileAllowed(["json"], message=_l("Upload a .json file."))])
    board_id = SelectField(_l("Board that keeps new entries"), coerce=coerce_id)
