"""The account page (details that decide where one may vote), changing, resetting and first
choosing a password, and deleting the account.

No GET changes anything: an emailed link's page shows a form, and only its POST acts.
"""
from __future__ import annotations

import hashlib

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..cycles.models import Neighbourhood
from ..extensions import db, limiter
from . import bp, services
from .deletion import delete_account
from .forms import (ChangePasswordForm, DeleteAccountForm, DetailsForm, NewPasswordForm,
                    SignInLinkForm)
from .password_links import INVITE_SALT, RESET_SALT, LinkInvalid, send_reset, user_for
from .self_service import change_own_password, set_password_from_link, update_details
from .services import AccountError, WeakPassword
from .verify_views import ConfirmForm

#: each request sends an email: enough for a slow inbox, too few to flood one
RESETS_PER_EMAIL = "3 per hour"
RESETS_PER_ADDRESS = "10 per hour"
#: wrong current passwords per account: a session left open cannot be used to guess it
PASSWORD_FAILURES_PER_ACCOUNT = "5 per 15 minutes"


def _limit(name: str, default: str):
    return lambda: current_app.config.get(name, default)


def _email_key() -> str:
    """Hashed so rate-limit storage (Redis) holds no email addresses."""
    email = services.normalise_email(request.form.get("email", ""))
    return hashlib.sha256(email.encode()).hexdigest()


def _failed(_response) -> bool:
    return g.get("password_failed", False)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = current_user._get_current_object()
    form = DetailsForm(obj=None if request.method == "POST" else user,
                       neighbourhood=user.neighbourhood_id or 0)
    if form.validate_on_submit():
        try:
            changed = update_details(user, name=form.name.data,
                                     neighbourhood_id=form.neighbourhood_id,
                                     birth_year=form.birth_year.data)
        except AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Your details are saved.") if changed else _("Nothing was changed."),
                  "success")
            return redirect(url_for("auth.account"), 303)
    neighbourhood = (db.session.get(Neighbourhood, user.neighbourhood_id)
                     if user.neighbourhood_id else None)
    return render_template("auth/account.html", user=user, neighbourhood=neighbourhood,
                           form=form, resend_form=ConfirmForm())


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("PASSWORD_FAILURES_PER_ACCOUNT", PASSWORD_FAILURES_PER_ACCOUNT),
               methods=["POST"], deduct_when=_failed, scope="password-change-account",
               key_func=lambda: f"user:{current_user.id}")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user._get_current_object(), form.current.data,
                                form.password.data)
        except WeakPassword as error:
            form.password.errors.append(str(error))
        except AccountError as error:
            g.password_failed = True
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your password is changed. Any other browser signed in to your account "
                    "has been signed out."), "success")
            return redirect(url_for("auth.account"), 303)
    return render_template("auth/password_change.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limit("RESETS_PER_ADDRESS", RESETS_PER_ADDRESS), methods=["POST"],
               scope="password-reset-address")
@limiter.limit(_limit("RESETS_PER_EMAIL", RESETS_PER_EMAIL), methods=["POST"],
               key_func=_email_key, scope="password-reset-email")
def forgot_password():
    """The same answer, after the same work (one email), whether or not the address has an
    account; see ``pbapp.auth.password_links``."""
    form = SignInLinkForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        if not send_reset(email, services.find_by_email(email)):
            return render_template("auth/password_forgot.html", form=form, failed=True), 503
        return render_template("auth/password_forgot.html", form=form, sent=True)
    return render_template("auth/password_forgot.html", form=form)


def _set_password_page(token: str, salt: str, template_kind: str):
    try:
        user = user_for(token, db.session, salt=salt, lock=request.method == "POST")
    except LinkInvalid as error:
        return render_template("auth/password_reset.html", error=str(error),
                               kind=template_kind), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_from_link(user, form.password.data, via=template_kind)
        except WeakPassword as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your new password is saved and you are signed in as %(name)s.",
                    name=user.name), "success")
            return redirect(url_for("auth.account"), 303)
    return render_template("auth/password_reset.html", user=user, form=form, kind=template_kind)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page(token, RESET_SALT, "reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page(token, INVITE_SALT, "invitation")


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("PASSWORD_FAILURES_PER_ACCOUNT", PASSWORD_FAILURES_PER_ACCOUNT),
               methods=["POST"], deduct_when=_failed, scope="account-delete-account",
               key_func=lambda: f"user:{current_user.id}")
def delete_own_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            delete_account(current_user._get_current_object(), form.password.data)
        except AccountError as error:
            db.session.rollback()
            g.password_failed = True
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account is deleted. Your ballots still count; what you wrote now "
                    "shows \"deleted account\" as its author."), "success")
            return redirect(url_for("main.home"), 303)
    return render_template("auth/account_delete.html", form=form)
