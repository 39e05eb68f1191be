"""Accounts: registering, signing in, staff accounts and roles.

Functions flush but never commit: the view commits once per request, so a role change and its
audit event land together or not at all.
"""
from __future__ import annotations

from flask import g, session
from flask_login import login_user
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..extensions import db
from ..models_base import utcnow
from .models import ROLES, User

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the user."""


class EmailTaken(AccountError):
    def __init__(self) -> None:
        super().__init__("An account with this email address already exists.")


class WeakPassword(AccountError):
    pass


def normalise_email(email: str) -> str:
    """Addresses are stored lower-cased, so the unique constraint is case-insensitive."""
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"Use at most {MAX_PASSWORD_LENGTH} characters.")


def find_by_email(email: str) -> User | None:
    """Compares lower-cased on both sides so rows written before normalisation still match.
    A deleted account is nobody's (see ``pbapp.auth.deletion``)."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email),
                                                User.deleted_at.is_(None)))


def _add_user(*, email: str, password: str, name: str, role: str = "resident",
              neighbourhood_id: int | None = None, birth_year: int | None = None) -> User:
    email = normalise_email(email)
    check_password_rules(password)
    if find_by_email(email) is not None:
        raise EmailTaken()
    from .deletion import earlier_account

    earlier = earlier_account(email)
    user = User(email=email, name=name.strip(), role=role, neighbourhood_id=neighbourhood_id,
                birth_year=birth_year, votes_as_id=earlier.voter_id if earlier else None)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # Two sign-ups with one address at the same moment: the unique constraint decides.
        db.session.rollback()
        if find_by_email(email) is not None:
            raise EmailTaken() from None
        raise
    return user


def register_user(*, email: str, password: str, name: str, neighbourhood_id: int | None = None,
                  birth_year: int | None = None) -> User:
    """A resident signing themselves up; raises EmailTaken or WeakPassword and adds nothing."""
    return _add_user(email=email, password=password, name=name,
                     neighbourhood_id=neighbourhood_id, birth_year=birth_year)


_dummy_hash: str | None = None


def authenticate(email: str, password: str) -> User | None:
    """The user when email and password match, else None.

    An unknown address still costs one scrypt check, so response time does not reveal
    which addresses have accounts.
    """
    global _dummy_hash
    user = find_by_email(email)
    if user is None:
        if _dummy_hash is None:
            _dummy_hash = generate_password_hash("not a real password", method="scrypt")
        check_password_hash(_dummy_hash, password)
        return None
    return user if user.check_password(password) else None


def sign_in(user: User) -> None:
    """Every way in (password, emailed link, sign-up) goes through here.

    The CSRF token is dropped so one planted or seen before sign-in cannot forge requests after
    it (fixation); ``last_sign_in_at`` changing spends any sign-in link already sent.
    """
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    user.last_sign_in_at = utcnow()
    db.session.flush()
    login_user(user)


def end_all_sessions(user: User) -> None:
    """Sign-out ends every session of the account, not just this browser's: sessions are signed
    cookies that a thief could have copied, and each names the version it was made under
    (``User.get_id``). Call it on a password change too (see ``change_password``)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def change_password(user: User, password: str) -> None:
    """A new password ends every session, so whoever knew the old one is put out; the page
    that calls this signs its own visitor in again with ``sign_in``. The new hash also spends
    any sign-in link already emailed."""
    check_password_rules(password)
    user.set_password(password)
    end_all_sessions(user)


def create_staff(actor: User, *, email: str, name: str, password: str) -> User:
    """An admin opens a staff account; the audit event names the new account by id only,
    because the chain is permanent and email addresses should stay erasable."""
    user = _add_user(email=email, password=password, name=name, role="staff")
    record(actor, "user.create_staff", f"user:{user.id}", role="staff")
    return user


def set_role(actor: User | None, user: User, role: str) -> None:
    """Change a site-wide role. Nobody changes their own, and the last admin stays an admin,
    so the site can never be left without someone able to manage it."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}.")
    if actor is not None and actor.id == user.id:
        raise AccountError("You cannot change your own role; ask another admin.")
    old = user.role
    if old == role:
        return
    if old == "admin":
        admins = db.session.scalars(
            select(User.id).where(User.role == "admin").with_for_update()).all()
        if len(admins) <= 1:
            raise AccountError("This is the only admin account; make someone else admin first.")
    user.role = role
    db.session.flush()
    record(actor, "user.role", f"user:{user.id}", old=old, new=role)


def users_query(search: str = "") -> Select:
    """Accounts newest first, optionally filtered by part of a name or email address."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    search = search.strip()
    if search:
        needle = search.lower()
        query = query.where(or_(func.lower(User.email).contains(needle, autoescape=True),
                                func.lower(User.name).contains(needle, autoescape=True)))
    return query
