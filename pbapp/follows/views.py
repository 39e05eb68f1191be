"""Follow and stop following (POST forms that work without JavaScript), the follows page, and
the one-click unsubscribe page of the emails."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..auth.safe_next import safe_next
from ..extensions import csrf, db
from . import bp, things
from . import services as svc
from . import unsubscribe as links
from .forms import HowForm
from .models import FollowSettings


@bp.app_template_global()
def follow_state(thing) -> dict:
    """What the follow button of ``thing``'s page needs: its kind, and whether the signed-in
    visitor follows it."""
    return {"kind": things.kind_of(thing), "following": svc.is_following(current_user, thing)}


@bp.app_template_global()
def kind_label(kind: str) -> str:
    return {"cycle": _("a budget cycle"), "proposal": _("a proposal"), "project": _("a project"),
            "board": _("a board")}.get(kind, "")


bp.add_app_template_global(things.url, "thing_url")
bp.add_app_template_global(things.title, "thing_title")


def _thing_or_404(kind: str, thing_id: int):
    thing = things.load(kind, thing_id)
    if thing is None or not things.visible_to(current_user, thing):
        abort(404)
    return thing


def _back(thing) -> str:
    return safe_next(request.form.get("next")) or things.url(thing)


@bp.post("/<kind>/<int:thing_id>")
@login_required
def follow(kind: str, thing_id: int):
    thing = _thing_or_404(kind, thing_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        svc.follow(current_user, thing, str(get_locale()))
    except svc.Refused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(_back(thing), 303)
    db.session.commit()
    flash(_("You follow “%(name)s”. We will email you when it changes.",
            name=things.title(thing, get_locale())), "success")
    return redirect(_back(thing), 303)


@bp.post("/<kind>/<int:thing_id>/stop")
@login_required
def stop(kind: str, thing_id: int):
    thing = _thing_or_404(kind, thing_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    svc.unfollow(current_user.id, kind, thing.id)
    db.session.commit()
    flash(_("You no longer follow “%(name)s”.", name=things.title(thing, get_locale())),
          "success")
    return redirect(_back(thing), 303)


@bp.get("/")
@login_required
def index():
    settings = db.session.get(FollowSettings, current_user.id)
    form = HowForm(how=settings.how if settings else "now")
    return render_template("follows/index.html", follows=svc.follows_of(current_user),
                           form=form)


@bp.post("/settings")
@login_required
def settings():
    form = HowForm()
    if not form.validate_on_submit():
        flash(next((e for errors in form.errors.values() for e in errors),
                   _("The form had expired; nothing was saved. Try again.")), "error")
        return redirect(url_for("follows.index"), 303)
    svc.set_how(current_user, form.how.data, str(get_locale()))
    db.session.commit()
    flash(_("Saved: we will email you at once.") if form.how.data == "now"
          else _("Saved: we will email you one digest a day."), "success")
    return redirect(url_for("follows.index"), 303)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET only shows a button: mail scanners and link previews open links, and must not
    unsubscribe anyone. POST stops the follow. It takes no CSRF token on purpose: RFC 8058 mail
    clients POST ``List-Unsubscribe=One-Click`` here with no page and no session, and the
    signed token in the URL, which only the recipient holds, is itself the proof a CSRF token
    would give; the worst a forged POST could do with it is what the link's owner asked for."""
    try:
        user_id, kind, thing_id = links.read_token(token)
    except links.LinkInvalid as error:
        return render_template("follows/unsubscribe.html", problem=str(error)), 400
    thing = things.load(kind, thing_id) if kind else None
    name = things.title(thing, get_locale()) if thing is not None else None
    if request.method == "GET":
        return render_template("follows/unsubscribe.html", name=name, every=kind is None)
    removed = svc.unfollow(user_id, kind, thing_id)
    db.session.commit()
    return render_template("follows/unsubscribe.html", done=True, removed=removed, name=name,
                           every=kind is None)
