"""Story pages: the public list, the form, the private withdrawal link's page, and staff's
moderation queue. Every state change is a POST form with its CSRF token; no JavaScript needed."""
from __future__ import annotations

from flask import (abort, current_app, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import page_memory
from ..auth.permissions import staff_required
from ..cycles.models import Neighbourhood
from ..extensions import db, limiter
from ..images.forms import REASONS
from ..images.processing import MAX_UPLOAD_BYTES, ImageRefused, clean_image
from ..metrics.models import Metric
from ..number_inputs import id_arg, page_arg
from ..projects.models import Project
from . import bp
from . import services as svc
from .forms import CONSENT, NAME_LABELS, ApproveForm, DeclineForm, StoryForm, WithdrawForm
from .mail import send_withdrawal_link
from .models import BODY_MAX, Story
from .placing import approved, shown

# pages kept for signed-out readers (project, metric, reports) show stories: an approval or a
# withdrawal forgets them at once in this process
page_memory.watch(Story)

#: per account, counted only when a story was stored (a refused one costs nothing)
STORIES_PER_ACCOUNT = "5 per day"
DONE = "pbapp.story_done"
PAGE_SIZE = 30


def _limit():
    return current_app.config.get("STORIES_PER_ACCOUNT", STORIES_PER_ACCOUNT)


def _done(_response) -> bool:
    return request.environ.get(DONE, False)


def _account() -> str:
    return f"user:{current_user.id}"


def _no_store(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# Public ----------------------------------------------------------------------------------------

@bp.get("/stories")
def index():
    page = page_arg()
    found = list(db.session.scalars(approved().limit(PAGE_SIZE + 1)
                                    .offset((page - 1) * PAGE_SIZE)))
    if page > 1 and not found:
        abort(404)
    return render_template("stories/index.html", stories=shown(found[:PAGE_SIZE]), page=page,
                           more=len(found) > PAGE_SIZE)


def _choices(form: StoryForm) -> None:
    locale = get_locale()
    none = [("", _("— none —"))]
    form.neighbourhood.choices = none + [
        (str(h.id), h.name) for h in db.session.scalars(
            select(Neighbourhood).order_by(Neighbourhood.name))]
    form.project.choices = none + [
        (str(p.id), p.text("title", locale)) for p in db.session.scalars(
            select(Project).order_by(Project.title))]
    form.metric.choices = none + [
        (str(m.id), m.text("name", locale)) for m in db.session.scalars(
            select(Metric).order_by(Metric.name))]
    name = current_user.name if current_user.is_authenticated else ""
    form.name_choice.choices = [(k, _(v, name=name) if k == "own" else _(v))
                                for k, v in NAME_LABELS.items()]


def _picked(field, model, message: str):
    raw = (field.data or "").strip()
    if not raw:
        return None
    found = (db.session.get(model, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 9
             else None)
    if found is None:
        raise svc.Refused(message)
    return found


def _picture(form: StoryForm):
    upload = form.picture.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    try:
        return clean_image(upload.stream.read(MAX_UPLOAD_BYTES + 1))
    except ImageRefused as refused:
        raise svc.Refused(str(REASONS[refused.reason])) from None


def _form_page(form: StoryForm, error: str | None = None, status: int = 200):
    return render_template("stories/new.html", form=form, error=error, body_max=BODY_MAX,
                           consent=_(CONSENT), why_not=svc.why_not_submit(current_user),
                           sign_in=url_for("auth.login", next=request.full_path)), status


@bp.get("/stories/new")
def new():
    form = StoryForm()
    _choices(form)
    for name in ("neighbourhood", "project", "metric"):
        ident = id_arg(name)
        if ident is not None:
            getattr(form, name).data = str(ident)
    return _form_page(form)


@bp.post("/stories/new")
@login_required
@limiter.limit(_limit, deduct_when=_done, scope="stories-submit-account", key_func=_account)
def submit():
    form = StoryForm()
    _choices(form)
    try:
        if not form.validate_on_submit():
            raise svc.Refused(_("The form had expired; nothing was saved. Try again."))
        story, secret = svc.submit(
            current_user._get_current_object(), body=form.body.data,
            name_choice=form.name_choice.data or "", given_name=form.given_name.data or "",
            consented=bool(form.consent.data), consent_text=_(CONSENT),
            locale=str(get_locale()),
            neighbourhood=_picked(form.neighbourhood, Neighbourhood,
                                  _("That neighbourhood is not on the list.")),
            project=_picked(form.project, Project, _("That project is not on the list.")),
            metric=_picked(form.metric, Metric, _("That measure is not on the list.")),
            picture=_picture(form), alt=form.picture_alt.data or "")
    except svc.Refused as error:
        db.session.rollback()
        return _form_page(form, str(error), 400)
    link = url_for(".withdraw", secret=secret, _external=True)
    send_withdrawal_link(current_user, link)
    db.session.commit()
    request.environ[DONE] = True
    return _no_store(render_template("stories/submitted.html", story=story, link=link))


@bp.route("/stories/withdraw/<secret>", methods=["GET", "POST"])
def withdraw(secret: str):
    """Whoever holds the link may withdraw: GET asks, POST does it (mail scanners open links)
    and answers 303 back to the link, whose page then says the story was withdrawn."""
    story = svc.by_secret(secret)
    if story is None:
        return _no_store((render_template("stories/withdraw_invalid.html"), 404))
    form = WithdrawForm()
    if request.method == "POST" and story.status != "withdrawn":
        if not form.validate_on_submit():
            flash(_("The form had expired; nothing was changed. Press the button again."),
                  "error")
        else:
            svc.withdraw(story)
            db.session.commit()
            return redirect(url_for(".withdraw", secret=secret), 303)
    return _no_store(render_template("stories/withdraw.html", story=story, form=form))


@bp.app_template_global()
def stories_beside(projects=(), metrics=(), neighbourhoods=()) -> list:
    """Approved stories for a project, metric or report page, under the small-cell rule."""
    from .placing import about

    return shown(about([p.id for p in projects], [m.id for m in metrics],
                       [h.id for h in neighbourhoods]))


# Staff -----------------------------------------------------------------------------------------

@bp.get("/staff/stories")
@staff_required
def queue():
    return render_template("stories/queue.html", pending=svc.pending(),
                           published=svc.recent_decided(), decline_form=DeclineForm())


def _moderated(story_id: int, act, done: str):
    story = db.session.get(Story, story_id) or abort(404)
    try:
        act(story)
    except svc.Refused as error:
        db.session.rollback()
        flash(_("Nothing was changed: %(why)s", why=str(error)), "error")
        return redirect(url_for(".queue", _anchor=f"story-{story_id}"), 303)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".queue"), 303)


def _checked(form):
    if not form.validate_on_submit():
        raise svc.Refused(_("The form had expired; nothing was saved. Try again."))
    return form


@bp.post("/staff/stories/<int:story_id>/approve")
@staff_required
def approve(story_id: int):
    def act(story):
        form = _checked(ApproveForm())
        svc.approve(current_user._get_current_object(), story, form.public_text.data,
                    form.public_text_es.data)
    return _moderated(story_id, act, _("The story is published."))


@bp.post("/staff/stories/<int:story_id>/redact")
@staff_required
def redact(story_id: int):
    def act(story):
        form = _checked(ApproveForm())
        svc.redact(current_user._get_current_object(), story, form.public_text.data,
                   form.public_text_es.data)
    return _moderated(story_id, act, _("The published text is changed."))


@bp.post("/staff/stories/<int:story_id>/decline")
@staff_required
def decline(story_id: int):
    def act(story):
        form = _checked(DeclineForm())
        svc.decline(current_user._get_current_object(), story, form.reason.data)
    return _moderated(story_id, act, _("The story is declined and its text erased."))
