"""Emailed links that let their holder choose a password: a forgotten one, or a first one for an
account someone else opened (a board invitation).

A link carries a fingerprint of the account's password hash, so it works once: choosing a
password changes the hash and spends every link sent before. A reset link lasts an hour; an
invitation a week, since the invited person may not read their mail at once. Each has its own
salt, so one kind of link never passes for the other (nor for the sign-in or confirmation links).

Asking for a reset gives the same page whether or not the address has an account, and takes the
same path: one email either way. An address with no account is told so, which only its
mailbox learns, and the asker cannot tell which email went out.
"""
from __future__ import annotations

import hashlib

from flask import current_app, url_for
from flask_babel import gettext

from ..mail import send
from .emailed_links import LinkInvalid, make, read  # noqa: F401  (LinkInvalid: for the views)
from .models import User

RESET_MAX_AGE = 60 * 60
INVITE_MAX_AGE = 7 * 24 * 3600
RESET_SALT = "password-reset"
INVITE_SALT = "invitation"


def fingerprint(user: User) -> str:
    """Changes with the password. Hashed, because anyone holding the link can read it."""
    return hashlib.sha256(f"{user.id}|{user.password_hash}".encode()).hexdigest()[:32]


def make_token(user: User, salt: str = RESET_SALT) -> str:
    return make(salt, {"u": user.id, "f": fingerprint(user)})


def send_reset(email: str, user: User | None) -> bool:
    """One email either way (see the module's docstring); False when the mail server could not
    take it."""
    site = current_app.config["SITE_NAME"]
    if user is None:
        body = gettext(
            "Hello,\n\nSomeone, we hope you, asked to reset the password of an account on "
            "%(site)s with this email address, but no account uses this address. If you meant to "
            "create one, you can do so here:\n\n%(link)s\n\nIf it was not you, ignore this "
            "email.\n", site=site, link=url_for("auth.register", _external=True))
    else:
        link = url_for("auth.reset_password", token=make_token(user), _external=True)
        body = gettext(
            "Hello %(name)s,\n\nSomeone, we hope you, asked to reset the password of your "
            "account on %(site)s. To choose a new password, open this link within an hour; it "
            "works once:\n\n%(link)s\n\nIf it was not you, ignore this email: your password "
            "stays as it is, and nobody can use the link without your mailbox.\n",
            name=user.name, site=site, link=link)
    return send(email, gettext("Reset your password"), body)


def send_invitation(user: User, inviter_name: str, board_name: str) -> bool:
    """The invited person chooses their own password; nobody else ever knows it."""
    link = url_for("auth.accept_invitation", token=make_token(user, INVITE_SALT), _external=True)
    body = gettext(
        "Hello %(name)s,\n\n%(inviter)s has added you to %(board)s on %(site)s and opened an "
        "account for you with this email address. To choose your password and sign in, open "
        "this link within 7 days; it works once:\n\n%(link)s\n\nIf the link has expired, ask "
        "for a new one with \"Forgot your password?\" on the sign-in page.\n",
        name=user.name, inviter=inviter_name, board=board_name,
        site=current_app.config["SITE_NAME"], link=link)
    return send(user.email, gettext("You have an account on %(site)s",
                                    site=current_app.config["SITE_NAME"]), body)


def user_for(token: str, db_session, *, salt: str = RESET_SALT, lock: bool = False) -> User:
    """The account whose password the link sets, or LinkInvalid. ``lock`` holds the row until
    the request commits, so two presses of one link at the same moment set one password."""
    max_age = INVITE_MAX_AGE if salt == INVITE_SALT else RESET_MAX_AGE
    data = read(salt, token, max_age,
                expired=gettext("This link has expired. Ask for a new one with \"Forgot your "
                                "password?\" on the sign-in page."),
                invalid=gettext("This link is not valid. Check that you copied all of it."))
    ident = data.get("u")
    user = None
    if isinstance(ident, int) and not isinstance(ident, bool):
        user = db_session.get(User, ident, with_for_update=True if lock else None,
                              populate_existing=lock)
    if user is None or user.deleted_at is not None or fingerprint(user) != data.get("f"):
        raise LinkInvalid(gettext("This link has already been used, or the password has "
                                  "changed since it was sent. Ask for a new one with \"Forgot "
                                  "your password?\" on the sign-in page."))
    return user
