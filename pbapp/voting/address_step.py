"""The address step: in a cycle that requires it, an account voter gives an address found in
the cycle's register before the ballot.

The matched address is kept in the signed session (its register id, with the cycle and the
account) and checked again on every ballot step, whatever the pages showed. It only opens the
ballot: ``voter_key`` stays the person's (``identity``), so a second address cannot buy a second
ballot, and two people at one address each vote once. The participation row gets at most the
address's neighbourhood (for turnout tables), the ballot nothing.
"""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..addresses.models import RegisterAddress
from ..addresses.register import AddressRefused, find_address
from ..cycles.models import Cycle
from ..cycles.window import why_closed
from ..extensions import db, limiter
from . import bp
from .services import BallotRejected

ADDRESS_SESSION = "voting_address"  # {"cycle": slug, "user": id, "address": register id}
GATED = frozenset({"voting.ballot", "voting.review", "voting.cast"})

#: Refused addresses per account and per network address: a resident who mistypes has many
#: tries, but nobody can walk the register (each refusal may suggest close addresses) by
#: guessing house numbers. Only refusals count, so a family on one connection is not locked
#: out by each other's matches. Each can be set in the app's config (same names).
ADDRESS_FAILURES_PER_ACCOUNT = "10 per hour"
ADDRESS_FAILURES_PER_ADDRESS = "30 per hour"


def _limit(name: str, default: str):
    return lambda: current_app.config.get(name, default)


def _refused(_response) -> bool:
    """Marked on the request (not ``g``, which a test's app context carries between requests)."""
    return request.environ.get("pbapp.address_refused", False)


class AddressForm(FlaskForm):
    address = StringField(_l("Street address"), validators=[DataRequired(), Length(max=200)])
    postcode = StringField(_l("Postcode"), validators=[DataRequired(), Length(max=20)])


def held_address(cycle: Cycle, user) -> RegisterAddress | None:
    """The address this account matched for this cycle, if still in the cycle's register."""
    held = session.get(ADDRESS_SESSION) or {}
    if held.get("cycle") != cycle.slug or held.get("user") != getattr(user, "id", None) \
            or not isinstance(held.get("address"), int):
        return None
    row = db.session.get(RegisterAddress, held["address"])
    return row if row is not None and row.cycle_id == cycle.id else None


def address_needed(cycle: Cycle) -> bool:
    return cycle.require_address and cycle.vote_by_account


@bp.before_request
def _require_address():
    """Every account ballot step of a cycle that requires an address: without a matched one,
    to the address step (the ballot page's refusals come first there)."""
    if request.endpoint not in GATED or not current_user.is_authenticated:
        return None
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == (request.view_args or {})
                                                  .get("slug")))
    if cycle is None or not address_needed(cycle) or why_closed(cycle) is not None:
        return None
    if held_address(cycle, current_user) is None:
        return redirect(url_for("voting.address", slug=cycle.slug), code=303)
    return None


def address_neighbourhood(cycle: Cycle, user) -> int | None:
    """For the participation row: the matched address's neighbourhood, where one is needed."""
    if not address_needed(cycle):
        return None
    row = held_address(cycle, user)
    if row is None:
        raise BallotRejected(gettext("Give your address first."))
    return row.neighbourhood_id


@bp.route("/<slug>/address", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("ADDRESS_FAILURES_PER_ACCOUNT", ADDRESS_FAILURES_PER_ACCOUNT),
               methods=["POST"], deduct_when=_refused, scope="voting-address-account",
               key_func=lambda: f"user:{current_user.id}")
@limiter.limit(_limit("ADDRESS_FAILURES_PER_ADDRESS", ADDRESS_FAILURES_PER_ADDRESS),
               methods=["POST"], deduct_when=_refused, scope="voting-address-address")
def address(slug: str):
    """The resident types their address; a match leads to the ballot, a refusal says why and
    suggests close addresses of the register."""
    from .views import _cycle_or_404, _not_eligible_page, _private

    cycle = _cycle_or_404(slug)
    if not address_needed(cycle):
        abort(404)
    closed = why_closed(cycle)
    refused = None if closed else _not_eligible_page(cycle)
    if refused is not None:
        return refused
    form = AddressForm()
    error, suggestions = None, []
    if request.method == "POST" and not closed and form.validate_on_submit():
        try:
            row = find_address(cycle, form.address.data, form.postcode.data)
        except AddressRefused as refusal:
            request.environ["pbapp.address_refused"] = True
            error, suggestions = str(refusal), refusal.suggestions
        else:
            session[ADDRESS_SESSION] = {"cycle": cycle.slug, "user": current_user.id,
                                        "address": row.id}
            return redirect(url_for("voting.ballot", slug=cycle.slug), code=303)
    return _private(render_template("voting/address.html", cycle=cycle, form=form, error=error,
                                    suggestions=suggestions, closed=closed))


@bp.app_template_global()
def address_register_size(cycle: Cycle) -> int:
    """For the staff cycle page."""
    from ..addresses.register import register_size

    return register_size(cycle)
