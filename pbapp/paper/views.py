"""Staff pages for paper ballots: batches per cycle, the two entry rounds, the comparison with
its mismatches, corrections, voids and the commit. Every page works without JavaScript; pages
that show rankings are marked ``no-store``."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import User
from ..auth.permissions import staff_required
from ..cycles.models import Cycle
from ..extensions import db
from ..voting.forms import rank_fields, submitted_ranks
from ..voting.services import BallotRejected, ballot_choices, ranking_from_ranks
from . import bp
from .forms import ActionForm, BatchForm, VoidForm, entry_form
from .models import ROUNDS, PaperBatch, PaperEntry, PollingPlace
from .places import place_choices
from .services import (CommitRefused, PaperRefused, close_entry, commit_batch, correct_entry,
                       create_batch, describe_voter, enter_ballot, mismatches, roll_email,
                       void_serial, voter_ref_for)


def _private(body: str, status: int = 200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _cycle_or_404(slug: str) -> Cycle:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    if cycle is None:
        abort(404)
    return cycle


def _batch_or_404(batch_id: int) -> PaperBatch:
    batch = db.session.get(PaperBatch, batch_id)
    if batch is None:
        abort(404)
    return batch


def _to_batch(batch: PaperBatch):
    return redirect(url_for("paper.batch", batch_id=batch.id), code=303)


@bp.get("/")
@staff_required
def index():
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase != "draft")
                                .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    return render_template("paper/index.html", cycles=cycles)


@bp.route("/<slug>", methods=["GET", "POST"])
@staff_required
def cycle(slug: str):
    """The cycle's batches; POST starts a new one."""
    cycle = _cycle_or_404(slug)
    form = BatchForm()
    places = db.session.scalars(PollingPlace.for_cycle(cycle.id)).all()
    form.polling_place.choices = place_choices(places)
    if form.validate_on_submit():
        try:
            batch = create_batch(cycle, form.label.data, current_user,
                                 polling_place_id=form.polling_place.data or None)
        except PaperRefused as refusal:
            db.session.rollback()
            form.label.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(gettext("Batch %(label)s started.", label=batch.label), "success")
            return _to_batch(batch)
    batches = db.session.scalars(PaperBatch.for_cycle(cycle.id)).all()
    return render_template("paper/cycle.html", cycle=cycle, batches=batches, form=form,
                           places=places)


def _batch_page(batch: PaperBatch, problems: list[str] | None = None, void_form=None):
    show = batch.status in ("entered", "reconciled")
    titles = {p.id: p.title for p in ballot_choices(batch.cycle)}
    return _private(render_template(
        "paper/batch.html", batch=batch, cycle=batch.cycle, rounds=ROUNDS,
        mismatches=mismatches(batch) if show else [], problems=problems or [],
        void_form=void_form or VoidForm(formdata=None),
        voided=sorted({(e.serial, e.void_reason) for e in batch.entries if e.void_reason}),
        enterers={r: _names(batch.round_enterers(r)) for r in ROUNDS},
        titles=titles, describe_voter=describe_voter))


def _names(user_ids) -> str:
    return ", ".join(sorted(db.session.get(User, uid).name for uid in user_ids)) or "nobody yet"


@bp.get("/batch/<int:batch_id>")
@staff_required
def batch(batch_id: int):
    return _batch_page(_batch_or_404(batch_id))


def _entry_page(batch: PaperBatch, entry_round: int, form, error: str | None = None,
                entry: PaperEntry | None = None):
    other = 2 if entry_round == 1 else 1
    blocked = None
    if entry is None and current_user.id in batch.round_enterers(other):
        blocked = (f"You entered round {other} of this batch; round {entry_round} must be "
                   "entered by another staff member.")
    return _private(render_template(
        "paper/entry.html", batch=batch, cycle=batch.cycle, entry_round=entry_round, form=form,
        error=error, entry=entry, blocked=blocked,
        rank_names=[f"rank_{n}" for n in range(1, batch.cycle.max_ranks + 1)],
        serials=[e.serial for e in batch.round_entries(entry_round)]))


def _read_entry(batch: PaperBatch, form) -> tuple[str, list[int]]:
    voter_ref = voter_ref_for(batch.cycle, form.code.data, form.roll.data)
    return voter_ref, ranking_from_ranks(batch.cycle, submitted_ranks(request.form))


@bp.route("/batch/<int:batch_id>/round/<int:entry_round>", methods=["GET", "POST"])
@staff_required
def enter(batch_id: int, entry_round: int):
    """Type one ballot; after saving, the same page comes back empty for the next one."""
    batch = _batch_or_404(batch_id)
    if entry_round not in ROUNDS:
        abort(404)
    proposals = ballot_choices(batch.cycle)
    form = entry_form(batch.cycle, proposals)
    error = None
    if form.validate_on_submit():
        try:
            voter_ref, ranking = _read_entry(batch, form)
            entry = enter_ballot(batch, entry_round, current_user, form.serial.data, voter_ref,
                                 ranking)
        except (PaperRefused, BallotRejected) as refusal:
            db.session.rollback()
            error = str(refusal)
        else:
            db.session.commit()
            flash(gettext("Serial %(serial)s saved in round %(round)s.", serial=entry.serial,
                          round=entry_round), "success")
            return redirect(url_for("paper.enter", batch_id=batch.id, entry_round=entry_round),
                            code=303)
    elif form.errors:
        error = "Please correct the errors below."
    return _entry_page(batch, entry_round, form, error)


@bp.route("/batch/<int:batch_id>/round/<int:entry_round>/<serial>", methods=["GET", "POST"])
@staff_required
def correct(batch_id: int, entry_round: int, serial: str):
    """Fix one side of a mismatch after checking the paper ballot."""
    batch = _batch_or_404(batch_id)
    entry = db.session.scalar(select(PaperEntry).where(
        PaperEntry.batch_id == batch.id, PaperEntry.entry_round == entry_round,
        PaperEntry.serial == serial))
    if entry is None:
        abort(404)
    proposals = ballot_choices(batch.cycle)
    if request.method == "POST":
        form = entry_form(batch.cycle, proposals, fixed_serial=serial)
    else:
        form = entry_form(batch.cycle, proposals, formdata=None, fixed_serial=serial,
                          roll=roll_email(entry.voter_ref), **rank_fields(entry.ranking))
    error = None
    if form.validate_on_submit():
        try:
            voter_ref, ranking = _read_entry(batch, form)
            correct_entry(entry, current_user, voter_ref, ranking)
        except (PaperRefused, BallotRejected) as refusal:
            db.session.rollback()
            error = str(refusal)
        else:
            db.session.commit()
            flash(gettext("Serial %(serial)s, round %(round)s corrected.", serial=serial,
                          round=entry_round), "success")
            return _to_batch(batch)
    elif form.errors:
        error = "Please correct the errors below."
    return _entry_page(batch, entry_round, form, error, entry=entry)


@bp.post("/batch/<int:batch_id>/compare")
@staff_required
def compare(batch_id: int):
    batch = _batch_or_404(batch_id)
    if not ActionForm().validate():
        abort(400)
    try:
        found = close_entry(batch, current_user)
    except PaperRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(ngettext("%(num)d mismatch to resolve.", "%(num)d mismatches to resolve.", len(found))
              if found else gettext("Both rounds agree; the batch can be committed."),
              "error" if found else "success")
    return _to_batch(batch)


@bp.post("/batch/<int:batch_id>/void")
@staff_required
def void(batch_id: int):
    batch = _batch_or_404(batch_id)
    form = VoidForm()
    if not form.validate():
        return _batch_page(batch, void_form=form)
    try:
        void_serial(batch, form.serial.data, form.reason.data, current_user)
    except PaperRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
    else:
        db.session.commit()
        flash(gettext("Serial %(serial)s voided.", serial=form.serial.data), "success")
    return _to_batch(batch)


@bp.post("/batch/<int:batch_id>/commit")
@staff_required
def commit(batch_id: int):
    """All or nothing: a refusal lists the serials at fault and records nothing."""
    batch = _batch_or_404(batch_id)
    if not ActionForm().validate():
        abort(400)
    try:
        cast = commit_batch(batch, current_user)
    except CommitRefused as refusal:
        db.session.rollback()
        return _batch_page(batch, problems=refusal.problems)
    except PaperRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return _to_batch(batch)
    db.session.commit()
    flash(ngettext("Committed: %(num)d paper ballot cast.",
                   "Committed: %(num)d paper ballots cast.", cast), "success")
    return _to_batch(batch)
