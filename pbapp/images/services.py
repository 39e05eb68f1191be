"""Putting a picture on a card, changing its description, taking it off.

The owner (a proposal or a project) holds ``image_id``; a picture belongs to one owner, so the
old row is deleted when it is replaced or removed and no unreferenced bytes stay behind. The
caller's service checks role and phase and writes the audit event; this flushes only.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from .models import Image
from .processing import CleanImage


@dataclass(frozen=True)
class PictureChange:
    """What the form asked for: a new picture (already cleaned), its description, or removal."""

    new: CleanImage | None = None
    alt: str = ""
    #: the description in Spanish; empty shows the original
    alt_es: str = ""
    remove: bool = False


def _spanish_alt(image: Image) -> str:
    return ((image.translations or {}).get("es") or {}).get("alt", "")


def apply_picture(owner, change: PictureChange | None) -> str | None:
    """Apply ``change`` to ``owner.image``; returns what happened ("added", "replaced",
    "removed", "described") for the audit log, or None when nothing changed."""
    if change is None:
        return None
    old: Image | None = owner.image
    alt = change.alt.strip()
    if change.new is not None:
        owner.image = Image(digest=change.new.digest, content_type=change.new.content_type,
                            width=change.new.width, height=change.new.height,
                            byte_size=len(change.new.data), alt=alt, data=change.new.data)
        owner.image.translate({"es": {"alt": change.alt_es}})
        done = "replaced" if old is not None else "added"
    elif change.remove and old is not None:
        owner.image = None
        done = "removed"
    elif old is not None and ((alt and alt != old.alt)
                              or change.alt_es.strip() != _spanish_alt(old)):
        old.alt = alt or old.alt
        old.translate({"es": {"alt": change.alt_es}})
        return "described"
    else:
        return None
    db.session.flush()
    if old is not None:
        db.session.delete(old)
        db.session.flush()
    return done
