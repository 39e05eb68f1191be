"""Plan pages: the public list and page, and the board's and staff's forms. Each view loads (404),
checks the person (403), calls a service and redirects (303), or shows the form with the
service's refusal beside the field it names."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from ..boards.models import Board, Membership
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..metrics.models import Metric
from ..models_base import site_today
from ..projects.models import Project
from ..proposals.models import Proposal
from . import bp
from .figures import plan_figures, target_figures
from .forms import (PLAN_STATUS_LABELS, STATE_LABELS, STATUS_LABELS, ActionForm, EmptyForm,
                    NoteForm, PlanForm, ReviewForm, TargetForm)
from .models import ActionPlan, ActionTarget, PlanAction
from .review import ReviewFields, already_reviewed, following_period, review_plan
from .services import (ActionFields, Invalid, NotAllowed, PlanFields, Refused, TargetFields,
                       action_state, add_action, add_note, add_target, can_edit, can_view,
                       create_plan, publish_plan, remove_target, update_action, update_plan)


@bp.app_context_processor
def plan_helpers():
    return {"board_plans": board_plans, "action_state": action_state,
            "may_plan": lambda board: can_edit(current_user, board.id),
            "state_label": lambda s: gettext(STATE_LABELS[s]),
            "action_status_label": lambda s: gettext(STATUS_LABELS.get(s, s)),
            "plan_status_label": lambda s: gettext(PLAN_STATUS_LABELS.get(s, s))}


def board_plans(board: Board) -> list[ActionPlan]:
    """The board's plans the reader may see, newest period first (for the board's page)."""
    plans = db.session.scalars(select(ActionPlan).where(ActionPlan.board_id == board.id)
                               .order_by(ActionPlan.period_start.desc(), ActionPlan.id.desc()))
    return [p for p in plans if can_view(current_user, p)]


def _plan_or_404(plan_id: int) -> ActionPlan:
    plan = db.session.get(ActionPlan, plan_id)
    if plan is None or not can_view(current_user, plan):
        abort(404)
    return plan


def _editable(plan_id: int) -> ActionPlan:
    plan = _plan_or_404(plan_id)
    if not can_edit(current_user, plan.board_id):
        abort(403)
    return plan


def _action_or_404(plan: ActionPlan, action_id: int) -> PlanAction:
    action = db.session.get(PlanAction, action_id)
    if action is None or action.plan_id != plan.id:
        abort(404)
    return action


def _refused(form, error: Refused) -> None:
    """Show a refusal beside its field, else at the top of the page."""
    if isinstance(error, NotAllowed):
        abort(403)
    name = getattr(error, "field", None)
    if name and name in form:
        form[name].errors = [*form[name].errors, str(error)]
    else:
        flash(str(error), "error")


@bp.get("")
def index():
    plans = db.session.scalars(select(ActionPlan).order_by(
        ActionPlan.period_start.desc(), ActionPlan.id.desc())).all()
    return render_template("plans/index.html",
                           plans=[p for p in plans if can_view(current_user, p)])


@bp.get("/<int:plan_id>")
def show(plan_id: int):
    plan = _plan_or_404(plan_id)
    today = site_today()
    return render_template(
        "plans/show.html", plan=plan, figures=plan_figures(plan), today=today,
        targets={a.id: [target_figures(t) for t in a.targets] for a in plan.actions},
        may_edit=can_edit(current_user, plan.board_id), button=EmptyForm(),
        reviewed=already_reviewed(plan))


# Plans ----------------------------------------------------------------------------------------

def _plan_choices(form: PlanForm) -> None:
    locale = get_locale()
    form.neighbourhoods.choices = [(h.id, h.name) for h in db.session.scalars(
        select(Neighbourhood).order_by(Neighbourhood.name))]
    form.metrics.choices = [(m.id, m.text("name", locale)) for m in db.session.scalars(
        select(Metric).order_by(Metric.name))]


def _plan_fields(form: PlanForm) -> PlanFields:
    return PlanFields(title=form.title.data or "", period_start=form.period_start.data,
                      period_end=form.period_end.data, needs=form.needs.data or "",
                      neighbourhood_ids=form.neighbourhoods.data or [],
                      metric_ids=form.metrics.data or [], translations=form.translations())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    board = db.session.scalar(select(Board).where(Board.slug == request.args.get("board", "")))
    if board is None:
        abort(404)
    if not can_edit(current_user, board.id):
        abort(403)
    form = PlanForm()
    _plan_choices(form)
    if not form.is_submitted():
        form.neighbourhoods.data = [h.id for h in board.neighbourhoods]
    if form.validate_on_submit():
        try:
            plan = create_plan(current_user, board, _plan_fields(form))
        except Refused as error:
            db.session.rollback()
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("The plan was saved as a draft."), "success")
            return redirect(url_for(".show", plan_id=plan.id), 303)
    return render_template("plans/plan_form.html", form=form, board=board, plan=None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit(plan_id: int):
    plan = _editable(plan_id)
    if request.method == "GET":
        form = PlanForm(obj=plan, data=PlanForm.translation_data(plan))
        form.neighbourhoods.data = [h.id for h in plan.neighbourhoods]
        form.metrics.data = [f.metric_id for f in plan.figures]
    else:
        form = PlanForm()
    _plan_choices(form)
    if form.validate_on_submit():
        try:
            update_plan(current_user, plan, _plan_fields(form))
        except Refused as error:
            db.session.rollback()
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("The plan was saved."), "success")
            return redirect(url_for(".show", plan_id=plan.id), 303)
    return render_template("plans/plan_form.html", form=form, board=plan.board, plan=plan)


@bp.post("/<int:plan_id>/publish")
@login_required
def publish(plan_id: int):
    plan = _editable(plan_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        publish_plan(current_user, plan)
    except Refused as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("The plan is public now."), "success")
    return redirect(url_for(".show", plan_id=plan.id), 303)


# Actions --------------------------------------------------------------------------------------

def _action_choices(form: ActionForm, plan: ActionPlan) -> None:
    seats = db.session.scalars(select(Membership).where(Membership.board_id == plan.board_id)
                               .order_by(Membership.organisation, Membership.id)).all()
    named = [(m.id, f"{m.organisation or m.user.name} ({m.user.name})") for m in seats]
    form.lead_id.choices = [(0, gettext("Choose a seat"))] + named
    form.partner_ids.choices = named
    form.status.choices = [(k, gettext(v)) for k, v in STATUS_LABELS.items()]
    locale = get_locale()
    form.project_ids.choices = [(p.id, p.text("title", locale)) for p in db.session.scalars(
        select(Project).where(Project.board_id == plan.board_id).order_by(Project.id))]
    form.proposal_ids.choices = [(p.id, p.text("title", locale)) for p in db.session.scalars(
        select(Proposal).where(Proposal.board_id == plan.board_id,
                               Proposal.status != "draft").order_by(Proposal.id))]


def _action_fields(form: ActionForm) -> ActionFields:
    return ActionFields(
        title=form.title.data or "", due_on=form.due_on.data, status=form.status.data or "",
        description=form.description.data or "", lead_id=form.lead_id.data,
        partner_ids=form.partner_ids.data or [], partners_text=form.partners_text.data or "",
        project_ids=form.project_ids.data or [], proposal_ids=form.proposal_ids.data or [],
        translations=form.translations())


@bp.route("/<int:plan_id>/actions/new", methods=["GET", "POST"])
@login_required
def new_action(plan_id: int):
    plan = _editable(plan_id)
    form = ActionForm()
    _action_choices(form, plan)
    if form.validate_on_submit():
        try:
            action = add_action(current_user, plan, _action_fields(form))
        except Refused as error:
            db.session.rollback()
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("The action was added."), "success")
            return redirect(url_for(".show", plan_id=plan.id, _anchor=f"action-{action.id}"),
                            303)
    return render_template("plans/action_form.html", form=form, plan=plan, action=None)


@bp.route("/<int:plan_id>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(plan_id: int, action_id: int):
    plan = _editable(plan_id)
    action = _action_or_404(plan, action_id)
    if request.method == "GET":
        form = ActionForm(obj=action, data=ActionForm.translation_data(action))
        form.lead_id.data = action.lead_id or 0
        form.partner_ids.data = [m.id for m in action.partner_seats]
        form.project_ids.data = [p.id for p in action.projects]
        form.proposal_ids.data = [p.id for p in action.proposals]
    else:
        form = ActionForm()
    _action_choices(form, plan)
    if form.validate_on_submit():
        try:
            update_action(current_user, action, _action_fields(form))
        except Refused as error:
            db.session.rollback()
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("The action was saved."), "success")
            return redirect(url_for(".show", plan_id=plan.id, _anchor=f"action-{action.id}"),
                            303)
    return render_template("plans/action_form.html", form=form, plan=plan, action=action)


@bp.route("/<int:plan_id>/actions/<int:action_id>/note", methods=["GET", "POST"])
@login_required
def note(plan_id: int, action_id: int):
    plan = _editable(plan_id)
    action = _action_or_404(plan, action_id)
    form = NoteForm()
    if not form.is_submitted():
        form.noted_on.data = site_today()
    if form.validate_on_submit():
        try:
            add_note(current_user, action, form.noted_on.data, form.body.data or "",
                     form.translations())
        except Refused as error:
            db.session.rollback()
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("The progress note was added."), "success")
            return redirect(url_for(".show", plan_id=plan.id, _anchor=f"action-{action.id}"),
                            303)
    return render_template("plans/note_form.html", form=form, plan=plan, action=action)


@bp.route("/<int:plan_id>/actions/<int:action_id>/targets", methods=["GET", "POST"])
@login_required
def targets(plan_id: int, action_id: int):
    plan = _editable(plan_id)
    action = _action_or_404(plan, action_id)
    form = TargetForm()
    locale = get_locale()
    form.metric_id.choices = [(0, gettext("Choose a metric"))] + [
        (m.id, m.text("name", locale)) for m in db.session.scalars(
            select(Metric).order_by(Metric.name))]
    form.neighbourhood_id.choices = [(0, gettext("The whole city"))] + [
        (h.id, h.name) for h in db.session.scalars(select(Neighbourhood)
                                                  .order_by(Neighbourhood.name))]
    if form.validate_on_submit():
        try:
            add_target(current_user, action, TargetFields(
                form.metric_id.data, form.neighbourhood_id.data, form.baseline_on.data,
                form.target_value.data, form.target_on.data))
        except Refused as error:
            db.session.rollback()
            _refused(form, error)
        else:
            db.session.commit()
            flash(gettext("The target was added."), "success")
            return redirect(url_for(".targets", plan_id=plan.id, action_id=action.id), 303)
    return render_template("plans/targets.html", form=form, plan=plan, action=action,
                           figures=[target_figures(t) for t in action.targets],
                           button=EmptyForm())


@bp.post("/<int:plan_id>/actions/<int:action_id>/targets/<int:target_id>/remove")
@login_required
def remove_target_view(plan_id: int, action_id: int, target_id: int):
    plan = _editable(plan_id)
    action = _action_or_404(plan, action_id)
    target = db.session.get(ActionTarget, target_id)
    if target is None or target.action_id != action.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        remove_target(current_user, target)
    except Refused as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("The target was removed."), "success")
    return redirect(url_for(".targets", plan_id=plan.id, action_id=action.id), 303)


# The yearly review ----------------------------------------------------------------------------

@bp.route("/<int:plan_id>/review", methods=["GET", "POST"])
@login_required
def review(plan_id: int):
    plan = _editable(plan_id)
    refused = already_reviewed(plan)
    form = ReviewForm()
    if not form.is_submitted():
        period = following_period(plan)
        if period:
            form.next_start.data, form.next_end.data = period
        form.next_title.data = plan.title
    if refused is None and form.validate_on_submit():
        try:
            successor = review_plan(current_user, plan, ReviewFields(
                review=form.review.data or "", next_title=form.next_title.data or "",
                next_start=form.next_start.data, next_end=form.next_end.data,
                review_translations={"es": {"review": form.review_es.data or ""}},
                next_translations={"es": {"title": form.next_title_es.data or ""}}))
        except Refused as error:
            db.session.rollback()
            _refused(form, _renamed(error))
        else:
            db.session.commit()
            flash(gettext("The plan was closed and its next plan opened as a draft, with the "
                          "unfinished actions carried over."), "success")
            return redirect(url_for(".show", plan_id=successor.id), 303)
    elif refused and form.is_submitted():
        flash(refused, "error")
    status = 409 if refused and form.is_submitted() else 200
    return render_template("plans/review.html", form=form, plan=plan, refused=refused), status


def _renamed(error: Refused) -> Refused:
    """The next plan's fields carry the plan form's names; point them at the review form's."""
    names = {"title": "next_title", "period_start": "next_start", "period_end": "next_end"}
    if isinstance(error, Invalid) and error.field in names:
        error.field = names[error.field]
    return error


from . import report as _report  # noqa: E402,F401  (the plan's report and its downloads)
