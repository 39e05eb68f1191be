"""Signed one-click unsubscribe links (RFC 8058), one per follow or for every follow.

The link names the account and the thing, not a follow row, so a link from an older email still
stops a follow made again later. It is good for a year: long enough for any email still read,
and the follows page manages them at any time.
"""
from __future__ import annotations

from flask_babel import gettext

from ..auth.emailed_links import LinkInvalid, make, read  # noqa: F401  (LinkInvalid: views)
from .models import KINDS

SALT = "unsubscribe"
LINK_MAX_AGE = 365 * 24 * 3600


def make_token(user_id: int, kind: str | None = None, thing_id: int | None = None) -> str:
    """For one follow, or (no kind) for every follow of the account."""
    payload = {"u": user_id}
    if kind is not None:
        payload.update(k=kind, t=thing_id)
    return make(SALT, payload)


def link(user_id: int, kind: str | None = None, thing_id: int | None = None) -> str:
    from .things import link as full_url

    return full_url("follows.unsubscribe", token=make_token(user_id, kind, thing_id))


def headers(unsubscribe_url: str) -> dict[str, str]:
    """The headers that let a mail client offer its own unsubscribe button, which POSTs to the
    link with ``List-Unsubscribe=One-Click`` (RFC 8058)."""
    return {"List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def read_token(token: str) -> tuple[int, str | None, int | None]:
    """(user id, kind, thing id), kind None for every follow; LinkInvalid otherwise."""
    invalid = gettext("This unsubscribe link is not valid. Check that you copied all of it, or "
                      "manage what you follow from your account page.")
    data = read(SALT, token, LINK_MAX_AGE, invalid=invalid,
                expired=gettext("This unsubscribe link is more than a year old. Manage what "
                                "you follow from your account page."))
    user_id, kind, thing_id = data.get("u"), data.get("k"), data.get("t")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise LinkInvalid(invalid)
    if kind is None and thing_id is None:
        return user_id, None, None
    if kind not in KINDS or not isinstance(thing_id, int) or isinstance(thing_id, bool):
        raise LinkInvalid(invalid)
    return user_id, kind, thing_id
