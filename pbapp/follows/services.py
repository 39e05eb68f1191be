"""Following and no longer following, and how each person wants to be told.

Only an account whose email address is confirmed may follow: an address typed into the sign-up
form by someone else must not start receiving mail it never asked for. The UNIQUE (user, kind,
thing) constraint, not a prior SELECT, keeps a follow single when two clicks race.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from . import things
from .models import HOW, DigestItem, Follow, FollowSettings


class Refused(Exception):
    """The follow was not changed; the message says why, for the resident."""


def settings_of(user, locale: str | None = None) -> FollowSettings:
    """The account's settings (made on first use); ``locale``, when given, becomes the
    language of its emails."""
    found = db.session.get(FollowSettings, user.id)
    if found is None:
        found = FollowSettings(user_id=user.id, how="now", locale=locale or "en")
        db.session.add(found)
    elif locale:
        found.locale = locale
    return found


def is_following(user, thing) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user.id, Follow.kind == things.kind_of(thing),
        Follow.thing_id == thing.id)) is not None


def follow(user, thing, locale: str) -> bool:
    """Follow ``thing``; False when the account already did (nothing changes)."""
    if not user.email_verified:
        raise Refused(gettext("Confirm your email address first (see your account page): "
                              "only then can we email you about what you follow."))
    if not things.visible_to(user, thing):
        raise Refused(gettext("This cannot be followed."))
    settings_of(user, locale)
    if is_following(user, thing):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Follow(user_id=user.id, kind=things.kind_of(thing),
                                  thing_id=thing.id))
    except IntegrityError:  # the same click, twice at once: the other one made it
        return False
    return True


def unfollow(user_id: int, kind: str | None = None, thing_id: int | None = None) -> int:
    """Stop one follow (or, without ``kind``, every follow of the account) and drop what was
    waiting for the digest about it; how many follows were removed."""
    where = [Follow.user_id == user_id]
    waiting = [DigestItem.user_id == user_id]
    if kind is not None:
        where += [Follow.kind == kind, Follow.thing_id == thing_id]
        waiting += [DigestItem.kind == kind, DigestItem.thing_id == thing_id]
    removed = db.session.execute(delete(Follow).where(*where)).rowcount
    db.session.execute(delete(DigestItem).where(*waiting))
    return removed


def set_how(user, how: str, locale: str) -> None:
    if how not in HOW:
        raise Refused(gettext("Choose at once or a daily digest."))
    settings_of(user, locale).how = how


def follows_of(user) -> list[tuple[Follow, object]]:
    """The account's follows with their things, newest first (a thing since deleted is left
    out)."""
    rows = db.session.scalars(select(Follow).where(Follow.user_id == user.id)
                              .order_by(Follow.created_at.desc(), Follow.id.desc()))
    found = [(f, things.load(f.kind, f.thing_id)) for f in rows]
    return [(f, thing) for f, thing in found if thing is not None]
