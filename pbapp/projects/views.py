"""Project pages: public reading for everyone; the proposing board and staff keep them current.

Each handler loads (404) → checks the role (403) and the phase (a message, nothing changed) →
calls a service → commits once and redirects with 303, or shows the same form with its errors.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden

from .. import page_memory
from ..boards.models import Board
from ..cycles.models import Cycle
from ..cycles.results_cache import published
from ..extensions import db
from ..images.models import Image
from ..labels import FILTERS, N_
from ..metrics.progress import progress_for
from ..metrics.models import Measurement, Metric, ProjectMetric
from ..metrics.tables import format_value
from . import bp
from . import services as svc
from . import spending, targets
from .forms import (SPENDING_LABELS, CompleteMilestoneForm, MilestoneForm, PictureForm,
                    SpendingForm, StatusForm, TargetForm, UpdateForm)
from .models import (STATUS_LABELS, STATUSES, Milestone, Project, ProjectStatusChange,
                     ProjectUpdate, Spending, milestone_counts, spent_cents)

LISTED_PHASES = ("implementation", "closed")
# a project's page is kept for signed-out readers (``for_every_reader``); a commit in this
# worker that writes any of these forgets it at once
page_memory.watch(Project, ProjectStatusChange, Milestone, ProjectUpdate, Spending, Cycle, Board,
                  ProjectMetric, Metric, Measurement, Image)
from ..timeline import project_timeline


@bp.app_template_filter("project_status")
def project_status(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", (status or "").replace("_", " "))


@bp.app_template_filter("money")
def money(cents: int | None) -> str:
    """Whole units like the rest of the site (1,250); cents only when there are some (1,250.50)."""
    if cents is None:
        return "–"
    pattern = "#,##0" if cents % 100 == 0 else "#,##0.00"
    return format_decimal(Decimal(cents) / 100, format=pattern, locale=str(get_locale() or "en"))


#: the form's category labels, marked so the catalogue has them: public pages show them translated
_SPENDING_MSGIDS = (N_("Staff"), N_("Services and contracts"), N_("Equipment"), N_("Materials"),
                    N_("Events"), N_("Other"))


@bp.app_template_filter("spending_category")
def spending_category(category: str) -> str:
    """A spending category in the reader's language (an unknown code as stored)."""
    return gettext(SPENDING_LABELS[category]) if category in SPENDING_LABELS else category


@bp.app_template_filter("metric_value")
def metric_value(value: float | None, metric) -> str:
    return format_value(metric, value)


def _project_or_404(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    return project


def _milestone_or_404(project: Project, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        abort(404)
    return milestone


def _owned_or_404(model, row_id: int, project: Project):
    """A spending entry, target, ... of this project; another project's id is a 404."""
    row = db.session.get(model, row_id)
    if row is None or row.project_id != project.id:
        abort(404)
    return row


def _carry_out(project: Project, verb, row, done: str):
    """Run a one-click service verb on ``row``, commit and say so (a refusal: ``_refused``)."""
    verb(current_user, project, row)
    db.session.commit()
    flash(done)
    return _to_show(project)


def _submitted(form, project: Project, save, done):
    """A valid POST: ``save()`` (the service call) in the request's transaction, then commit,
    say ``done`` (text, or a callable giving text or (text, category)) and go back to the
    project. None when the form is to be shown, again with its errors if it was invalid; a
    refusal goes to ``_refused``."""
    if not form.validate_on_submit():
        return None
    try:
        save()
    except svc.Invalid as error:
        _invalid(form, error)
        return None
    db.session.commit()
    message = done() if callable(done) else done
    text, category = message if isinstance(message, tuple) else (message, "message")
    flash(text, category)
    return _to_show(project)


def _to_show(project: Project):
    return redirect(url_for(".show", project_id=project.id), 303)


@bp.errorhandler(svc.Refused)
def _refused(error: svc.Refused):
    """Any verb refused anywhere in these views: nothing half-done is kept; wrong person is
    403, wrong moment is a message on the project's page."""
    db.session.rollback()
    if isinstance(error, svc.NotAllowed):
        return current_app.handle_http_exception(Forbidden())
    flash(str(error), "error")
    return redirect(url_for(".show", project_id=request.view_args["project_id"]), 303)


def _invalid(form, error: svc.Invalid) -> None:
    """Undo anything half-done and pin the message on its field (or the whole form)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _is_fragment_request() -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


@bp.get("/")
def index():
    cycles = db.session.scalars(select(Cycle).where(Cycle.phase.in_(LISTED_PHASES))
                                .order_by(Cycle.created_at.desc(), Cycle.id.desc())).all()
    cycle = None
    if slug := request.args.get("cycle"):
        cycle = next((c for c in cycles if c.slug == slug), None)
        if cycle is None:
            abort(404)
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(400)
    projects = db.session.scalars(
        Project.listed(cycle.id if cycle else None, status)
        .options(selectinload(Project.cycle), selectinload(Project.board))).all()
    context = dict(projects=projects, cycles=cycles, cycle=cycle, status=status,
                   statuses=STATUSES, spent=spent_cents(p.id for p in projects),
                   milestones=milestone_counts(p.id for p in projects))
    template = "projects/_list.html" if _is_fragment_request() else "projects/index.html"
    return render_template(template, **context), 200, {"Vary": "HX-Request"}


@bp.get("/<int:project_id>")
@page_memory.for_every_reader  # a news story sends a crowd to one project
def show(project_id: int, complete_form: CompleteMilestoneForm | None = None,
         complete_for: int | None = None):
    project = _project_or_404(project_id)
    manage = svc.can_manage(current_user, project) and project.cycle.phase in svc.CHANGE_PHASES
    return render_template("projects/show.html", project=project, today=date.today(),
                           can_post=manage, can_plan=manage and not project.is_final,
                           can_picture=manage and current_user.is_staff,
                           can_delete_spending=manage and current_user.is_staff,
                           budget=spending.budget_summary(project),
                           progress=progress_for(project.id),
                           complete_form=complete_form or CompleteMilestoneForm(),
                           complete_for=complete_for,
                           result_published=published(project.cycle.slug) is not None,
                           timeline=project_timeline(project))


@bp.route("/<int:project_id>/updates/new", methods=["GET", "POST"])
@login_required
def new_update(project_id: int):
    project = _project_or_404(project_id)
    svc.check_manage(current_user, project, N_("Posting an update"))
    form = UpdateForm()
    posted = _submitted(form, project, lambda: svc.post_update(
        current_user, project, form.title.data, form.body.data, form.spanish()),
        gettext("Update published on the project's page."))
    return posted or render_template("projects/update_form.html", form=form, project=project)


@bp.route("/<int:project_id>/picture", methods=["GET", "POST"])
@login_required
def picture(project_id: int):
    project = _project_or_404(project_id)
    svc.check_picture(current_user, project)
    form = PictureForm(data={"picture_alt": project.image.alt if project.image else ""}
                       if request.method == "GET" else None)
    form.current_image = project.image
    posted = _submitted(form, project, lambda: svc.set_picture(
        current_user, project, form.picture_change()), gettext("Picture saved."))
    return posted or render_template("projects/picture_form.html", form=form, project=project)


@bp.route("/<int:project_id>/milestones/new", methods=["GET", "POST"])
@login_required
def new_milestone(project_id: int):
    return _milestone_form(_project_or_404(project_id), None)


@bp.route("/<int:project_id>/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit_milestone(project_id: int, milestone_id: int):
    project = _project_or_404(project_id)
    return _milestone_form(project, _milestone_or_404(project, milestone_id))


def _milestone_form(project: Project, milestone: Milestone | None):
    svc.check_open(current_user, project, N_("Changing milestones"))
    form = MilestoneForm(obj=milestone if request.method == "GET" else None,
                         data=MilestoneForm.spanish_data(milestone)
                         if request.method == "GET" else None)
    posted = _submitted(form, project, lambda: svc.save_milestone(
        current_user, project, svc.MilestoneFields(
            title=form.title.data, due_on=form.due_on.data, note=form.note.data or "",
            translations=form.spanish()),
        milestone), gettext("Milestone saved.") if milestone else gettext("Milestone added."))
    return posted or render_template("projects/milestone_form.html", form=form, project=project,
                           milestone=milestone)


@bp.post("/<int:project_id>/milestones/<int:milestone_id>/complete")
@login_required
def complete_milestone(project_id: int, milestone_id: int):
    project = _project_or_404(project_id)
    milestone = _milestone_or_404(project, milestone_id)
    svc.check_open(current_user, project, N_("Completing a milestone"))
    form = CompleteMilestoneForm()
    posted = _submitted(form, project, lambda: svc.complete_milestone(
        current_user, project, milestone, form.done_on.data),
        gettext("“%(title)s” marked done.", title=milestone.text("title", get_locale())))
    return posted or show(project.id, complete_form=form, complete_for=milestone.id)


@bp.route("/<int:project_id>/status", methods=["GET", "POST"])
@login_required
def change_status(project_id: int):
    project = _project_or_404(project_id)
    svc.check_open(current_user, project, N_("Changing the status"))
    form = StatusForm().set_choices(project.next_statuses)
    posted = _submitted(form, project, lambda: svc.change_status(
        current_user, project, form.status.data, form.reason.data or "",
        form.reason_es.data or ""),
        lambda: gettext("The project is now %(status)s.",
                        status=FILTERS["project_status_label"](project.status).lower()))
    return posted or render_template("projects/status_form.html", form=form, project=project)


@bp.route("/<int:project_id>/spending/new", methods=["GET", "POST"])
@login_required
def new_spending(project_id: int):
    project = _project_or_404(project_id)
    svc.check_manage(current_user, project, N_("Recording spending"))
    form = SpendingForm()

    def recorded():
        over = spending.budget_summary(project).over_cents
        if over:
            return gettext("Spending recorded. The project is now over budget by %(over)s.",
                           over=money(over)), "error"
        return gettext("Spending recorded.")

    posted = _submitted(form, project, lambda: spending.add_spending(
        current_user, project, spending.SpendingFields(
            spent_on=form.spent_on.data, amount=form.amount.data, category=form.category.data,
            payee=form.payee.data, note=form.note.data or "")), recorded)
    return posted or render_template("projects/spending_form.html", form=form, project=project,
                           budget=spending.budget_summary(project))


@bp.post("/<int:project_id>/spending/<int:spending_id>/delete")
@login_required
def delete_spending(project_id: int, spending_id: int):
    project = _project_or_404(project_id)
    return _carry_out(project, spending.delete_spending, _owned_or_404(Spending, spending_id, project),
                      done=gettext("Spending entry deleted; the audit log keeps what it said."))


@bp.route("/<int:project_id>/targets/new", methods=["GET", "POST"])
@login_required
def new_target(project_id: int):
    project = _project_or_404(project_id)
    svc.check_manage(current_user, project, N_("Setting metric targets"))
    form = TargetForm()
    posted = _submitted(form, project, lambda: targets.add_target(
        current_user, project, targets.TargetFields(
            metric_id=form.metric.data, neighbourhood_id=form.neighbourhood.data or None,
            baseline_value=form.baseline_value.data, baseline_period=form.baseline_period.data,
            baseline_on=form.baseline_on.data, target_value=form.target_value.data,
            target_on=form.target_on.data)), gettext("Metric target added."))
    return posted or render_template("projects/target_form.html", form=form, project=project)


@bp.post("/<int:project_id>/targets/<int:target_id>/remove")
@login_required
def remove_target(project_id: int, target_id: int):
    project = _project_or_404(project_id)
    return _carry_out(project, targets.remove_target, _owned_or_404(ProjectMetric, target_id, project),
                      done=gettext("Metric target removed."))
