"""Sign-up, sign-in and sign-out, the account page, and the admin's account pages."""
from __future__ import annotations

import hashlib

from flask import (abort, current_app, flash, g, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..extensions import db, limiter
from ..labels import FILTERS
from ..number_inputs import page_arg
from . import bp, services
from .forms import LoginForm, RegisterForm, RoleForm, SignInLinkForm, StaffForm
from .models import User
from .permissions import admin_required
from .safe_next import safe_next
from .verification import send_link

# Only failed sign-ins count, so a community centre sharing one address is not locked out
# by its own residents; the per-email limit also slows guessing spread over many addresses.
LOGIN_FAILURES_PER_ADDRESS = "10 per minute"
LOGIN_FAILURES_PER_EMAIL = "5 per 15 minutes"
USERS_PER_PAGE = 50


def _login_email_key() -> str:
    """Hashed so rate-limit storage (Redis) holds no email addresses."""
    email = services.normalise_email(request.form.get("email", ""))
    return hashlib.sha256(email.encode()).hexdigest()


def _login_failed(_response) -> bool:
    return g.get("login_failed", False)


def _account_locked(_limit):
    """Past the per-account limit the right password is refused too, so that a stranger's
    guesses cannot keep the owner out: the page says so and offers a one-time link by email."""
    form = LoginForm()
    link_form = SignInLinkForm(formdata=None, email=form.email.data)
    page = render_template("auth/login.html", form=form, link_form=link_form,
                           next=safe_next(request.args.get("next")))
    return make_response(page, 429)


def _next_or(default: str) -> str:
    return safe_next(request.args.get("next")) or default


#: sign-ups that created an account, per address (an IPv6 /64): enough for a family or a
#: library's public computers, too few to make a crowd of accounts
SIGNUPS_PER_ADDRESS = "10 per hour"


def _signed_up(_response) -> bool:
    return g.get("signed_up", False)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("SIGNUPS_PER_ADDRESS", SIGNUPS_PER_ADDRESS),
               methods=["POST"], deduct_when=_signed_up, scope="signup-address")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                email=form.email.data, password=form.password.data, name=form.name.data,
                neighbourhood_id=form.neighbourhood_id, birth_year=form.birth_year.data)
        except services.EmailTaken as error:
            form.email.errors.append(str(error))
        except services.WeakPassword as error:
            form.password.errors.append(str(error))
        else:
            services.sign_in(user)
            db.session.commit()
            g.signed_up = True
            if send_link(user):
                flash(_("Welcome! We have sent a link to %(email)s: open it to confirm your "
                        "address. You can vote once it is confirmed.", email=user.email),
                      "success")
            else:
                flash(_("Welcome! We could not send the email to confirm your address just now; "
                        "ask for a new one from this page in a few minutes. You can vote once "
                        "it is confirmed."), "error")
            return redirect(_next_or(url_for("auth.account")), 303)
    return render_template("auth/register.html", form=form,
                           next=safe_next(request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_FAILURES_PER_ADDRESS, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(LOGIN_FAILURES_PER_EMAIL, methods=["POST"], deduct_when=_login_failed,
               key_func=_login_email_key, scope="email", on_breach=_account_locked)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_next_or(url_for("auth.account")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            services.sign_in(user)
            db.session.commit()
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(_next_or(url_for("main.home")), 303)
        g.login_failed = True
        error = _("Email address or password is incorrect.")
    return render_template("auth/login.html", form=form, error=error,
                           next=safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    """Ends every session of the account, so a copied cookie stops working too."""
    if current_user.is_authenticated:
        services.end_all_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.home"), 303)


@bp.get("/admin/users")
@admin_required
def admin_users():
    search = request.args.get("q", "")
    page = db.paginate(services.users_query(search), page=page_arg(), per_page=USERS_PER_PAGE,
                       error_out=False)
    forms = {}
    for user in page.items:
        forms[user.id] = RoleForm(prefix=f"u{user.id}", formdata=None, role=user.role)
        forms[user.id].role.label.text = f"Role of {user.name}"
    return render_template("auth/admin_users.html", page=page, forms=forms, search=search)


@bp.route("/admin/users/new-staff", methods=["GET", "POST"])
@admin_required
def admin_new_staff():
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_staff(current_user, email=form.email.data,
                                         name=form.name.data, password=form.password.data)
        except services.EmailTaken as error:
            form.email.errors.append(str(error))
        except services.WeakPassword as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Staff account created for %(name)s (%(email)s).", name=user.name,
                    email=user.email), "success")
            return redirect(url_for("auth.admin_users"), 303)
    return render_template("auth/admin_new_staff.html", form=form)


@bp.post("/admin/users/<int:user_id>/role")
@admin_required
def admin_set_role(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm(prefix=f"u{user.id}")
    if not form.validate():
        flash(_("Choose one of the listed roles."), "error")
        return redirect(url_for("auth.admin_users"), 303)
    try:
        services.set_role(current_user, user, form.role.data)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is now %(role)s.", name=user.name, role=FILTERS["role_label"](user.role)),
              "success")
    return redirect(url_for("auth.admin_users"), 303)
