"""Submitting, moderating and withdrawing stories. Each verb checks who may act, flushes, and
(for staff) writes an audit event; the request commits once.

Who may submit: a signed-in account whose email is confirmed, a current board member, or staff.
A story needs no vote or proof of address, so the account is the only brake on someone filling
the queue or writing as others; it is also how the withdrawal link reaches the author. Each
account is also rate-limited (see ``views``), and nothing is public before staff approve it.
"""
from __future__ import annotations

import hashlib
import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..comments.services import Refused, clean_text, current_seat
from ..extensions import db
from ..images.models import Image
from ..images.processing import CleanImage
from ..images.services import PictureChange, apply_picture
from ..models_base import TranslationRefused, utcnow
from .models import BODY_MAX, NAME_CHOICES, NAME_MAX, REASON_MAX, Story

__all__ = ["Refused", "why_not_submit", "submit", "withdraw", "approve", "redact", "decline",
           "by_secret", "pending", "recent_decided"]

#: what ``secrets.token_urlsafe(32)`` makes: 43 characters of the URL-safe alphabet
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def why_not_submit(user) -> str | None:
    """None when ``user`` may submit a story (see the module's docstring for why)."""
    if not getattr(user, "is_authenticated", False):
        return _("Sign in to share your story.")
    if getattr(user, "deleted_at", None) is not None:
        return _("This account was deleted.")
    if getattr(user, "is_staff", False) or user.email_verified_at is not None \
            or current_seat(user, None):
        return None
    return _("Confirm your email address first (see your account page); then you can share "
             "your story.")


def submit(user, *, body: str, name_choice: str, given_name: str, consented: bool,
           consent_text: str, locale: str, neighbourhood=None, project=None, metric=None,
           picture: CleanImage | None = None, alt: str = "") -> tuple[Story, str]:
    """A pending story and the secret of its withdrawal link (returned once, stored as a hash).
    Everything is checked before anything is written."""
    why = why_not_submit(user)
    if why:
        raise Refused(why)
    if not consented:
        raise Refused(_("Tick the box to agree that your story may be published; nothing was "
                        "saved."))
    text = clean_text(body, BODY_MAX, _("Write your story first."))
    if neighbourhood is None and project is None and metric is None:
        raise Refused(_("Choose what your story is about: a neighbourhood, a project or a "
                        "measure."))
    if name_choice not in NAME_CHOICES:
        raise Refused(_("Choose the name your story is published under."))
    shown = ""
    if name_choice == "own":
        shown = str(user.name)[:NAME_MAX]
    elif name_choice == "given":
        shown = clean_text(given_name, NAME_MAX, _("Write the name to publish it under, or "
                                                   "choose another option."))
        if "\n" in shown:
            raise Refused(_("The name is one line."))
    alt = (alt or "").strip()
    if picture is not None:
        alt = clean_text(alt, 300, _("Say what the picture shows, for people who cannot see "
                                     "it."))
    secret = secrets.token_urlsafe(32)
    story = Story(author_id=user.id, body=text, public_text="", name_choice=name_choice,
                  shown_name=shown, consent_text=consent_text, consent_locale=locale,
                  neighbourhood=neighbourhood, project=project, metric=metric,
                  withdraw_hash=hash_secret(secret))
    db.session.add(story)
    if picture is not None:
        apply_picture(story, PictureChange(new=picture, alt=alt))
    db.session.flush()
    return story, secret


def by_secret(secret: str | None) -> Story | None:
    """The story a withdrawal link names, or None for anything that is not one of ours."""
    if not isinstance(secret, str) or not SECRET_SHAPE.fullmatch(secret):
        return None
    return db.session.scalar(select(Story).where(Story.withdraw_hash == hash_secret(secret)))


def withdraw(story: Story) -> Story:
    """The author takes the story back: it leaves every page and the API at this commit, and
    its words, name and picture are erased; the row stays as a tombstone (its id and dates)
    so the link can say it was withdrawn. Done by whoever holds the link, signed in or not."""
    if story.status == "withdrawn":
        raise Refused(_("This story was already withdrawn."))
    image = story.image
    story.status, story.withdrawn_at = "withdrawn", utcnow()
    story.body = story.public_text = story.shown_name = story.consent_text = ""
    story.decline_reason = ""
    story.translations = {}
    story.author_id = None
    story.image = None
    db.session.flush()
    if image is not None:
        db.session.delete(image)
    record(None, "story.withdraw", f"story:{story.id}")
    db.session.flush()
    return story


def _staff(user) -> None:
    if not getattr(user, "is_staff", False):
        raise Refused(_("Only staff moderate stories."))


def _public_texts(story: Story, text: str, text_es: str) -> None:
    story.public_text = clean_text(text, BODY_MAX, _("Give the text to publish (the author's "
                                                     "words, redacted if need be)."))
    es = (text_es or "").replace("\r\n", "\n").strip()
    if es:
        es = clean_text(es, BODY_MAX, "")
    try:
        story.translate({"es": {"public_text": es}})
    except TranslationRefused as error:
        raise Refused(str(error)) from None


def approve(staff, story: Story, text: str, text_es: str = "") -> Story:
    """Publish a pending story with the text staff settled on (the original stays private)."""
    _staff(staff)
    if story.status != "pending":
        raise Refused(_("Only a story waiting for review can be approved."))
    _public_texts(story, text, text_es)
    story.status, story.decided_at, story.decided_by_id = "approved", utcnow(), staff.id
    record(staff, "story.approve", f"story:{story.id}", redacted=story.redacted)
    db.session.flush()
    return story


def redact(staff, story: Story, text: str, text_es: str = "") -> Story:
    """Change the public text of an approved story (the original stays as written)."""
    _staff(staff)
    if story.status != "approved":
        raise Refused(_("Only a published story can be redacted here."))
    _public_texts(story, text, text_es)
    record(staff, "story.redact", f"story:{story.id}")
    db.session.flush()
    return story


def decline(staff, story: Story, reason: str) -> Story:
    """Not published; the author's words are erased at once (a declined story is never shown,
    so there is no reason to keep them), the reason stays for staff."""
    _staff(staff)
    if story.status != "pending":
        raise Refused(_("Only a story waiting for review can be declined."))
    why = clean_text(reason, REASON_MAX, _("Say why the story is declined (staff see it)."))
    image = story.image
    story.status, story.decided_at, story.decided_by_id = "declined", utcnow(), staff.id
    story.decline_reason, story.body, story.public_text, story.translations = why, "", "", {}
    story.image = None
    db.session.flush()
    if image is not None:
        db.session.delete(image)
    record(staff, "story.decline", f"story:{story.id}", reason=why)
    db.session.flush()
    return story


def pending() -> list[Story]:
    return list(db.session.scalars(select(Story).where(Story.status == "pending")
                                   .order_by(Story.id)))


def recent_decided(limit: int = 30) -> list[Story]:
    return list(db.session.scalars(select(Story).where(Story.status == "approved")
                                   .order_by(Story.decided_at.desc(), Story.id.desc())
                                   .limit(limit)))


def image_is_public(image: Image) -> bool | None:
    """For the picture server: True when an approved story shows it, False when only staff may
    (a story under review), None when no story holds it."""
    story = db.session.scalar(select(Story).where(Story.image_id == image.id))
    if story is None:
        return None
    return story.is_public
