"""Deleting one's own account.

The row stays, emptied: proposals and comments keep an author ("deleted account"), audit events
keep their actor, and the id is never handed to a new account (SQLite reuses the highest id of a
deleted row, and a new account under an old id would inherit its sessions and its ballots).

Ballots stay: they never named anyone. The participation row that proves the account voted
holds a keyed hash, the neighbourhood and the age band, no name or address, and stays too, so
the account's ballot is still counted once. To keep it once, the emptied row keeps a keyed hash
of the email address: an account opened later with that address votes as the deleted one
(``User.votes_as_id``), so deleting and signing up again gives no second ballot.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import delete, func, select

from ..audit.services import record
from ..extensions import db
from ..models_base import site_today, utcnow
from .models import User
from .services import AccountError

DELETED_DOMAIN = "deleted.invalid"


def email_marker(email: str) -> str:
    """What a deleted account keeps of its address: a keyed hash, useless without the key."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"deleted-{digest[:48]}@{DELETED_DOMAIN}"


def earlier_account(email: str) -> User | None:
    """The deleted account of this address whose ballots a new account inherits."""
    return db.session.scalar(select(User).where(User.email == email_marker(email)))


def _end_memberships(user: User) -> int:
    from ..boards.models import Membership

    today = site_today()
    ended = 0
    for membership in db.session.scalars(select(Membership).where(Membership.user_id == user.id)):
        if membership.has_ended(today):
            continue
        if membership.term_start >= today:
            db.session.delete(membership)
        else:
            membership.term_end = today - timedelta(days=1)
        ended += 1
    return ended


def delete_account(user: User, password: str) -> None:
    """Asks for the password, so a session left open cannot delete the account. The last
    admin cannot leave: the site would have nobody to manage it."""
    if not user.check_password(password):
        raise AccountError(gettext("The password is not right. Your account was not deleted."))
    if user.role == "admin" and db.session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin")) <= 1:
        raise AccountError(gettext("You are the only administrator: make someone else an "
                                   "administrator first. Your account was not deleted."))
    from ..voting.models import VoterRollEntry

    memberships = _end_memberships(user)
    from .oidc_models import ExternalIdentity

    # the provider's identity may be linked again, to a new account (pbapp.auth.oidc_accounts)
    db.session.execute(delete(ExternalIdentity).where(ExternalIdentity.user_id == user.id))
    for entry in db.session.scalars(select(VoterRollEntry).where(VoterRollEntry.user_id ==
                                                                 user.id)):
        entry.user_id = None  # the letter's code still votes as this entry, once
    user.email = (f"deleted-{user.id}@{DELETED_DOMAIN}" if user.votes_as_id
                  else email_marker(user.email))
    user.stored_name = ""
    user.password_hash = "!"  # matches no password
    user.role = "resident"
    user.neighbourhood_id = user.birth_year = None
    user.email_verified_at = user.last_sign_in_at = None
    user.session_version = (user.session_version or 0) + 1
    user.deleted_at = utcnow()
    db.session.flush()
    record(user, "user.delete", f"user:{user.id}", memberships_ended=memberships)
