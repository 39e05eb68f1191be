"""Ranking, reviewing and casting a ballot without JavaScript; the receipt; the public tracker.

The ranking travels only in POST bodies (never in a URL, so it stays out of logs and history),
and pages that show it or the receipt are marked ``no-store``.
"""
from flask import abort, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..cycles.models import Cycle
from ..extensions import db
from . import bp
from .forms import TrackerForm, ballot_form, ordinal, rank_fields, submitted_ranks
from .services import (BallotRejected, ballot_choices, cast_ballot, has_voted, is_counted,
                       ranking_from_ranks, voter_key)

TRACKED_PHASES = ("voting", "counting", "implementation", "closed")


def _cycle_or_404(slug: str) -> Cycle:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    if cycle is None or cycle.phase == "draft":
        abort(404)
    return cycle


def _private(body: str):
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _my_key() -> str:
    return voter_key("user", current_user.id)


def _ballot_page(cycle: Cycle, error: str | None = None, formdata=None):
    """The ballot, or why it cannot be filled in; refusals come back here with their reason."""
    proposals = ballot_choices(cycle)
    closed = cycle.phase != "voting"
    voted = not closed and has_voted(cycle, _my_key())
    form = None if closed or voted else ballot_form(cycle, proposals, formdata)
    return _private(render_template("voting/ballot.html", cycle=cycle, proposals=proposals,
                                    form=form, error=error, closed=closed, voted=voted))


@bp.route("/<slug>", methods=["GET", "POST"])
@login_required
def ballot(slug: str):
    """GET shows an empty ballot; POST ("Change" on the review step) shows it filled in."""
    cycle = _cycle_or_404(slug)
    return _ballot_page(cycle, formdata=request.form if request.method == "POST" else None)


@bp.post("/<slug>/review")
@login_required
def review(slug: str):
    cycle = _cycle_or_404(slug)
    try:
        ranking = ranking_from_ranks(cycle, submitted_ranks(request.form))
    except BallotRejected as refusal:
        return _ballot_page(cycle, str(refusal), formdata=request.form)
    if has_voted(cycle, _my_key()):
        return _ballot_page(cycle)
    by_id = {p.id: p for p in ballot_choices(cycle)}
    choices = [(ordinal(n), by_id[pid]) for n, pid in enumerate(ranking, start=1)]
    return _private(render_template("voting/review.html", cycle=cycle, choices=choices,
                                    fields=rank_fields(ranking)))


@bp.post("/<slug>/cast")
@login_required
def cast(slug: str):
    cycle = _cycle_or_404(slug)
    try:
        ranking = ranking_from_ranks(cycle, submitted_ranks(request.form))
        receipt_code = cast_ballot(cycle, _my_key(), "online", ranking)
    except BallotRejected as refusal:
        db.session.rollback()
        return _ballot_page(cycle, str(refusal), formdata=request.form)
    db.session.commit()
    session["receipt"] = {"cycle": cycle.slug, "code": receipt_code}
    return redirect(url_for("voting.receipt", slug=cycle.slug), code=303)


@bp.get("/<slug>/receipt")
@login_required
def receipt(slug: str):
    """The receipt code is shown once: it leaves the session as this page renders."""
    cycle = _cycle_or_404(slug)
    code = None
    if session.get("receipt", {}).get("cycle") == cycle.slug:
        code = session.pop("receipt")["code"]
    return _private(render_template("voting/receipt.html", cycle=cycle, code=code))


@bp.get("/tracker")
def tracker():
    """Answers only "counted" or "not found" for a receipt code; never what was ranked."""
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase.in_(TRACKED_PHASES))
                                .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    form = TrackerForm(formdata=request.args or None)
    form.cycle.choices = [SelectChoice(c.slug, c.name) for c in cycles]
    answer = chosen = None
    if request.args and form.validate():
        chosen = next(c for c in cycles if c.slug == form.cycle.data)
        answer = "counted" if is_counted(chosen, form.code.data) else "not found"
    return render_template("voting/tracker.html", form=form, answer=answer, cycle=chosen)
