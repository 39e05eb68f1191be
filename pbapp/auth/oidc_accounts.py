"""Which account a provider's identity signs in to, and whether it may.

Roles are granted here, never by the provider: only an account that already holds a staff or
admin role, or a board seat not yet ended, may sign in this way; residents use their password.
The first sign-in links the identity (issuer, subject) to the account whose address the provider
says it has verified; from then on the pair decides, whatever address the provider sends later.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..boards.models import Membership
from ..extensions import db
from ..models_base import site_today, utcnow
from .models import User
from .oidc import Identity
from .oidc_models import ExternalIdentity
from .services import find_by_email


class SignInRefused(Exception):
    """The identity is real but may not sign in here; the message is for the person."""


def may_use_provider(user: User) -> bool:
    """Staff, admins, and board members whose seat has not ended (one starting soon counts)."""
    if user.deleted_at is not None:
        return False
    if user.is_staff:
        return True
    today = site_today()
    return bool(db.session.scalar(select(exists().where(
        Membership.user_id == user.id,
        or_(Membership.term_end.is_(None), Membership.term_end >= today)))))


def _not_for_residents(provider: str) -> SignInRefused:
    return SignInRefused(gettext(
        "Signing in with %(provider)s is for staff and board members. Residents sign in with "
        "their email address and password below.", provider=provider))


def account_for(identity: Identity, provider: str) -> User:
    """The account to sign in, linking the identity on its first use (flushed and audited,
    not committed); raises SignInRefused and changes nothing otherwise."""
    linked = db.session.scalar(select(ExternalIdentity).where(
        ExternalIdentity.issuer == identity.issuer, ExternalIdentity.subject == identity.subject))
    if linked is not None:
        user = linked.user
        if not may_use_provider(user):
            raise _not_for_residents(provider)
        linked.last_used_at = utcnow()
        record(user, "user.oidc_sign_in", f"user:{user.id}", issuer=identity.issuer)
        return user
    if not identity.email_verified or not identity.email:
        raise SignInRefused(gettext(
            "%(provider)s did not confirm your email address, so it cannot be matched to an "
            "account here. Ask the site's staff for help.", provider=provider))
    user = find_by_email(identity.email)
    if user is None or not may_use_provider(user):
        raise _not_for_residents(provider)
    other = db.session.scalar(select(ExternalIdentity.id).where(
        ExternalIdentity.user_id == user.id, ExternalIdentity.issuer == identity.issuer))
    if other is not None:
        raise _linked_elsewhere(provider)
    try:
        with db.session.begin_nested():
            db.session.add(ExternalIdentity(user_id=user.id, issuer=identity.issuer,
                                            subject=identity.subject, last_used_at=utcnow()))
    except IntegrityError:  # the same account linked at the same moment by another sign-in
        raise _linked_elsewhere(provider) from None
    record(user, "user.oidc_link", f"user:{user.id}", issuer=identity.issuer)
    return user


def _linked_elsewhere(provider: str) -> SignInRefused:
    return SignInRefused(gettext(
        "Your account here is already linked to another %(provider)s identity, so this one "
        "cannot sign in to it. Ask an administrator for help.", provider=provider))
