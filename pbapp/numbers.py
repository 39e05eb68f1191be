"""Numbers people type or import: the ASCII digits 0 to 9 only, each kind within a stated range.

``int()`` reads "٥" as 5 and " 7 " as 7, ``str.isdigit()`` is true for "²" (which ``int()``
then refuses with an error nobody catches), a 5,000-digit string makes ``int()`` raise, and a
24-digit count stored as a float breaks number formatting on every page that shows it. So every
number a form, a file, a URL or a query string brings in is read here instead, and anything
else is refused with a sentence saying why (``NumberRefused``). Flask-free: the importers and
the CLI use it too; ``number_inputs`` fits it to forms and URLs.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .labels import N_

#: counts of people, events or anything else (measurements, ballots): up to a trillion
COUNT_MAX = 10**12
#: PostgreSQL's ``integer`` (ids, cents, most counted columns); SQLite's is wider
DB_INT_MAX = 2**31 - 1
EARLIEST_YEAR = 1900
#: list pages: far past any list's end, far below an OFFSET the database refuses
PAGE_MAX = 1_000_000
#: how much of refused text a message repeats
SHOWN = 24

NOT_WHOLE = N_("“%(text)s” is not a whole number written with the digits 0 to 9.")
NOT_DECIMAL = N_("“%(text)s” is not a number written with the digits 0 to 9 and at most "
                 "%(places)s decimals after a point.")
OUT_OF_RANGE = N_("“%(text)s” is not between %(low)s and %(high)s.")

_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class NumberRefused(ValueError):
    """Not a number of the kind asked for. ``str()`` is the English sentence (importers, CLI);
    ``translated()`` the same in the reader's language (forms)."""

    def __init__(self, template: str, text: str, **params):
        self.template = template
        self.params = {"text": text if len(text) <= SHOWN else text[:SHOWN] + "…", **params}
        super().__init__(template % {k: f"{v:,}" if isinstance(v, (int, Decimal)) else v
                                     for k, v in self.params.items()})

    def translated(self) -> str:
        from flask_babel import format_decimal, gettext

        return gettext(self.template, **{
            k: format_decimal(v) if isinstance(v, (int, Decimal)) else v
            for k, v in self.params.items()})


def _significant(digits: str) -> str:
    return digits.lstrip("0") or "0"


def whole(text: str, low: int = 0, high: int = COUNT_MAX) -> int:
    """``text`` as an int between ``low`` and ``high``: digits only, a minus sign only where
    ``low`` is negative, no spaces (callers strip what people add around a number)."""
    text = text if isinstance(text, str) else ""
    if not _WHOLE.fullmatch(text):
        raise NumberRefused(NOT_WHOLE, text)
    negative, digits = text.startswith("-"), _significant(text.lstrip("-"))
    if (negative and low >= 0) or len(digits) > len(str(max(abs(low), abs(high)))):
        raise NumberRefused(OUT_OF_RANGE, text, low=low, high=high)  # before a 5,000-digit int()
    value = -int(digits) if negative else int(digits)
    if not low <= value <= high:
        raise NumberRefused(OUT_OF_RANGE, text, low=low, high=high)
    return value


def count(text: str) -> int:
    return whole(text, 0, COUNT_MAX)


def year(text: str, today: date | None = None) -> int:
    """A year of birth, or any other year that has happened: 1900 to this year."""
    return whole(text, EARLIEST_YEAR, (today or date.today()).year)


def db_id(text: str | None) -> int | None:
    """A row id from a URL or a query string, or None when ``text`` cannot be one (so the
    caller answers 404 instead of sending the database a number it cannot hold)."""
    try:
        return whole(text or "", 1, DB_INT_MAX)
    except NumberRefused:
        return None


def page_number(text: str | None) -> int | None:
    """``?page=``: 1 when absent, None when not a page number (the caller answers 404)."""
    if text is None:
        return 1
    try:
        return whole(text, 1, PAGE_MAX)
    except NumberRefused:
        return None


def decimal(text: str, low: Decimal | int, high: Decimal | int, places: int = 6) -> Decimal:
    """``text`` as a Decimal between ``low`` and ``high`` with at most ``places`` decimals
    (trailing zeros aside): digits and one point, a minus sign only where ``low`` is
    negative; no exponents, no "nan" or "inf"."""
    text = text if isinstance(text, str) else ""
    fraction = text.partition(".")[2].rstrip("0")
    if not _DECIMAL.fullmatch(text) or len(fraction) > places:
        raise NumberRefused(NOT_DECIMAL, text, places=str(places))
    integral = _significant(text.lstrip("-").partition(".")[0])
    if (text.startswith("-") and low >= 0) or \
            len(integral) > len(str(int(max(abs(low), abs(high))))):
        raise NumberRefused(OUT_OF_RANGE, text, low=low, high=high)
    value = Decimal(text)
    if not low <= value <= high:
        raise NumberRefused(OUT_OF_RANGE, text, low=low, high=high)
    return value + 0  # -0 reads as 0


def is_plain_number(text: str) -> bool:
    """Digits with an optional minus sign and decimal point: what a spreadsheet reads as a
    number, never as a formula."""
    return bool(_DECIMAL.fullmatch(text))
