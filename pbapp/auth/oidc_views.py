"""Staff and board sign-in through the city's identity provider: out, and back.

Both pages answer 404 while OIDC is not configured. Whatever comes back (a refusal, a forged or
old state, a bad token, no answer at all) ends on the sign-in page with a message in words;
nothing is written unless someone is signed in.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from . import bp, oidc, services
from .oidc_accounts import SignInRefused, account_for
from .safe_next import safe_next

NEXT_KEY = "oidc_next"


@bp.app_template_global("oidc_provider")
def oidc_provider() -> str | None:
    """The provider's name for the sign-in page's button, or None while OIDC is off."""
    return oidc.provider_name() if oidc.enabled() else None


def _back_to_sign_in(message: str):
    flash(message, "error")
    return redirect(url_for("auth.login"), 303)


def _forget_started_sign_ins() -> None:
    for key in [key for key in session if key.startswith(f"_state_{oidc.NAME}_")]:
        session.pop(key, None)


@bp.get("/oidc/start")
def oidc_start():
    if not oidc.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("auth.account"))
    _forget_started_sign_ins()  # one at a time, so pressing again cannot swell the cookie
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        return oidc.authorize_redirect(url_for("auth.oidc_callback", _external=True))
    except (oidc.ProviderUnreachable, oidc.TokenRejected) as error:
        current_app.logger.warning("OIDC provider unusable at sign-in start: %s", error)
        return _back_to_sign_in(_unreachable())


def _unreachable() -> str:
    return _("%(provider)s cannot be reached just now, so you are not signed in. Try again in "
             "a few minutes.", provider=oidc.provider_name())


@bp.get("/oidc/callback")
def oidc_callback():
    if not oidc.enabled():
        abort(404)
    provider = oidc.provider_name()
    if "error" in request.args:
        _forget_started_sign_ins()
        current_app.logger.info("OIDC provider answered an error: %r",
                                request.args.get("error", "")[:100])
        if request.args.get("error") == "access_denied":
            return _back_to_sign_in(_("The sign-in at %(provider)s was cancelled, so you are "
                                      "not signed in.", provider=provider))
        return _back_to_sign_in(_("%(provider)s did not sign you in. Try again, or sign in "
                                  "with your password.", provider=provider))
    try:
        identity = oidc.identity_from_callback()
    except oidc.StateMismatch:
        return _back_to_sign_in(_("This sign-in had expired or was not started on this site, "
                                  "so you are not signed in. Try again."))
    except oidc.ProviderUnreachable as error:
        current_app.logger.warning("OIDC provider unreachable at callback: %s", error)
        return _back_to_sign_in(_unreachable())
    except oidc.TokenRejected as error:
        current_app.logger.warning("OIDC answer rejected: %s", error)
        return _back_to_sign_in(_("The answer from %(provider)s could not be verified, so you "
                                  "are not signed in. Try again.", provider=provider))
    try:
        user = account_for(identity, provider)
    except SignInRefused as refusal:
        db.session.rollback()
        current_app.logger.info("OIDC sign-in refused for %s", identity.issuer)
        return _back_to_sign_in(str(refusal))
    services.sign_in(user)
    db.session.commit()
    flash(_("Signed in as %(name)s.", name=user.name), "success")
    return redirect(session.pop(NEXT_KEY, None) or url_for("main.home"), 303)
