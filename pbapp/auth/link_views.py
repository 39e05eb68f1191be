"""Asking for a one-time sign-in link, and following it.

The answer to a request is the same whether or not the address has an account. The link's page
asks for one button press (a POST): mail scanners open links too, and no GET changes anything.
"""
from __future__ import annotations

import hashlib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db, limiter
from . import bp, services
from .forms import ButtonForm, SignInLinkForm
from .sign_in_link import LinkInvalid, send_link, sign_in_with_link, user_for

#: each request sends an email: enough for a slow inbox, too few to flood one
LINKS_PER_EMAIL = "3 per hour"
LINKS_PER_ADDRESS = "10 per hour"


def _limit(name: str, default: str):
    return lambda: current_app.config.get(name, default)


def _email_key() -> str:
    """Hashed so rate-limit storage (Redis) holds no email addresses."""
    email = services.normalise_email(request.form.get("email", ""))
    return hashlib.sha256(email.encode()).hexdigest()


@bp.post("/login-link")
@limiter.limit(_limit("SIGN_IN_LINKS_PER_ADDRESS", LINKS_PER_ADDRESS),
               scope="sign-in-link-address")
@limiter.limit(_limit("SIGN_IN_LINKS_PER_EMAIL", LINKS_PER_EMAIL), key_func=_email_key,
               scope="sign-in-link-email")
def request_login_link():
    form = SignInLinkForm()
    if not form.validate_on_submit():
        return render_template("auth/login_link_sent.html", form=form)
    user = services.find_by_email(form.email.data)
    if user is not None and not send_link(user):
        return render_template("auth/login_link_sent.html", form=form, failed=True), 503
    return render_template("auth/login_link_sent.html", form=form, sent=True)


@bp.route("/login-link/<token>", methods=["GET", "POST"])
def login_link(token: str):
    try:
        user = user_for(token, db.session, lock=request.method == "POST")
    except LinkInvalid as error:
        return render_template("auth/login_link.html", error=str(error)), 400
    form = ButtonForm()
    if form.validate_on_submit():
        sign_in_with_link(user)
        db.session.commit()
        flash(_("Signed in as %(name)s.", name=user.name), "success")
        return redirect(url_for("main.home"), 303)
    return render_template("auth/login_link.html", user=user, form=form)
