"""Confirming an email address from the emailed link, and asking for a new link.

The link's page asks for one button press (a POST) rather than verifying on GET: mail scanners
open links too, and no GET on this site changes anything.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..extensions import db, limiter
from . import bp
from .verification import LinkInvalid, mark_verified, send_link, user_for

RESENDS_PER_ACCOUNT = "3 per hour"
RESENDS_PER_ADDRESS = "10 per hour"


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the token in the URL says what is confirmed."""


def _limit(name: str, default: str):
    return lambda: current_app.config.get(name, default)


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    try:
        user = user_for(token, db.session)
    except LinkInvalid as error:
        return render_template("auth/verify.html", error=str(error)), 400
    form = ConfirmForm()
    if user.email_verified_at is None and form.validate_on_submit():
        mark_verified(user)
        db.session.commit()
        flash(_("Thank you: your email address is confirmed. You can now vote with your "
                "account."), "success")
        return redirect(url_for("auth.account" if current_user.is_authenticated
                                else "auth.login"), 303)
    return render_template("auth/verify.html", user=user, form=form,
                           done=user.email_verified_at is not None)


@bp.post("/verify/resend")
@login_required
@limiter.limit(_limit("RESENDS_PER_ADDRESS", RESENDS_PER_ADDRESS), scope="verify-resend-address")
@limiter.limit(_limit("RESENDS_PER_ACCOUNT", RESENDS_PER_ACCOUNT), scope="verify-resend-account",
               key_func=lambda: f"user:{current_user.id}")
def resend_verification():
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form had expired; nothing was sent. Try again."), "error")
    elif current_user.email_verified_at is not None:
        flash(_("Your email address is already confirmed."), "success")
    elif send_link(current_user):
        flash(_("We have sent a new link to %(email)s. It works for 48 hours.",
                email=current_user.email), "success")
    else:
        flash(_("We could not send the email just now. Please try again in a few minutes."),
              "error")
    return redirect(url_for("auth.account"), 303)
