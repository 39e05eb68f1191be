"""The ballot's rank fields (``rank_<n>``, posted by its buttons and hidden inputs), the labels of
its choices, and the code and tracker forms."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _  # lazy: read in each request's language
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..numbers import NumberRefused, whole
from .services import BallotRejected

RANK_PREFIX = "rank_"
#: no ballot offers this many ranks; a field past it is tampering, not a long ballot
MAX_RANK_FIELD = 999


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def nth(n: int) -> str:
    """The rank number as the resident's language writes it before "choice": "1st", or "1"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    # Translators: an English ordinal (1st, 21st); languages without these suffixes keep the number
    if suffix == "st":
        return gettext("%(num)dst", num=n)
    if suffix == "nd":
        return gettext("%(num)dnd", num=n)
    if suffix == "rd":
        return gettext("%(num)drd", num=n)
    return gettext("%(num)dth", num=n)


def choice_label(n: int) -> str:
    """The label of rank ``n`` on the ballot: "1st choice" (in Spanish "Opción 1")."""
    return gettext("%(nth)s choice", nth=nth(n))


def submitted_ranks(formdata) -> dict[int, str]:
    """Every ``rank_<n>`` the browser sent, including any the form never offered, so a tampered
    or stale ballot is refused by the rules instead of silently trimmed. A name the form could
    not have made (``rank_01`` beside ``rank_1``, ``rank_1000``, ``rank_²``) makes the whole
    form unreadable: BallotRejected, rather than two choices collapsing into one."""
    ranks = {}
    for key in formdata:
        if not key.startswith(RANK_PREFIX):
            continue
        suffix = key.removeprefix(RANK_PREFIX)
        try:
            position = whole(suffix, 1, MAX_RANK_FIELD)
        except NumberRefused:
            position = None
        if position is None or str(position) != suffix:
            raise BallotRejected(
                gettext("The ballot form was not understood; please fill it in again."))
        ranks[position] = formdata.get(key, "")
    return ranks


def rank_fields(ranking: list[int]) -> dict[str, str]:
    """The ranking as hidden fields, carried from the review step to the cast (or back)."""
    return {f"rank_{n}": str(pid) for n, pid in enumerate(ranking, start=1)}


class TrackerForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup that changes nothing

    cycle = SelectField(_("Budget cycle"), validators=[DataRequired()])
    code = StringField(_("Receipt code"), validators=[DataRequired(), Length(max=40)],
                       filters=[lambda s: s.replace(" ", "").strip() if s else s])


class CodeForm(FlaskForm):
    code = StringField(_("Voting code"),
                       validators=[DataRequired(message=_("Enter your voting code.")),
                                                  Length(max=40)],
                       filters=[lambda s: s.strip() if s else s])
