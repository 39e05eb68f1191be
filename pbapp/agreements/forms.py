"""The staff form for an agreement. It reads the types (text, dates, metric ids); every rule
is checked again by ``services.save_agreement``, which names the field at fault."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Optional

from ..form_fields import CheckboxListField, TranslationFields
from ..number_inputs import coerce_id


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label, area: bool = False):
    return (TextAreaField if area else StringField)(label, filters=[_strip],
                                                    render_kw={"rows": 3} if area else None)


def _date(label):
    return DateField(label, validators=[Optional()])


class AgreementForm(TranslationFields, FlaskForm):
    title = _text(_l("Title"))
    slug = _text(_l("Short name for its address"))
    parties = _text(_l("Who shares with whom"), area=True)
    purpose = _text(_l("Purpose"), area=True)
    legal_basis = _text(_l("Legal basis"), area=True)
    data_shared = _text(_l("Which data are shared"), area=True)
    protection = _text(_l("How the data are protected"), area=True)
    retention = _text(_l("How long the data are kept"), area=True)
    objection = _text(_l("How to object or ask a question"), area=True)
    contact = _text(_l("Contact for objections (email or phone)"))
    starts_on = _date(_l("Starts on"))
    expires_on = _date(_l("Expires on (leave empty if open-ended)"))
    retain_until = _date(_l("Measurements are published until"))
    delete_by = _date(_l("Underlying records deleted by"))
    consent = _text(_l("Consent text shown to residents"), area=True)
    metrics = CheckboxListField(_l("Metrics under this agreement"), coerce=coerce_id)
    title_es = _text(_l("Title in Spanish"))
    parties_es = _text(_l("Who shares with whom, in Spanish"), area=True)
    purpose_es = _text(_l("Purpose in Spanish"), area=True)
    legal_basis_es = _text(_l("Legal basis in Spanish"), area=True)
    data_shared_es = _text(_l("Which data are shared, in Spanish"), area=True)
    protection_es = _text(_l("How the data are protected, in Spanish"), area=True)
    retention_es = _text(_l("How long the data are kept, in Spanish"), area=True)
    objection_es = _text(_l("How to object, in Spanish"), area=True)
    consent_es = _text(_l("Consent text in Spanish"), area=True)

    TRANSLATED = {"es": ("title", "parties", "purpose", "legal_basis", "data_shared",
                         "protection", "retention", "objection")}


class DeleteForm(FlaskForm):
    """Just the CSRF token."""
