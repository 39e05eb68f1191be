"""The ranking a voter is building, kept in the signed session until the ballot is cast.

A resident on a phone follows a proposal's link, reads it and comes back: the ballot must still
hold what they ranked. The draft names its voter by a keyed digest of the voter key (never the
key itself, which the participation table holds), so on a shared machine the next resident,
with another code or account, starts from an empty ballot. Casting, or finding the voter has
already voted, forgets it. It holds proposal ids only, never a receipt.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, session
from werkzeug.datastructures import MultiDict

DRAFT_SESSION = "ballot_draft"


def _owner(cycle_slug: str, key: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    message = f"ballot-draft:{cycle_slug}:{key}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:24]


def keep_draft(cycle_slug: str, key: str, ranking: list[str]) -> None:
    """Remember ``ranking`` (proposal ids in rank order) for this voter; empty forgets it."""
    if not ranking:
        forget_draft()
        return
    session[DRAFT_SESSION] = {"owner": _owner(cycle_slug, key), "ids": list(ranking)}


def recall_draft(cycle_slug: str, key: str, known: set[str]) -> MultiDict | None:
    """The kept ranking as ballot form data, for this voter only; ids no longer on the ballot
    (a withdrawn proposal) drop out and the rest close up."""
    held = session.get(DRAFT_SESSION)
    if not isinstance(held, dict) or held.get("owner") != _owner(cycle_slug, key):
        return None
    ids = [i for i in held.get("ids") or [] if isinstance(i, str) and i in known]
    if not ids:
        return None
    return MultiDict({f"rank_{n}": pid for n, pid in enumerate(ids, start=1)})


def forget_draft() -> None:
    session.pop(DRAFT_SESSION, None)
