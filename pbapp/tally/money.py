"""Money as exact decimals: read as written, counted in whole minor units, written back exactly.

Budgets and costs are published with decimals (Kraków: 1331751.11). A float cannot hold 0.1, and
``0.1 + 0.2 > 0.3`` in floats, so a float sum can decide who is funded. Every amount is read into
a ``Decimal`` (text, ``int``, ``Decimal``, or a ``float`` taken as its shortest written form),
and a count works in integers of the smallest unit any of its amounts uses (cents when the file
has cents): sums and comparisons are then exact, and the result converts back.

In the result JSON an amount is a number with the digits it was published with: an integer when
whole, otherwise a decimal such as ``1331751.11`` (at most 6 decimal places and 10^12 in all,
so it is exact as a JSON number and as a float read back: 15 significant digits or fewer
survive ``float``; larger amounts with decimals are written as text to stay exact).
"""
from __future__ import annotations

import re
from decimal import Decimal
from numbers import Real

from .errors import BallotError
from .numbers import MAX_COUNT

#: decimal places an amount may have (10^12 in millionths still fits a 64-bit integer)
MAX_PLACES = 6
_AMOUNT = re.compile(r"[0-9]{1,30}(?:\.[0-9]{1,30})?", re.ASCII)

Amount = int | Decimal


def amount(value, what: str) -> Amount:
    """``value`` as an exact amount: an ``int`` when whole, else a ``Decimal``."""
    if isinstance(value, bool) or not isinstance(value, Real | str | Decimal):
        raise BallotError(f"{what} must be an amount of money, not {value!r}")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    negative = text.startswith("-")
    if not _AMOUNT.fullmatch(text.removeprefix("-")):
        raise BallotError(f"{what} must be a whole number or a decimal amount of money in "
                          f"digits 0-9 (such as 1250 or 1250.50), not {value!r}")
    if negative and text.strip("-0.") != "":
        raise BallotError(f"{what} cannot be negative (a non-negative amount, not {value!r})")
    number = Decimal(text.removeprefix("-"))
    places = -number.normalize().as_tuple().exponent
    if places > MAX_PLACES:
        raise BallotError(f"{what} has more than {MAX_PLACES} decimal places: {value!r}")
    if number > MAX_COUNT:
        raise BallotError(f"{what} must be at most {MAX_COUNT:,}, not {value!r}")
    return whole_or_decimal(number)


def whole_or_decimal(number: Decimal | int) -> Amount:
    if isinstance(number, int):
        return number
    number = number.normalize()
    return int(number) if number == number.to_integral_value() else number


def unit_of(amounts) -> int:
    """Minor units per currency unit: 10^(most decimal places among ``amounts``)."""
    places = max((max(0, -Decimal(a).normalize().as_tuple().exponent) for a in amounts),
                 default=0)
    return 10 ** places


def to_minor(value: Amount, unit: int) -> int:
    """An amount in whole minor units (exact: ``unit`` covers its decimal places)."""
    return int(Decimal(value) * unit)


def from_minor(value: int, unit: int) -> Amount:
    return whole_or_decimal(Decimal(int(value)) / unit) if unit != 1 else int(value)


def show(value: Amount) -> str:
    """An amount as text, as published: ``1331751.11``, ``904700``."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def to_json(value):
    """An amount as a JSON-ready number (see the module docstring)."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        value = whole_or_decimal(value)
        if isinstance(value, int):
            return value
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else format(value, "f")
    return value
