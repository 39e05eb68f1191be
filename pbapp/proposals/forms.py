"""Forms for ideas, proposals, review and withdrawal; choices are filled in by the views."""
from __future__ import annotations

from flask_babel import lazy_gettext as _  # lazy: read in each request's language
from flask_wtf import FlaskForm
from wtforms import (RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from ..form_fields import CheckboxListField, TranslationFields
from ..images.forms import PictureFields
from ..number_inputs import WholeNumberField, coerce_id

# Cost is stored in cents in a 32-bit column on PostgreSQL: stay well below 2**31 cents.
MAX_COST = 20_000_000


class IdeaForm(FlaskForm):
    problem = TextAreaField(_("What is the problem?"),
                            validators=[DataRequired(), Length(max=2000)])
    place = StringField(_("Where does it happen?"), validators=[DataRequired(), Length(max=200)])
    suggestion = TextAreaField(_("What would help?"),
                               validators=[DataRequired(), Length(max=2000)])
    neighbourhood = SelectField(_("Neighbourhood"), coerce=coerce_id, default=0)


class ProposalForm(PictureFields, TranslationFields, FlaskForm):
    title = StringField(_("Title"), validators=[DataRequired(), Length(max=160)])
    summary = TextAreaField(_("Summary"), validators=[DataRequired(), Length(max=400)])
    description = TextAreaField(_("Description"), validators=[Optional(), Length(max=20_000)])
    problem = TextAreaField(_("Problem it addresses"),
                            validators=[DataRequired(), Length(max=4000)])
    root_cause = TextAreaField(_("Root cause it addresses"),
                               validators=[Optional(), Length(max=4000)])
    neighbourhoods = CheckboxListField(_("Neighbourhoods"), coerce=coerce_id)
    cost = WholeNumberField(_("Cost"), validators=[
        InputRequired(message=_("Give the cost in whole currency units.")),
        NumberRange(min=1, max=MAX_COST,
                    message=_("The cost must be between 1 and %(most)s.",
                              most=f"{MAX_COST:,}"))])
    metrics = TextAreaField(_("Metrics it aims to move"),
                            validators=[Optional(), Length(max=2000)])
    # Optional Spanish texts; residents reading in Spanish see them, else the originals above.
    title_es = StringField(_("Title in Spanish"), validators=[Optional(), Length(max=160)])
    summary_es = TextAreaField(_("Summary in Spanish"), validators=[Optional(), Length(max=400)])
    description_es = TextAreaField(_("Description in Spanish"),
                                   validators=[Optional(), Length(max=20_000)])

    TRANSLATED = {"es": ("title", "summary", "description")}


class NewProposalForm(ProposalForm):
    board = SelectField(_("Proposing board"), coerce=coerce_id)
    cycle = SelectField(_("Budget cycle"), coerce=coerce_id)


class ReviewForm(FlaskForm):
    decision = RadioField(_("Decision"), choices=[
        SelectChoice("accept", _("Accept onto the ballot")),
        SelectChoice("send_back", _("Send back to the board for changes")),
        SelectChoice("reject", _("Reject"))],
        validators=[InputRequired(message=_("Choose accept, send back or reject."))])
    feasibility_note = TextAreaField(_("Feasibility"), validators=[Optional(), Length(max=4000)])
    cost_note = TextAreaField(_("Cost check"), validators=[Optional(), Length(max=4000)])
    reason = TextAreaField(_("Reason"), validators=[Length(max=2000)])
    reason_es = TextAreaField(_("Reason in Spanish (optional)"),
                              validators=[Optional(), Length(max=2000)])

    def validate_reason(self, field) -> None:
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_("Give the reason for rejecting; residents will read it."))
        if self.decision.data == "send_back" and not (field.data or "").strip():
            raise ValidationError(_("Say what the board should change."))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_("Why is the board withdrawing it? (public)"),
                           validators=[Optional(), Length(max=2000)])
