"""Proposal and idea pages: load (404) → the service checks role (403) and phase → 303."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from ..boards.models import Board
from ..cycles.models import Cycle, Neighbourhood
from ..extensions import db
from ..labels import FILTERS
from ..number_inputs import id_arg
from . import bp
from . import services as svc
from .forms import IdeaForm, NewProposalForm, ProposalForm, ReviewForm, WithdrawForm
from .models import STATUSES, Idea, Proposal
from ..cycles.votes import SORTS, sort_choice, sort_proposals, votes_for
from ..timeline import proposal_timeline


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not svc.can_view(current_user, proposal):
        abort(404)
    return proposal


def _public_cycle_or_404(slug: str) -> Cycle:
    cycle = db.session.scalar(select(Cycle).where(Cycle.slug == slug))
    if cycle is None or cycle.phase == "draft":
        abort(404)
    return cycle


def _refuse(error: svc.Refused, back: str):
    """Wrong role is 403; wrong moment is a message on the page it came from, nothing changed."""
    if isinstance(error, svc.NotAllowed):
        abort(403)
    flash(str(error), "error")
    return redirect(back, 303)


def _allowed(check, *args) -> bool:
    try:
        check(current_user, *args)
    except svc.Refused:
        return False
    return True


def _hood_choices(cycle: Cycle | None) -> list[SelectChoice]:
    hoods = (cycle.neighbourhoods if cycle is not None else []) or db.session.scalars(
        select(Neighbourhood).order_by(Neighbourhood.name)).all()
    return [SelectChoice(h.id, h.name) for h in sorted(hoods, key=lambda h: h.name)]


def _fields(form: ProposalForm) -> svc.ProposalFields:
    return svc.ProposalFields(
        title=form.title.data, summary=form.summary.data, description=form.description.data or "",
        problem=form.problem.data, root_cause=form.root_cause.data or "",
        metrics=form.metrics.data or "", cost=form.cost.data,
        neighbourhood_ids=form.neighbourhoods.data or [], translations=form.translations(),
        picture=form.picture_change())


def _is_fragment_request() -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


# Proposals ----------------------------------------------------------------------------------

@bp.get("/")
def index():
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase != "draft")
                                .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    visible = Proposal.visible_to(current_user)
    cycle = None
    if slug := request.args.get("cycle"):
        cycle = next((c for c in cycles if c.slug == slug), None)
        if cycle is None:
            abort(404)
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(400)
    in_cycle = visible.where(Proposal.cycle_id == cycle.id) if cycle else visible
    in_status = visible.where(Proposal.status == status) if status else visible
    query = in_cycle.where(Proposal.status == status) if status else in_cycle
    proposals = db.session.scalars(query.options(selectinload(Proposal.cycle),
                                                 selectinload(Proposal.board))
                                   .order_by(Proposal.cycle_id.desc(), Proposal.title)).all()
    sort = sort_choice(request.args.get("sort"))
    votes = votes_for(proposals)
    proposals = sort_proposals(proposals, votes, sort)
    drafting = db.session.scalar(select(Cycle.id).where(
        Cycle.phase.in_(svc.DRAFTING_PHASES)).limit(1)) is not None
    context = dict(proposals=proposals, cycles=cycles, cycle=cycle, status=status,
                   votes=votes, sort=sort, sorts=SORTS,
                   statuses=STATUSES, boards=svc.member_boards(current_user),
                   drafting=drafting, **_tallies(in_cycle, in_status, cycles))
    template = "proposals/_list.html" if _is_fragment_request() else "proposals/index.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}


def _tallies(in_cycle, in_status, cycles: list[Cycle]) -> dict:
    """How many proposals the reader may see per status (within the chosen cycle) and per
    cycle (with the chosen status), in the list's orders; empty ones left out."""
    per_status = dict(db.session.execute(
        in_cycle.with_only_columns(Proposal.status, func.count()).group_by(Proposal.status)).all())
    per_cycle = dict(db.session.execute(
        in_status.with_only_columns(Proposal.cycle_id, func.count())
        .group_by(Proposal.cycle_id)).all())
    return {"by_status": [(s, per_status[s]) for s in STATUSES if per_status.get(s)],
            "by_cycle": [(c, per_cycle[c.id]) for c in cycles if per_cycle.get(c.id)]}


@bp.get("/<int:proposal_id>")
def show(proposal_id: int, withdraw_form: WithdrawForm | None = None):
    proposal = _proposal_or_404(proposal_id)
    return render_template(
        "proposals/show.html", proposal=proposal, withdraw_form=withdraw_form or WithdrawForm(),
        can_edit=_allowed(svc.check_edit, proposal),
        can_submit=_allowed(svc.check_submit, proposal),
        can_review=_allowed(svc.check_review, proposal),
        can_withdraw=_allowed(svc.check_withdraw, proposal),
        outcome=svc.count_outcome(proposal) if proposal.status in ("funded", "not_funded")
        else None, votes=votes_for([proposal]).get(proposal.id),
        timeline=proposal_timeline(proposal))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    idea = None
    if (idea_id := id_arg("idea")) is not None:
        idea = db.session.get(Idea, idea_id)
        if idea is None:
            abort(404)
    boards = svc.member_boards(current_user)
    if not boards:
        abort(403)
    if idea is not None:
        cycles = [idea.cycle]
    else:
        cycles = db.session.scalars(select(Cycle).where(Cycle.phase.in_(svc.DRAFTING_PHASES))
                                    .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    back = url_for(".idea", idea_id=idea.id) if idea else url_for(".index")
    try:
        if not cycles:
            raise svc.NotNow(_("No budget cycle is open for proposals just now. Nothing was "
                               "changed."))
        svc.check_create_draft(current_user, boards[0], cycles[0], idea)
    except svc.Refused as error:
        return _refuse(error, back)
    form = NewProposalForm(data=_from_idea(idea) if request.method == "GET" else None)
    form.board.choices = [SelectChoice(b.id, b.name) for b in boards]
    form.cycle.choices = [SelectChoice(c.id, _("%(cycle)s (%(phase)s phase)", cycle=c.name,
                                               phase=FILTERS["phase_label"](c.phase)))
                          for c in cycles]
    form.neighbourhoods.choices = _hood_choices(idea.cycle if idea else None)
    if request.method == "POST" and form.board.data not in {b.id for b in boards} and \
            db.session.get(Board, form.board.data or 0) is not None:
        abort(403)  # someone else's board: a matter of role, not of a mistyped form
    if form.validate_on_submit():
        board = next(b for b in boards if b.id == form.board.data)
        cycle = next(c for c in cycles if c.id == form.cycle.data)
        try:
            proposal = svc.create_draft(current_user, board, cycle, _fields(form), idea=idea)
        except (svc.NotAllowed, svc.NotNow) as error:
            return _refuse(error, back)
        except svc.Refused as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Draft saved. Only your board and staff can see it until it is reviewed."))
            return redirect(url_for(".show", proposal_id=proposal.id), 303)
    return render_template("proposals/form.html", form=form, idea=idea, proposal=None)


def _from_idea(idea: Idea | None) -> dict | None:
    if idea is None:
        return None
    return {"problem": f"{idea.problem}\n\nWhere: {idea.place}", "description": idea.suggestion,
            "cycle": idea.cycle_id,
            "neighbourhoods": [idea.neighbourhood_id] if idea.neighbourhood_id else []}


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    back = url_for(".show", proposal_id=proposal.id)
    try:
        svc.check_edit(current_user, proposal)
    except svc.Refused as error:
        return _refuse(error, back)
    form = ProposalForm(data=_draft_data(proposal) if request.method == "GET" else None)
    form.neighbourhoods.choices = _hood_choices(proposal.cycle)
    form.current_image = proposal.image
    if form.validate_on_submit():
        try:
            svc.update_draft(current_user, proposal, _fields(form))
        except (svc.NotAllowed, svc.NotNow) as error:
            return _refuse(error, back)
        except svc.Refused as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Draft saved."))
            return redirect(back, 303)
    return render_template("proposals/form.html", form=form, idea=None, proposal=proposal)


def _draft_data(proposal: Proposal) -> dict:
    names = ("title", "summary", "description", "problem", "root_cause", "metrics")
    return {**{n: getattr(proposal, n) for n in names}, "cost": proposal.cost,
            "picture_alt": proposal.image.alt if proposal.image else "",
            "neighbourhoods": [n.id for n in proposal.neighbourhoods],
            **ProposalForm.translation_data(proposal)}


@bp.post("/<int:proposal_id>/submit")
@login_required
def submit(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    back = url_for(".show", proposal_id=proposal.id)
    try:
        svc.submit_proposal(current_user, proposal)
    except svc.Refused as error:
        return _refuse(error, back)
    db.session.commit()
    flash(_("Submitted for staff review. It can no longer be edited."))
    return redirect(back, 303)


@bp.route("/<int:proposal_id>/review", methods=["GET", "POST"])
@login_required
def review(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    back = url_for(".show", proposal_id=proposal.id)
    try:
        svc.check_review(current_user, proposal)
    except svc.Refused as error:
        return _refuse(error, back)
    form = ReviewForm()
    if not svc.can_send_back(proposal):
        form.decision.choices = [c for c in form.decision.choices if c.value != "send_back"]
    if form.validate_on_submit():
        try:
            svc.review_proposal(current_user, proposal, form.decision.data, form.reason.data or "",
                                form.feasibility_note.data or "", form.cost_note.data or "",
                                reason_es=form.reason_es.data or "")
        except (svc.NotAllowed, svc.NotNow) as error:
            return _refuse(error, back)
        except svc.Refused as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            if proposal.status == "draft":
                flash(_("Sent back to %(board)s for changes; its members can edit and "
                              "submit it again.", board=proposal.board.name))
            else:
                flash(_("Proposal %(status)s. The decision and its reason are now public.",
                        status=FILTERS["status_label"](proposal.status).lower()))
            return redirect(back, 303)
    return render_template("proposals/review.html", form=form, proposal=proposal)


@bp.post("/<int:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    back = url_for(".show", proposal_id=proposal.id)
    try:
        svc.check_withdraw(current_user, proposal)
    except svc.Refused as error:
        return _refuse(error, back)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return show(proposal_id, withdraw_form=form)
    svc.withdraw_proposal(current_user, proposal, form.reason.data or "")
    db.session.commit()
    flash(_("Proposal withdrawn."))
    return redirect(back, 303)


# Resident ideas -------------------------------------------------------------------------------

@bp.get("/cycles/<slug>/ideas")
def ideas(slug: str):
    cycle = _public_cycle_or_404(slug)
    rows = db.session.scalars(select(Idea).where(Idea.cycle_id == cycle.id)
                              .order_by(Idea.created_at.desc(), Idea.id.desc())).all()
    return render_template("proposals/ideas.html", cycle=cycle, ideas=rows,
                           open_for_ideas=cycle.phase in svc.IDEA_PHASES,
                           can_view=lambda p: svc.can_view(current_user, p))


@bp.route("/cycles/<slug>/ideas/new", methods=["GET", "POST"])
@login_required
def new_idea(slug: str):
    cycle = _public_cycle_or_404(slug)
    back = url_for(".ideas", slug=cycle.slug)
    try:
        svc.check_submit_idea(current_user, cycle)
    except svc.Refused as error:
        return _refuse(error, back)
    form = IdeaForm()
    form.neighbourhood.choices = [SelectChoice(0, _("Not sure, or city-wide")),
                                  *_hood_choices(cycle)]
    if form.validate_on_submit():
        try:
            idea = svc.submit_idea(current_user, cycle, form.problem.data, form.place.data,
                                   form.suggestion.data, form.neighbourhood.data or None)
        except (svc.NotAllowed, svc.NotNow) as error:
            return _refuse(error, back)
        except svc.Refused as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Thank you: your idea is now listed for the boards to consider."))
            return redirect(url_for(".idea", idea_id=idea.id), 303)
    return render_template("proposals/idea_form.html", form=form, cycle=cycle)


@bp.get("/ideas/<int:idea_id>")
def idea(idea_id: int):
    found = db.session.get(Idea, idea_id)
    if found is None or found.cycle.phase == "draft":
        abort(404)
    can_develop = (found.proposal_id is None and bool(svc.member_boards(current_user))
                   and found.cycle.phase in svc.DRAFTING_PHASES)
    return render_template("proposals/idea.html", idea=found, can_develop=can_develop,
                           can_view=lambda p: svc.can_view(current_user, p),
                           sees_authors=current_user.is_authenticated and (
                               current_user.is_staff or bool(svc.member_boards(current_user))))
