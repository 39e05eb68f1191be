"""Staff forms for budget cycles. Dates are typed in the site's time zone and stored in UTC."""
from __future__ import annotations

from datetime import timezone

from flask_babel import lazy_gettext as _
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateTimeLocalField, HiddenField, SelectField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                Regexp)

from .. import tally
from ..form_fields import CheckboxListField, TranslationFields
from ..number_inputs import WholeNumberField, coerce_id
from ..numbers import DB_INT_MAX

METHOD_LABELS = {
    "irv": _("Instant runoff (one winner)"),
    "stv": _("Single transferable vote (several seats)"),
    "schulze": _("Schulze (Condorcet)"),
    "ranked_pairs": _("Ranked pairs (Condorcet)"),
    "borda": _("Borda count (points by rank)"),
    "greedy": _("Greedy by points within the budget"),
    "greedy-no-skip": _("Greedy, stopping at the first that does not fit"),
    "greedy-threshold": _("Greedy with a minimum support"),
    "equal-shares": _("Method of Equal Shares (proportional)"),
}


class LocalDateTimeField(DateTimeLocalField):
    """A ``datetime-local`` input read in the site's time zone; ``data`` is an aware UTC time.
    (WTForms' own ``tz`` would attach a pytz zone with ``replace``, which gets offsets wrong.)"""

    def __init__(self, *args, **kw):
        kw.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kw)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = to_utc(self.data).replace(tzinfo=timezone.utc)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        return to_user_timezone(self.data).strftime(self.format[0])


class CycleForm(TranslationFields, FlaskForm):
    name = StringField(_("Name"), validators=[DataRequired(), Length(max=160)])
    slug = StringField(_("Web address (slug)"), validators=[
        DataRequired(), Length(max=80),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_("Use lower-case letters, digits and single hyphens."))])
    description = TextAreaField(_("Description"), validators=[Length(max=5000)])
    # Optional Spanish texts; residents reading in Spanish see them, else the originals above.
    name_es = StringField(_("Name in Spanish"), validators=[Optional(), Length(max=160)])
    description_es = TextAreaField(_("Description in Spanish"),
                                   validators=[Optional(), Length(max=5000)])
    #: stored in cents, in the database's integer
    budget = WholeNumberField(_("Total budget"), validators=[
        InputRequired(), NumberRange(min=1), NumberRange(max=DB_INT_MAX // 100)])
    neighbourhoods = CheckboxListField(_("Neighbourhoods"), coerce=coerce_id)
    #: a budget's cycle funds proposals that each cost money: the Method of Equal Shares spends
    #: it in proportion to how support is spread, so no majority takes the whole budget
    method = SelectField(_("Counting method"), default="equal-shares",
                         choices=[SelectChoice(m, METHOD_LABELS.get(m, m)) for m in tally.METHODS])
    seats = WholeNumberField(_("Winners (ranked methods)"), default=1,
                         validators=[Optional(), NumberRange(min=1, max=50)])
    scoring = SelectField(_("Points per rank (budget methods)"), choices=[
        SelectChoice("k-points", "k for a first choice, k-1 for a second … (k = maximum ranks)"),
        SelectChoice("borda", "Borda: one point per proposal ranked below"),
        SelectChoice("dowdall", "Dowdall: 1, 1/2, 1/3 …")], default="k-points")
    completion = SelectField(_("When equal shares leaves money unspent"), choices=[
        SelectChoice("", "Leave it unspent"),
        SelectChoice("add1", "Raise each voter's share step by step (add1)"),
        SelectChoice("add1-then-greedy", "add1, then fund what still fits by points")],
        default="add1", coerce=lambda value: value or "")
    threshold = WholeNumberField(_("Minimum points (greedy with a minimum support)"),
                             validators=[Optional(), NumberRange(min=0)])
    max_ranks = WholeNumberField(_("Maximum ranks on a ballot"), default=5,
                             validators=[InputRequired(), NumberRange(min=1, max=20)])
    min_age = WholeNumberField(_("Minimum age to vote"),
                           validators=[Optional(), NumberRange(min=0, max=120)])
    vote_by_account = BooleanField(_("Residents can vote with an account"), default=True)
    vote_by_code = BooleanField(_("Residents can vote with a one-time voting code"), default=True)
    use_roll = BooleanField(_("Voters must be on the voter roll (every channel: accounts by "
                            "verified email, personal codes, paper by roll id)"), default=False)
    require_address = BooleanField(_("Account voters must give an address in the cycle's address "
                                     "register (flask addresses import)"), default=False)
    proposals_open = LocalDateTimeField(_("Proposals open"), validators=[Optional()])
    voting_opens = LocalDateTimeField(_("Voting opens"), validators=[Optional()])
    voting_closes = LocalDateTimeField(_("Voting closes"), validators=[Optional()])
    #: only while voting: moving the close then needs a reason, published on the cycle page
    close_reason = TextAreaField(_("Reason for moving the close (public)"),
                                 validators=[Optional(), Length(max=1000)])
    #: part-funding (issue 19): stored as the percent, None when off
    part_fund = BooleanField(_("Part-fund the first proposal that does not fit (budget "
                               "methods)"), default=False)
    part_fund_share = WholeNumberField(_("Part-funding: the money left must cover at least "
                                         "this percent of its cost"), default=50,
                                       validators=[Optional(), NumberRange(min=1, max=100)])
    #: the phase the form was shown in; a different phase on submit means the page is stale
    shown_phase = HiddenField()

    TRANSLATED = {"es": ("name", "description")}

    #: the options each method reads (count_options); the form shows only the chosen method's,
    #: and ``settings`` drops the others', whatever was submitted
    METHOD_OPTIONS = {
        "seats": ("stv", "schulze", "ranked_pairs", "borda"),
        "scoring": tuple(tally.PB_METHODS), "part_fund": tuple(tally.PB_METHODS),
        "completion": ("equal-shares",), "threshold": ("greedy-threshold",)}
    OPTION_DEFAULTS = {"seats": 1, "scoring": "k-points", "completion": None, "threshold": None,
                       "part_fund_share": None}

    def __init__(self, *args, neighbourhood_choices=(), locked=(), voting=False, **kw):
        super().__init__(*args, **kw)
        if not voting:
            delattr(self, "close_reason")
        elif "voting_closes" in self._fields:  # open voting always has a published close
            self.voting_closes.validators = [InputRequired(
                message=_("Voting is open, so it needs a closing time; it can only move later."))]
        self.neighbourhoods.choices = [SelectChoice(n.id, n.name) for n in neighbourhood_choices]
        for name in locked:
            field = "budget" if name == "budget_cents" else name
            if field in self._fields:
                delattr(self, field)
        if "part_fund_share" in locked:
            delattr(self, "part_fund")
        elif not self.is_submitted() and kw.get("obj") is not None:
            share = kw["obj"].part_fund_share
            self.part_fund.data = share is not None
            self.part_fund_share.data = share or 50

    def settings(self, neighbourhoods_by_id: dict) -> dict:
        """The submitted settings, as ``create_cycle``/``update_cycle`` take them."""
        out = {}
        for name in ("name", "slug", "description", "method", "max_ranks", "scoring",
                     "threshold", "proposals_open", "voting_opens", "voting_closes", "min_age",
                     "vote_by_account", "vote_by_code", "use_roll", "require_address"):
            if name in self._fields:
                value = self[name].data
                out[name] = value.strip() if isinstance(value, str) else value
        if "seats" in self._fields:
            out["seats"] = self.seats.data or 1
        if "part_fund" in self._fields:
            out["part_fund_share"] = ((self.part_fund_share.data or 50) if self.part_fund.data
                                      else None)
        if "completion" in self._fields:
            out["completion"] = self.completion.data or None
        if "budget" in self._fields:
            out["budget_cents"] = self.budget.data * 100
        if "neighbourhoods" in self._fields:
            chosen = self.neighbourhoods.data or []
            out["neighbourhoods"] = [neighbourhoods_by_id[i] for i in chosen]
        if "method" in self._fields:
            for name, methods in self.METHOD_OPTIONS.items():
                key = "part_fund_share" if name == "part_fund" else name
                if key in out and out.get("method") not in methods:
                    out[key] = self.OPTION_DEFAULTS[key]
        out["translations"] = self.translations()
        return out


class PhaseForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button with nothing but its CSRF token (count, publish)."""


class RollImportForm(FlaskForm):
    file = FileField(_("Voter roll (CSV)"), validators=[
        FileRequired(message=_("Choose the CSV file to import.")),
        FileAllowed(["csv", "txt"], message=_("Upload a .csv file."))])
