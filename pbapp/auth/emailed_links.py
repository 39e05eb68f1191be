"""Signed, expiring links sent by email (confirming an address, signing in once).

Each purpose has its own salt, so a link made for one can never be used for another; the
payload is readable by whoever holds the link, so it carries ids and fingerprints, no secrets.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class LinkInvalid(Exception):
    """The link cannot be used; the message says why, for the visitor."""


def make(salt: str, payload: dict) -> str:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt).dumps(payload)


def read(salt: str, token: str, max_age: int, *, expired: str, invalid: str) -> dict:
    """The link's payload, or LinkInvalid with ``expired`` or ``invalid`` as its message."""
    try:
        data = URLSafeTimedSerializer(current_app.secret_key, salt=salt).loads(
            token, max_age=max_age)
    except SignatureExpired:
        raise LinkInvalid(expired) from None
    except BadSignature:
        raise LinkInvalid(invalid) from None
    if not isinstance(data, dict):
        raise LinkInvalid(invalid)
    return data
