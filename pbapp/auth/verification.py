"""Proving an account's email address: a signed link, valid for 48 hours, sent to it.

Until its owner follows the link, an account may browse and write ideas but neither votes nor is
matched to a voter-roll entry: anyone can type someone else's address into the sign-up form. The
link carries the account id and the address it was sent to, so it proves that address only.
"""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext

from ..mail import send
from ..models_base import utcnow
from .emailed_links import LinkInvalid, make, read  # noqa: F401  (LinkInvalid: for the views)
from .models import User

LINK_MAX_AGE = 48 * 3600
SALT = "verify-email"


def make_token(user: User) -> str:
    return make(SALT, {"u": user.id, "e": user.email})


def send_link(user: User) -> bool:
    """Email the link; False when the mail server could not take it."""
    link = url_for("auth.verify", token=make_token(user), _external=True)
    body = gettext(
        "Hello %(name)s,\n\nTo confirm that this is your email address, open this link within "
        "48 hours:\n\n%(link)s\n\nOnce it is confirmed you can vote with your account.\n\nIf you "
        "did not create an account on %(site)s, ignore this email; nothing will happen.\n",
        name=user.name, link=link, site=current_app.config["SITE_NAME"])
    return send(user.email, gettext("Confirm your email address"), body)


def user_for(token: str, db_session) -> User:
    """The account the link proves, or LinkInvalid."""
    data = read(SALT, token, LINK_MAX_AGE,
                expired=gettext("This link has expired. Sign in and ask for a new one from "
                                "your account page."),
                invalid=gettext("This link is not valid. Check that you copied all of it."))
    ident = data.get("u")
    user = db_session.get(User, ident) if isinstance(ident, int) else None
    if user is None or user.email != data.get("e"):
        raise LinkInvalid(gettext("This link is for an address that no account has any more."))
    return user


def mark_verified(user: User) -> bool:
    """True when this call verified the address (False: it already was)."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = utcnow()
    return True
