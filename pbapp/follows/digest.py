"""One daily email per follower who chose the digest, from the items waiting for them.

Each person's items are taken with a DELETE that must remove exactly the rows read: if another
digest run took them first, this one rolls back that person and moves on, so two runs at once
never send one person two digests of the same news.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import delete, select

from ..auth.models import User
from ..extensions import db
from ..outbox.worker import queue
from . import messages, things, unsubscribe
from .models import DigestItem, FollowSettings


def _body(user: User, items: list[DigestItem], locale: str) -> str:
    """The items grouped by thing, oldest first, each thing with its link."""
    groups: dict[tuple[str, int], list[DigestItem]] = {}
    for item in items:
        groups.setdefault((item.kind, item.thing_id), []).append(item)
    parts = []
    for (kind, thing_id), grouped in groups.items():
        thing = things.load(kind, thing_id)
        if thing is None or not things.visible_to(user, thing):
            continue
        lines = [f"- {messages.sentence(thing, i.event, i.params, locale)}" for i in grouped]
        parts.append(f"{things.title(thing, locale)}\n" + "\n".join(lines) + "\n"
                     + things.url(thing, external=True))
    if not parts:
        return ""
    stop = unsubscribe.link(user.id)
    with force_locale(locale):
        return (gettext("What changed in what you follow since your last digest:") + "\n\n"
                + "\n\n".join(parts) + "\n\n-- \n"
                + gettext("You receive this daily digest because you follow these on "
                          "%(site)s.", site=current_app.config["SITE_NAME"]) + "\n"
                + gettext("Stop following all of them, in one click:") + f"\n{stop}\n"
                + gettext("Choose what you follow, or to be told at once:") + "\n"
                + things.link("follows.index") + "\n"), stop


def _one(user: User, locale: str) -> bool:
    items = list(db.session.scalars(select(DigestItem).where(DigestItem.user_id == user.id)
                                    .order_by(DigestItem.created_at, DigestItem.id)))
    if not items:
        return False
    taken = db.session.execute(delete(DigestItem).where(
        DigestItem.id.in_([i.id for i in items]))).rowcount
    if taken != len(items):  # another run is writing this person's digest
        db.session.rollback()
        return False
    written = _body(user, items, locale)
    if written:
        body, stop = written
        with force_locale(locale):
            subject = gettext("Your daily digest from %(site)s",
                              site=current_app.config["SITE_NAME"])
        queue(user.email, subject, body, unsubscribe.headers(stop))
    db.session.commit()
    return bool(written)


def queue_digests() -> int:
    """Queue every waiting digest; how many were queued."""
    people = db.session.execute(
        select(User, FollowSettings.locale)
        .outerjoin(FollowSettings, FollowSettings.user_id == User.id)
        .where(User.id.in_(select(DigestItem.user_id).distinct()), User.deleted_at.is_(None))
        .order_by(User.id)).all()
    return sum(_one(user, locale or "en") for user, locale in people)
