"""One-time sign-in links by email: the way in once an account's password tries are used up.

Five wrong passwords, from anywhere, stop password sign-in for an account for a while; without
another way in, a stranger could keep its owner out for good. The link is signed, valid for
30 minutes, and works once: it carries a fingerprint of the account's last sign-in and password
hash, so any later sign-in (the link's own included) or a new password spends it. Links sent
before that stay good, so a flood of requests for someone's address cannot spoil the one they
open.
"""
from __future__ import annotations

import hashlib

from flask import current_app, url_for
from flask_babel import gettext

from ..mail import send
from ..models_base import utcnow
from . import services
from .emailed_links import LinkInvalid, make, read  # noqa: F401  (LinkInvalid: for the views)
from .models import User

LINK_MAX_AGE = 30 * 60
SALT = "sign-in-link"


def fingerprint(user: User) -> str:
    """Changes whenever the account signs in or changes password. Hashed, because the link's
    payload is readable by anyone who holds it."""
    last = user.last_sign_in_at.isoformat() if user.last_sign_in_at else ""
    return hashlib.sha256(f"{last}|{user.password_hash}".encode()).hexdigest()[:32]


def make_token(user: User) -> str:
    return make(SALT, {"u": user.id, "f": fingerprint(user)})


def send_link(user: User) -> bool:
    """Email the link; False when the mail server could not take it."""
    link = url_for("auth.login_link", token=make_token(user), _external=True)
    body = gettext(
        "Hello %(name)s,\n\nSomeone, we hope you, asked to sign in to %(site)s with this email "
        "address. To sign in, open this link within 30 minutes; it works once:\n\n%(link)s\n\n"
        "If it was not you, ignore this email: nobody can use the link without your "
        "mailbox.\n",
        name=user.name, link=link, site=current_app.config["SITE_NAME"])
    return send(user.email, gettext("Your sign-in link"), body)


def user_for(token: str, db_session, *, lock: bool = False) -> User:
    """The account the link signs in, or LinkInvalid. ``lock`` holds the row until the request
    commits, so two presses of one link at the same moment sign in once."""
    data = read(SALT, token, LINK_MAX_AGE,
                expired=gettext("This sign-in link has expired: links work for 30 minutes. "
                                "Ask for a new one from the sign-in page."),
                invalid=gettext("This sign-in link is not valid. Check that you copied all "
                                "of it."))
    ident = data.get("u")
    user = None
    if isinstance(ident, int):
        user = db_session.get(User, ident, with_for_update=True if lock else None,
                              populate_existing=lock)
    if user is None or fingerprint(user) != data.get("f"):
        raise LinkInvalid(gettext("This sign-in link has already been used, or the account "
                                  "has signed in since it was sent. Ask for a new one from the "
                                  "sign-in page."))
    return user


def sign_in_with_link(user: User) -> None:
    """The link came through the mailbox, so it confirms the address as well."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    services.sign_in(user)
