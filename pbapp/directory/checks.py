"""The rules an entry's texts and contact details keep, shared by the form and the importer.

Each check returns the cleaned value or raises ``CheckFailed``, whose message the caller
translates (the messages are in the catalogue)."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from ..labels import N_
from ..request_text import control_in


class CheckFailed(ValueError):
    """``message`` (in the catalogue) with its ``values``; ``words`` gives it translated."""

    def __init__(self, message: str, **values):
        super().__init__(message % values if values else message)
        self.message, self.values = message, values

    def words(self, gettext) -> str:
        return gettext(self.message, **self.values)

#: format characters a language needs (zero-width joiner and non-joiner); other format
#: characters (bidi overrides, zero-width spaces, byte-order marks) hide or reorder text
ALLOWED_FORMAT = {"\u200c", "\u200d"}
EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}"
                   r"@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\.[A-Za-z]{2,24}$")
PHONE = re.compile(r"^\+?[0-9 ().\-]{3,40}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


def text(value, limit: int, *, multiline: bool = False) -> str:
    """Trimmed text of at most ``limit`` characters, with nothing a person cannot see."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CheckFailed(N_("must be text"))
    value = unicodedata.normalize("NFC", value.strip())
    if control_in(value, multiline=multiline):
        raise CheckFailed(N_("holds a control character (such as NUL)"))
    for ch in value:
        kind = unicodedata.category(ch)
        if kind in ("Co", "Cn", "Cs") or (kind == "Cf" and ch not in ALLOWED_FORMAT):
            raise CheckFailed(N_("holds an invisible or unassigned character (%(code)s)"),
                              code="U+%04X" % ord(ch))
    if len(value) > limit:
        raise CheckFailed(N_("is longer than %(num)d characters"), num=limit)
    return value


def website(value) -> str:
    """An http(s) address with a host, or empty: never javascript:, data: or a bare path."""
    value = text(value, 500)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in value:
        raise CheckFailed(N_("is not a web address starting with http:// or https://"))
    return value


def email(value) -> str:
    value = text(value, 200)
    if value and not EMAIL.match(value):
        raise CheckFailed(N_("is not an email address"))
    return value


def phone(value) -> str:
    value = text(value, 40)
    if value and (not PHONE.match(value) or sum(c.isdigit() for c in value) < 3):
        raise CheckFailed(N_("is not a phone number (digits, spaces, + ( ) - .)"))
    return value


def language(value) -> str:
    value = text(value, 20)
    if not LANGUAGE.match(value):
        raise CheckFailed(N_("is not a language code such as “en” or “es”"))
    return value.lower()
