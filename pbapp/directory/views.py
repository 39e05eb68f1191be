"""The public directory (search, filters, a page per entry, the HSDS file) and the tools of the
boards and staff who keep it."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..auth.permissions import staff_required
from ..boards.models import Board
from ..cycles.models import Neighbourhood
from ..extensions import db
from ..projects.models import Project
from . import bp
from .forms import ImportForm, ServiceForm, category_label
from .hsds import MAX_BYTES, DirectoryImportInvalid, export_document, import_document
from .models import CATEGORIES, Service
from .services import (PAGE_SIZE, add_service, find, keeper_boards, language_choices,
                       language_name, may_keep, neighbourhood_choices, parse_search,
                       remove_service, update_service)


@bp.app_context_processor
def directory_helpers():
    return {"category_label": category_label, "language_name": language_name}


def _htmx_fragment() -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


@bp.route("")
def index():
    """Search and filters in one GET form; a value no filter offers is named (400), never a 500."""
    search = parse_search(request.args, gettext)
    services = find(search)
    context = dict(search=search, services=services, page_size=PAGE_SIZE,
                   hoods=neighbourhood_choices(), languages=language_choices(get_locale()),
                   categories=[(c, category_label(c)) for c in CATEGORIES],
                   may_add=may_keep(current_user))
    template = "directory/_results.html" if _htmx_fragment() else "directory/index.html"
    status = 400 if search.problems else 200
    return render_template(template, **context), status, {"Vary": "HX-Request"}


def _service_or_404(service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    return service


@bp.route("/<int:service_id>")
def show(service_id: int):
    service = _service_or_404(service_id)
    return render_template("directory/show.html", service=service,
                           may_edit=may_keep(current_user, service), delete_form=FlaskForm())


def _form_page(form: ServiceForm, service: Service | None):
    boards = keeper_boards(current_user)
    if service is not None and service.board is not None and service.board not in boards:
        boards.append(service.board)
    hoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)).all()
    projects = db.session.scalars(select(Project).order_by(Project.title)).all()
    form.set_choices(boards, hoods, projects,
                     service.language_codes if service is not None else ())
    return boards


def _allowed_board(form: ServiceForm) -> bool:
    allowed = {b.id for b in keeper_boards(current_user)}
    if form.board_id.data not in allowed:
        form.board_id.errors = [gettext("You may keep entries only for a board you sit on.")]
        return False
    return True


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not may_keep(current_user):
        abort(403)
    form = ServiceForm()
    _form_page(form, None)
    if form.validate_on_submit() and _allowed_board(form):
        service = add_service(form.data_for_service(), current_user)
        db.session.commit()
        flash(gettext("The entry was added to the directory."), "success")
        return redirect(url_for(".show", service_id=service.id), 303)
    return render_template("directory/form.html", form=form, service=None)


@bp.route("/<int:service_id>/edit", methods=["GET", "POST"])
@login_required
def edit(service_id: int):
    service = _service_or_404(service_id)
    if not may_keep(current_user, service):
        abort(403)
    if request.method == "GET":
        stored = {name: getattr(service, name) for name in (
            "name", "organization", "board_id", "category", "description", "eligibility",
            "address", "city", "postal_code", "hours", "phone", "email", "website")}
        form = ServiceForm(data={
            **stored, **ServiceForm.translation_data(service),
            "languages": service.language_codes,
            "neighbourhoods": [h.id for h in service.neighbourhoods],
            "projects": [p.id for p in service.projects]})
    else:
        form = ServiceForm()
    _form_page(form, service)
    if form.validate_on_submit() and _allowed_board(form):
        update_service(service, form.data_for_service(), current_user)
        db.session.commit()
        flash(gettext("The entry was saved."), "success")
        return redirect(url_for(".show", service_id=service.id), 303)
    return render_template("directory/form.html", form=form, service=service)


@bp.route("/<int:service_id>/delete", methods=["POST"])
@login_required
def delete(service_id: int):
    service = _service_or_404(service_id)
    if not may_keep(current_user, service):
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    remove_service(service, current_user)
    db.session.commit()
    flash(gettext("The entry was removed from the directory."), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/hsds.json")
def hsds():
    """The whole directory in HSDS 3.0 (see ``hsds`` for the fields mapped)."""
    response = jsonify(export_document())
    response.headers["Content-Disposition"] = 'inline; filename="directory-hsds.json"'
    return response


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_hsds():
    form = ImportForm()
    form.board_id.choices = [(0, gettext("No board"))] + [
        (b.id, b.name) for b in db.session.scalars(select(Board).order_by(Board.name))]
    problems: list[str] = []
    if form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        try:
            added, updated = import_document(data, current_user, form.board_id.data or None)
        except DirectoryImportInvalid as error:
            db.session.rollback()
            problems = error.lines(gettext)
        else:
            db.session.commit()
            flash(gettext("Imported the directory: %(added)d new entries, %(updated)d updated.",
                          added=added, updated=updated), "success")
            return redirect(url_for(".import_hsds"), 303)
    return render_template("directory/import.html", form=form, problems=problems)
