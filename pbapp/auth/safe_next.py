"""Where to send someone after sign-in: only ever a path on this site.

A ``next`` value comes from the URL, so anyone can craft it. Browsers read ``//host``,
``/\\host`` and ``/<tab>/host`` as another site and ``https:host`` as a full address, so we
accept only a plain relative path: printable ASCII, one leading slash, no backslash, and
still such a path after every round of percent-decoding (so ``%2F%2Fevil`` cannot turn into
``//evil`` once some proxy or framework decodes it again).
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

_MAX_LENGTH = 2000
_MAX_DECODE_ROUNDS = 5


def _plain_path(value: str, *, decoded: bool = False) -> bool:
    """Raw values must be printable ASCII; decoded ones may hold spaces and letters like é."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    if decoded:
        if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
            return False
    elif any(not ("!" <= ch <= "~") for ch in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a relative path on this site, else None."""
    if not isinstance(target, str) or not target or len(target) > _MAX_LENGTH:
        return None
    if not _plain_path(target):
        return None
    value = target
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(value)
        if decoded == value:
            return target
        if not _plain_path(decoded, decoded=True):
            return None
        value = decoded
    return None
