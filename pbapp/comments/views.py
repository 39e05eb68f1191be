"""Comment forms (plain POST, 303 back to the page) and staff's moderation queue."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import page_memory
from ..auth.permissions import staff_required
from ..extensions import db, limiter
from ..projects.models import Project
from ..proposals.models import Proposal
from . import bp, notify
from . import services as svc
from .forms import CommentForm, FlagForm, HideForm, KeepForm
from .models import Comment

# a project page is kept for signed-out readers (page_memory): a comment posted, edited or hidden
# must show at once, so a commit writing one forgets the kept pages
page_memory.watch(Comment)

#: per account, counted only when a comment or flag was made (so a refused one costs nothing)
COMMENTS_PER_ACCOUNT = "10 per 10 minutes"
FLAGS_PER_ACCOUNT = "10 per 10 minutes"
DONE = "pbapp.comment_done"


def _limit(name: str, default: str):
    return lambda: current_app.config.get(name, default)


def _done(_response) -> bool:
    return request.environ.get(DONE, False)


def _account() -> str:
    return f"user:{current_user.id}"


def _proposal_or_404(proposal_id: int) -> Proposal:
    found = db.session.scalar(Proposal.visible_to(current_user).where(Proposal.id == proposal_id))
    if found is None:
        abort(404)
    return found


def _project_or_404(project_id: int) -> Project:
    found = db.session.get(Project, project_id)
    if found is None:
        abort(404)
    return found


def _comment_or_404(comment_id: int) -> tuple[Comment, Proposal | Project]:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    if comment.proposal_id is not None:
        return comment, _proposal_or_404(comment.proposal_id)
    return comment, _project_or_404(comment.project_id)


def item_url(item, comment_id: int | None = None) -> str:
    anchor = f"comment-{comment_id}" if comment_id else "comments"
    if isinstance(item, Proposal):
        return url_for("proposals.show", proposal_id=item.id, _anchor=anchor)
    return url_for("projects.show", project_id=item.id, _anchor=anchor)


def _refused(item, message: str, form=None, action: str | None = None, title: str = ""):
    """The reason in words, with what was typed kept in the form to try again (400)."""
    return render_template("comments/refused.html", message=message, form=form, action=action,
                           title=title or _("Your comment was not posted"),
                           back=item_url(item)), 400


def _form_error(form) -> str:
    return next((e for errors in form.errors.values() for e in errors),
                _("The form had expired; nothing was saved. Try again."))


def _post(item, action: str):
    form = CommentForm()
    if not form.validate_on_submit():
        return _refused(item, _form_error(form), form, action)
    parent = None
    if form.parent_id.data:
        if not form.parent_id.data.isdigit() or len(form.parent_id.data) > 9:
            abort(400)
        parent = db.session.get(Comment, int(form.parent_id.data))
        if parent is None:
            return _refused(item, _("The comment you replied to is gone; nothing was posted."),
                            form, action)
    try:
        comment = svc.post(current_user._get_current_object(), item, form.body.data, parent)
    except svc.Refused as error:
        db.session.rollback()
        return _refused(item, str(error), form, action)
    notify.tell(item, comment)
    db.session.commit()
    request.environ[DONE] = True
    flash(_("Your comment is posted."), "success")
    return redirect(item_url(item, comment.id), 303)


@bp.post("/comments/proposals/<int:proposal_id>")
@login_required
@limiter.limit(_limit("COMMENTS_PER_ACCOUNT", COMMENTS_PER_ACCOUNT), deduct_when=_done,
               scope="comments-post-account", key_func=_account)
def post_on_proposal(proposal_id: int):
    return _post(_proposal_or_404(proposal_id), request.path)


@bp.post("/comments/projects/<int:project_id>")
@login_required
@limiter.limit(_limit("COMMENTS_PER_ACCOUNT", COMMENTS_PER_ACCOUNT), deduct_when=_done,
               scope="comments-post-account", key_func=_account)
def post_on_project(project_id: int):
    return _post(_project_or_404(project_id), request.path)


@bp.post("/comments/<int:comment_id>/edit")
@login_required
def edit(comment_id: int):
    comment, item = _comment_or_404(comment_id)
    form = CommentForm()
    title = _("Your change was not saved")
    if not form.validate_on_submit():
        return _refused(item, _form_error(form), form, request.path, title)
    try:
        svc.edit(current_user._get_current_object(), comment, form.body.data)
    except svc.Refused as error:
        db.session.rollback()
        return _refused(item, str(error), form, request.path, title)
    db.session.commit()
    flash(_("Your comment is changed."), "success")
    return redirect(item_url(item, comment.id), 303)


@bp.post("/comments/<int:comment_id>/flag")
@login_required
@limiter.limit(_limit("FLAGS_PER_ACCOUNT", FLAGS_PER_ACCOUNT), deduct_when=_done,
               scope="comments-flag-account", key_func=_account)
def flag(comment_id: int):
    comment, item = _comment_or_404(comment_id)
    form = FlagForm()
    title = _("The comment was not flagged")
    if not form.validate_on_submit():
        return _refused(item, _form_error(form), form, request.path, title)
    try:
        svc.flag(current_user._get_current_object(), comment, form.reason.data)
    except svc.Refused as error:
        db.session.rollback()
        return _refused(item, str(error), None, None, title)
    db.session.commit()
    request.environ[DONE] = True
    flash(_("Thank you: a moderator will look at the comment."), "success")
    return redirect(item_url(item, comment.id), 303)


@bp.get("/staff/comments")
@staff_required
def queue():
    return render_template("comments/queue.html", flagged=svc.flagged(), recent=svc.recent(),
                           item_url=lambda c: item_url(svc.item_of(c), c.id))


@bp.post("/staff/comments/<int:comment_id>/hide")
@staff_required
def hide(comment_id: int):
    comment = db.session.get(Comment, comment_id) or abort(404)
    form = HideForm()
    back = url_for(".queue")
    try:
        if not form.validate_on_submit():
            raise svc.Refused(_form_error(form))
        svc.hide(current_user._get_current_object(), comment, form.reason.data)
    except svc.Refused as error:
        db.session.rollback()
        flash(_("The comment was not hidden: %(why)s", why=str(error)), "error")
        return redirect(back, 303)
    db.session.commit()
    flash(_("The comment is hidden; its page shows your reason."), "success")
    return redirect(back, 303)


@bp.post("/staff/comments/<int:comment_id>/keep")
@staff_required
def keep(comment_id: int):
    comment = db.session.get(Comment, comment_id) or abort(404)
    try:
        if not KeepForm().validate_on_submit():
            raise svc.Refused(_("The form had expired; nothing was saved. Try again."))
        svc.keep(current_user._get_current_object(), comment)
    except svc.Refused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".queue"), 303)
    db.session.commit()
    flash(_("The comment stays; its flags are closed."), "success")
    return redirect(url_for(".queue"), 303)


@bp.app_template_global()
def comment_section(item) -> dict:
    """What the proposal and project pages need to show and take comments."""
    user = current_user
    return {"item": item, "comments": svc.thread(item),
            "why_not": svc.why_not_comment(user),
            "post_url": (url_for("comments.post_on_proposal", proposal_id=item.id)
                         if isinstance(item, Proposal)
                         else url_for("comments.post_on_project", project_id=item.id)),
            "user_id": getattr(user, "id", None) if user.is_authenticated else None,
            "is_staff": bool(getattr(user, "is_staff", False)),
            "sign_in": url_for("auth.login", next=request.path)}
