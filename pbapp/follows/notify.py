"""``notify(thing, event, actor, **params)``: tell the thing's followers that it changed.

Called by the services that make the change, inside their transaction: the emails (or digest
items) are committed with the change or not at all. One email per follower who wants to be told
at once, one digest item per follower who chose the daily digest; never the person who made the
change, never an unconfirmed or deleted account, never someone who may no longer see the thing.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..outbox.worker import queue
from . import messages, things, unsubscribe
from .models import DigestItem, Follow, FollowSettings


def footer(user_id: int, thing, locale: str) -> tuple[str, str]:
    """The closing lines every email about follows ends with, and the one-click link."""
    stop = unsubscribe.link(user_id, things.kind_of(thing), thing.id)
    with force_locale(locale):
        text = "\n\n-- \n" + gettext(
            "You receive this email because you follow “%(name)s” on %(site)s.",
            name=things.title(thing, locale), site=current_app.config["SITE_NAME"]) + "\n" + \
            gettext("Stop following it, in one click:") + f"\n{stop}\n" + \
            gettext("Everything you follow:") + "\n" + things.link("follows.index") + "\n"
    return text, stop


def _email(user: User, thing, event: str, params: dict, locale: str) -> None:
    text, stop = footer(user.id, thing, locale)
    with force_locale(locale):
        body = messages.sentence(thing, event, params, locale) + "\n\n" + \
            gettext("See it here:") + "\n" + things.url(thing, external=True) + text
    queue(user.email, messages.subject(thing, locale), body, unsubscribe.headers(stop))


def notify(thing, event: str, actor=None, **params) -> int:
    """Tell each follower of ``thing`` about ``event`` (see ``messages.EVENTS``); ``params``
    are plain JSON values the message needs. Returns how many followers were told."""
    kind = things.kind_of(thing)
    actor_id = getattr(actor, "id", actor)
    rows = db.session.execute(
        select(User, FollowSettings).join(Follow, Follow.user_id == User.id)
        .outerjoin(FollowSettings, FollowSettings.user_id == User.id)
        .where(Follow.kind == kind, Follow.thing_id == thing.id, User.deleted_at.is_(None),
               User.email_verified_at.is_not(None))
        .order_by(User.id)).all()
    told = 0
    for user, settings in rows:
        if user.id == actor_id or not things.visible_to(user, thing):
            continue
        if settings is not None and settings.how == "daily":
            db.session.add(DigestItem(user_id=user.id, kind=kind, thing_id=thing.id,
                                      event=event, params=params))
        else:
            _email(user, thing, event, params, settings.locale if settings else "en")
        told += 1
    return told
