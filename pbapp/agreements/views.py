"""Agreement pages: the public list and each agreement's page; staff create, change and delete
them. Staff pages carry a banner naming agreements that expire within 30 days."""
from __future__ import annotations

from flask import (abort, flash, has_request_context, redirect, render_template, request,
                   url_for)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from .. import page_memory
from ..auth.permissions import staff_required
from ..extensions import db
from ..metrics.models import Metric
from ..models_base import site_today
from . import bp
from . import services as svc
from .forms import AgreementForm, DeleteForm
from .models import Agreement, ConsentText
from .rules import WARN_DAYS, expiring, withheld

# metric pages name their agreement and say when its retention hid their numbers
page_memory.watch(Agreement, ConsentText)

#: staff pages that carry the expiry banner (besides every agreements page)
STAFF_PAGES = ("cycles.manage_index", "metrics.new", "metrics.edit", "metrics.new_measurement",
               "metrics.measurements", "metrics.import_measurements")


@bp.app_context_processor
def agreement_warnings() -> dict:
    """Agreements expiring within 30 days, for staff on staff pages; nothing for anyone else
    (and no query)."""
    endpoint = (request.endpoint or "") if has_request_context() else ""
    if not (endpoint in STAFF_PAGES or endpoint.startswith("agreements.")):
        return {}
    if not (current_user.is_authenticated and current_user.is_staff):
        return {}
    return {"agreement_warnings": expiring(site_today()), "agreement_today": site_today()}


@bp.app_context_processor
def agreement_helpers() -> dict:
    return {"agreement_withheld": lambda metric: withheld(metric, site_today())}


def _agreement_or_404(slug: str) -> Agreement:
    if not svc.SLUG_PATTERN.match(slug or "") or len(slug) > 80:
        abort(404)
    found = db.session.scalar(select(Agreement).where(Agreement.slug == slug))
    if found is None:
        abort(404)
    return found


@bp.get("/")
def index():
    agreements = db.session.scalars(select(Agreement).order_by(Agreement.title,
                                                               Agreement.slug)).all()
    return render_template("agreements/index.html", agreements=agreements, today=site_today())


@bp.get("/<slug>")
def show(slug: str):
    agreement = _agreement_or_404(slug)
    return render_template("agreements/show.html", agreement=agreement, today=site_today(),
                           warn_days=WARN_DAYS)


def _pin(form, error: svc.Invalid) -> None:
    """Undo anything half-done and put each problem on its field (or the whole form)."""
    db.session.rollback()
    for name, message in error.problems:
        field = getattr(form, name, None) if name else None
        if field is None or not hasattr(field, "errors"):
            form.form_errors.append(message)
        elif message[:1].isupper():
            field.errors = [*field.errors, message]
        else:
            field.errors = [*field.errors, f"{field.label.text} {message}"]


def _form(agreement: Agreement | None):
    metrics = db.session.scalars(select(Metric).order_by(Metric.name, Metric.key)).all()
    data = None
    if agreement is not None and request.method == "GET":
        data = AgreementForm.translation_data(agreement)
        current = agreement.consent
        data.update(consent=current.body if current else "",
                    consent_es=((current.translations or {}).get("es") or {}).get("body", "")
                    if current else "", metrics=[m.id for m in agreement.metrics])
    form = AgreementForm(obj=agreement if request.method == "GET" else None, data=data)
    form.metrics.choices = [(m.id, m.text("name", None) + f" ({m.key})") for m in metrics]
    if form.validate_on_submit():
        values = svc.AgreementFields(**{name: form[name].data or "" for name in (
            "slug", "title", "parties", "purpose", "legal_basis", "data_shared", "protection",
            "retention", "objection", "contact")}, **{name: form[name].data for name in svc.DATES})
        try:
            saved = svc.save_agreement(current_user, values, agreement, form.translations(),
                                       form.consent.data or "",
                                       {"es": {"body": form.consent_es.data or ""}},
                                       list(form.metrics.data or []))
        except svc.Invalid as error:
            _pin(form, error)
        else:
            db.session.commit()
            flash(gettext("Agreement “%(title)s” saved.", title=saved.title), "success")
            return redirect(url_for(".show", slug=saved.slug), 303)
    elif request.method == "POST":
        db.session.rollback()
    return render_template("agreements/form.html", form=form, agreement=agreement)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    return _form(None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit(slug: str):
    return _form(_agreement_or_404(slug))


@bp.post("/<slug>/delete")
@staff_required
def delete(slug: str):
    agreement = _agreement_or_404(slug)
    if not DeleteForm().validate_on_submit():
        abort(400)
    title = agreement.title
    svc.delete_agreement(current_user, agreement)
    db.session.commit()
    flash(gettext("Agreement “%(title)s” deleted; its metrics now come under none.",
                  title=title), "success")
    return redirect(url_for(".index"), 303)
