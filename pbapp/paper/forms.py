"""Staff forms for paper batches. The ranking fields are the online ballot's (``rank_<n>``), so
the same rules read them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _  # lazy: read in each request's language
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..voting.forms import nth

SERIAL = Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                message=_("Use the serial printed on the ballot: letters, digits, . _ or -."))


class BatchForm(FlaskForm):
    label = StringField(_("Batch label"), validators=[
        DataRequired(message=_("Give the batch label.")),
        Length(max=80)],
                        filters=[lambda s: s.strip() if s else s])
    #: filled with the cycle's polling places by the view; "" only while the cycle lists none
    polling_place = SelectField(_l("Polling place"), choices=[], validate_choice=False,
                                default="")


class PlaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Give the polling place's name.")), Length(max=120)])
    address = StringField(_l("Address (optional)"), validators=[Optional(), Length(max=200)])


class VoidForm(FlaskForm):
    serial = HiddenField(validators=[DataRequired(), Length(max=40)])
    reason = StringField(_("Reason"), validators=[DataRequired(message=_("Say why.")),
                                                  Length(max=200)])


class ActionForm(FlaskForm):
    """A button that changes state: only its CSRF token."""


def entry_form(cycle, proposals, fixed_serial: str | None = None, **kw):
    """Serial, voter (code or roll entry) and one select per rank. Ranks are not validated
    here: ``ranking_from_ranks`` gives the same reasons as on the online ballot. ``kw`` goes
    to the form (``formdata=None`` and field values to prefill a correction)."""
    choices = [SelectChoice("", _("No choice"))] + [
        SelectChoice(str(p.id), p.title) for p in proposals]

    class EntryForm(FlaskForm):
        code = StringField(_("Voting code"), validators=[Optional(), Length(max=40)],
                           description="As written on the ballot envelope; stored only as a hash.")
        roll = StringField(_("Roll entry (reference on the voter roll, or the resident's email)"),
                           validators=[Optional(), Length(max=254)])

    if fixed_serial is None:
        EntryForm.serial = StringField(_("Ballot serial"), validators=[
            DataRequired(message=_("Give the ballot's serial.")), Length(max=40), SERIAL],
            filters=[lambda s: s.strip() if s else s])
    for n in range(1, cycle.max_ranks + 1):
        setattr(EntryForm, f"rank_{n}", SelectField(
            _("%(nth)s choice", nth=nth(n)), choices=choices, validate_choice=False, default=""))
    return EntryForm(**kw)
